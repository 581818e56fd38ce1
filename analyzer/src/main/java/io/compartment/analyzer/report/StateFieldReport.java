package io.compartment.analyzer.report;

import io.compartment.analyzer.json.JsonObject;
import io.compartment.analyzer.trace.StateKind;
import io.compartment.analyzer.trace.WriteKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the analysis concluded about one {@code @State} field across all handlers of its service.
 *
 * @param field the field id ({@code log}, or {@code Owner.field} for state held by another class)
 * @param kind its shape, from the declared type
 * @param writes the write kinds seen, in the order GROW, INFLATE, NONMONOTONE
 * @param access how handlers reached it
 * @param replicable whether it may be copied to every partition (a lattice written by few messages)
 * @param handlers the handlers that touched it, in declaration order
 * @param reasons why it is or is not replicable, with numbers
 */
public record StateFieldReport(
    String field,
    StateKind kind,
    List<WriteKind> writes,
    FieldAccess access,
    boolean replicable,
    List<String> handlers,
    List<String> reasons) {

  public StateFieldReport {
    writes = List.copyOf(writes);
    handlers = List.copyOf(handlers);
    reasons = List.copyOf(reasons);
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("field", field);
    m.put("kind", kind.name());
    List<String> w = new ArrayList<>();
    writes.forEach(k -> w.add(k.name()));
    m.put("writes", w);
    m.put("access", access.name());
    m.put("replicable", replicable);
    m.put("handlers", handlers);
    m.put("reasons", reasons);
    return m;
  }

  public static StateFieldReport fromJson(JsonObject o) {
    return new StateFieldReport(
        o.string("field"),
        JsonReads.enumValue(o, "kind", StateKind.class),
        JsonReads.enumList(o, "writes", WriteKind.class),
        JsonReads.enumValue(o, "access", FieldAccess.class),
        JsonReads.requiredBool(o, "replicable"),
        o.strings("handlers"),
        o.strings("reasons"));
  }
}
