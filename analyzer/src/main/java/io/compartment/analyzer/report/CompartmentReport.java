package io.compartment.analyzer.report;

import io.compartment.analyzer.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A group of handlers that share state, with what may be done with it.
 *
 * @param id {@code SimpleClassName#n}, numbered in handler declaration order
 * @param handlers member handlers, in declaration order
 * @param state state fields the members touch, in declaration order
 * @param plan what may be done
 * @param routes for PARTITION, handler -> the message attribute path to route it by
 * @param replicated for PARTITION, lattice fields copied to every partition
 * @param broadcast for PARTITION, handlers sent to every partition, their replies merged
 * @param confirmed false if a member needs confirmation or a routed handler may raise a replicated
 *     field
 * @param reasons why this plan
 */
public record CompartmentReport(
    String id,
    List<String> handlers,
    List<String> state,
    Plan plan,
    Map<String, String> routes,
    List<String> replicated,
    List<String> broadcast,
    boolean confirmed,
    List<String> reasons) {

  public CompartmentReport {
    handlers = List.copyOf(handlers);
    state = List.copyOf(state);
    routes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(routes));
    replicated = List.copyOf(replicated);
    broadcast = List.copyOf(broadcast);
    reasons = List.copyOf(reasons);
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("handlers", handlers);
    m.put("state", state);
    m.put("plan", plan.name());
    m.put("routes", new LinkedHashMap<>(routes));
    m.put("replicated", replicated);
    m.put("broadcast", broadcast);
    m.put("confirmed", confirmed);
    m.put("reasons", reasons);
    return m;
  }

  public static CompartmentReport fromJson(JsonObject o) {
    return new CompartmentReport(
        o.string("id"),
        o.strings("handlers"),
        o.strings("state"),
        JsonReads.enumValue(o, "plan", Plan.class),
        JsonReads.stringMap(o, "routes"),
        o.strings("replicated"),
        o.strings("broadcast"),
        o.bool("confirmed", false),
        o.strings("reasons"));
  }
}
