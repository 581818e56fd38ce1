package io.compartment.analyzer.trace;

import io.compartment.analyzer.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a static pass over a handler's bytecode (and the private helpers, lambdas and nest members
 * it calls) says, used to confirm or lower a verdict from traces.
 *
 * @param complete false when some call could not be followed, so that state might be reached
 *     through it unseen
 * @param stateFieldsReached ids of {@code @State} fields read or written on any path
 * @param keySources per state field id, the message attribute paths ({@code arg0.slot}) that keys
 *     of its keyed operations derive from; {@code "?"} where the key comes from elsewhere
 * @param thresholdOnly scalar state fields whose read values are used in nothing but comparisons
 *     (or merged back into the same field, {@code x = x + 1}, {@code x = max(x, m)}), and
 *     collection fields whose {@code size()}/{@code isEmpty()} is only compared and that are
 *     otherwise used only through keyed operations
 * @param selfAdvanced scalar state fields written with a value computed from their own old value
 * @param escapes state passed to code outside the service, as {@code field -> Owner.method}
 * @param notes anything else a person should know
 * @param stateFieldsWritten ids of {@code @State} fields assigned ({@code putfield}) on any path; a
 *     partitioned handler that can assign a replicated field may raise it even if no traced run did
 */
public record StaticFacts(
    boolean complete,
    Set<String> stateFieldsReached,
    Map<String, Set<String>> keySources,
    Set<String> thresholdOnly,
    Set<String> selfAdvanced,
    Set<String> escapes,
    List<String> notes,
    Set<String> stateFieldsWritten) {

  /** Facts without knowledge of which fields are assigned (older traces, hand-made facts). */
  public StaticFacts(
      boolean complete,
      Set<String> stateFieldsReached,
      Map<String, Set<String>> keySources,
      Set<String> thresholdOnly,
      Set<String> selfAdvanced,
      Set<String> escapes,
      List<String> notes) {
    this(
        complete,
        stateFieldsReached,
        keySources,
        thresholdOnly,
        selfAdvanced,
        escapes,
        notes,
        Set.of());
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("complete", complete);
    m.put("stateFieldsReached", new ArrayList<>(stateFieldsReached));
    Map<String, Object> keys = new LinkedHashMap<>();
    keySources.forEach((k, v) -> keys.put(k, new ArrayList<>(v)));
    m.put("keySources", keys);
    m.put("thresholdOnly", new ArrayList<>(thresholdOnly));
    m.put("selfAdvanced", new ArrayList<>(selfAdvanced));
    m.put("escapes", new ArrayList<>(escapes));
    m.put("notes", notes);
    m.put("stateFieldsWritten", new ArrayList<>(stateFieldsWritten));
    return m;
  }

  public static StaticFacts fromJson(JsonObject o) {
    Map<String, Set<String>> keys = new LinkedHashMap<>();
    if (o.has("keySources")) {
      JsonObject ks = o.object("keySources");
      for (String field : ks.raw().keySet()) {
        keys.put(field, new LinkedHashSet<>(ks.strings(field)));
      }
    }
    return new StaticFacts(
        o.bool("complete", false),
        new LinkedHashSet<>(o.strings("stateFieldsReached")),
        keys,
        new LinkedHashSet<>(o.strings("thresholdOnly")),
        new LinkedHashSet<>(o.strings("selfAdvanced")),
        new LinkedHashSet<>(o.strings("escapes")),
        new ArrayList<>(o.strings("notes")),
        new LinkedHashSet<>(o.strings("stateFieldsWritten")));
  }
}
