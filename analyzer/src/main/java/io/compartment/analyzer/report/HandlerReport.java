package io.compartment.analyzer.report;

import io.compartment.analyzer.json.JsonObject;
import io.compartment.analyzer.trace.StaticFacts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The verdict on one handler.
 *
 * @param handler the report name: the method name, or {@code name(ParamType,...)} if overloaded
 * @param method the method name
 * @param descriptor the JVM method descriptor (empty if unknown)
 * @param handlerClass the class ({@code class} in JSON)
 * @param partitionKey for PARTITIONABLE, the message attribute path to route by; else null
 * @param monotone whether every write grows or inflates state (and nothing is allocated)
 * @param invocations all invocations seen, recorded or not
 * @param recorded invocations whose accesses were recorded
 * @param confirmed false where the verdict needs a person's confirmation (see reasons)
 * @param reasons why, with evidence numbers; the first reason is the decisive one
 * @param counterexample for a failed rule, the first invocation that broke it, with values; or null
 * @param evidence per state field id, the counts the verdict rests on
 * @param staticFacts what the bytecode pass found ({@code static} in JSON), or null
 * @param costNs mean time of a call that was not recorded, in ns, including handlers it called; 0
 *     where not measured (too few calls, or a report from an older agent)
 */
public record HandlerReport(
    String handler,
    String method,
    String descriptor,
    HandlerClass handlerClass,
    String partitionKey,
    boolean monotone,
    long invocations,
    long recorded,
    boolean confirmed,
    List<String> reasons,
    Map<String, Object> counterexample,
    Map<String, Object> evidence,
    StaticFacts staticFacts,
    long costNs) {

  public HandlerReport {
    reasons = List.copyOf(reasons);
    evidence = evidence == null ? Map.of() : evidence;
  }

  /** The decisive reason, or an empty string. */
  public String firstReason() {
    return reasons.isEmpty() ? "" : reasons.get(0);
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("handler", handler);
    m.put("method", method);
    m.put("descriptor", descriptor);
    m.put("class", handlerClass.name());
    m.put("partitionKey", partitionKey);
    m.put("monotone", monotone);
    m.put("invocations", invocations);
    m.put("recorded", recorded);
    m.put("confirmed", confirmed);
    m.put("reasons", reasons);
    m.put("counterexample", counterexample);
    m.put("evidence", evidence);
    m.put("static", staticFacts == null ? null : staticFacts.toJson());
    m.put("costNs", costNs);
    return m;
  }

  public static HandlerReport fromJson(JsonObject o) {
    String handler = o.string("handler");
    String method =
        o.string(
            "method", handler.contains("(") ? handler.substring(0, handler.indexOf('(')) : handler);
    Map<String, Object> evidence = JsonReads.objectOrNull(o, "evidence");
    return new HandlerReport(
        handler,
        method,
        o.string("descriptor", ""),
        JsonReads.enumValue(o, "class", HandlerClass.class),
        JsonReads.stringOrNull(o, "partitionKey"),
        o.bool("monotone", false),
        o.number("invocations", 0),
        o.number("recorded", o.number("invocations", 0)),
        JsonReads.requiredBool(o, "confirmed"),
        o.strings("reasons"),
        JsonReads.objectOrNull(o, "counterexample"),
        evidence == null ? Map.of() : evidence,
        o.has("static") ? StaticFacts.fromJson(o.object("static")) : null,
        o.number("costNs", 0));
  }
}
