package io.compartment.analyzer.report;

import io.compartment.analyzer.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The analysis of one service class.
 *
 * @param service binary name of the service class
 * @param instances instances seen while tracing
 * @param state per state field, in declaration order
 * @param handlers per handler, in declaration order
 * @param compartments the plans, numbered in handler declaration order
 * @param warnings problems the agent found with the service (copied from the trace)
 * @param notes what else a person should know (handlers never observed...)
 */
public record ServiceReport(
    String service,
    long instances,
    List<StateFieldReport> state,
    List<HandlerReport> handlers,
    List<CompartmentReport> compartments,
    List<String> warnings,
    List<String> notes) {

  public ServiceReport {
    state = List.copyOf(state);
    handlers = List.copyOf(handlers);
    compartments = List.copyOf(compartments);
    warnings = List.copyOf(warnings);
    notes = List.copyOf(notes);
  }

  public Optional<HandlerReport> handler(String name) {
    return handlers.stream().filter(h -> h.handler().equals(name)).findFirst();
  }

  public Optional<CompartmentReport> compartment(String id) {
    return compartments.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  /** The compartment that holds a handler, if any. */
  public Optional<CompartmentReport> compartmentOf(String handler) {
    return compartments.stream().filter(c -> c.handlers().contains(handler)).findFirst();
  }

  public Optional<StateFieldReport> field(String id) {
    return state.stream().filter(s -> s.field().equals(id)).findFirst();
  }

  /** The simple name of the service class ({@code Acceptor} for {@code demo.paxos.Acceptor}). */
  public String simpleName() {
    return simpleName(service);
  }

  /** The simple name of a binary class name: after the last '.' and the last '$'. */
  public static String simpleName(String binaryName) {
    String s = binaryName.substring(binaryName.lastIndexOf('.') + 1);
    int dollar = s.lastIndexOf('$');
    return dollar >= 0 && dollar < s.length() - 1 ? s.substring(dollar + 1) : s;
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service", service);
    m.put("instances", instances);
    List<Object> st = new ArrayList<>();
    state.forEach(s -> st.add(s.toJson()));
    m.put("state", st);
    List<Object> hs = new ArrayList<>();
    handlers.forEach(h -> hs.add(h.toJson()));
    m.put("handlers", hs);
    List<Object> cs = new ArrayList<>();
    compartments.forEach(c -> cs.add(c.toJson()));
    m.put("compartments", cs);
    m.put("warnings", warnings);
    m.put("notes", notes);
    return m;
  }

  public static ServiceReport fromJson(JsonObject o) {
    List<StateFieldReport> state = new ArrayList<>();
    JsonReads.objects(o, "state").forEach(s -> state.add(StateFieldReport.fromJson(s)));
    List<HandlerReport> handlers = new ArrayList<>();
    JsonReads.objects(o, "handlers").forEach(h -> handlers.add(HandlerReport.fromJson(h)));
    List<CompartmentReport> compartments = new ArrayList<>();
    JsonReads.objects(o, "compartments")
        .forEach(c -> compartments.add(CompartmentReport.fromJson(c)));
    return new ServiceReport(
        o.string("service"),
        o.number("instances", 0),
        state,
        handlers,
        compartments,
        o.strings("warnings"),
        o.strings("notes"));
  }
}
