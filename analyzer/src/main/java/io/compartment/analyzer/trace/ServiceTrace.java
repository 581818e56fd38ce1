package io.compartment.analyzer.trace;

import io.compartment.analyzer.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The observations of one service class: its declared state, configuration and handlers. */
public final class ServiceTrace {
  private final String service;
  private final List<StateFieldInfo> state = new ArrayList<>();
  private final List<String> config = new ArrayList<>();
  private final Map<String, HandlerTrace> handlers = new LinkedHashMap<>();
  private final List<String> warnings = new ArrayList<>();
  private long instances;

  /**
   * @param service binary name of the service class
   */
  public ServiceTrace(String service) {
    this.service = service;
  }

  public String service() {
    return service;
  }

  /** Declared {@code @State} fields, on the service class and on classes holding state for it. */
  public List<StateFieldInfo> state() {
    return state;
  }

  /** Names of the service's instance fields that are not state: configuration. */
  public List<String> config() {
    return config;
  }

  /** Handlers by report name, in declaration order. */
  public Map<String, HandlerTrace> handlers() {
    return handlers;
  }

  public HandlerTrace handler(String name, String method, String descriptor, String owner) {
    return handlers.computeIfAbsent(name, n -> new HandlerTrace(n, method, descriptor, owner));
  }

  /** Problems the agent found with this service (bad annotations, state it could not follow). */
  public List<String> warnings() {
    return warnings;
  }

  public long instances() {
    return instances;
  }

  public void instances(long n) {
    instances = n;
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service", service);
    m.put("instances", instances);
    List<Object> st = new ArrayList<>();
    state.forEach(s -> st.add(s.toJson()));
    m.put("state", st);
    m.put("config", config);
    List<Object> hs = new ArrayList<>();
    handlers.values().forEach(h -> hs.add(h.toJson()));
    m.put("handlers", hs);
    m.put("warnings", warnings);
    return m;
  }

  public static ServiceTrace fromJson(JsonObject o) {
    ServiceTrace s = new ServiceTrace(o.string("service"));
    s.instances = o.number("instances", 0);
    List<Object> st = o.list("state");
    for (int i = 0; i < st.size(); i++) {
      s.state.add(
          StateFieldInfo.fromJson(new JsonObject(st.get(i), o.where() + ".state[" + i + "]")));
    }
    s.config.addAll(o.strings("config"));
    List<Object> hs = o.list("handlers");
    for (int i = 0; i < hs.size(); i++) {
      HandlerTrace h =
          HandlerTrace.fromJson(new JsonObject(hs.get(i), o.where() + ".handlers[" + i + "]"));
      s.handlers.put(h.handler(), h);
    }
    s.warnings.addAll(o.strings("warnings"));
    return s;
  }
}
