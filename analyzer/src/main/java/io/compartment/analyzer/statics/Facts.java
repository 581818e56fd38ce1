package io.compartment.analyzer.statics;

import io.compartment.analyzer.trace.StaticFacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Facts gathered while walking one method and its callees; merged upwards. */
final class Facts {
  static final int MAX_NOTES = 20;

  boolean complete = true;
  final Set<String> reached = new LinkedHashSet<>();
  final Map<String, Set<String>> keySources = new LinkedHashMap<>();

  /** Fields read at least once (GETFIELD/GETSTATIC). */
  final Set<String> read = new LinkedHashSet<>();

  /** State fields assigned on some path. */
  final Set<String> written = new LinkedHashSet<>();

  /** Fields with at least one read whose value was used beyond comparisons. */
  final Set<String> nonThreshold = new LinkedHashSet<>();

  final Set<String> selfAdvanced = new LinkedHashSet<>();

  /** Collection fields whose size() or isEmpty() was taken. */
  final Set<String> measured = new LinkedHashSet<>();

  final Set<String> escapes = new LinkedHashSet<>();
  final Set<String> notes = new LinkedHashSet<>();

  void incomplete(String note) {
    complete = false;
    note(note);
  }

  void note(String note) {
    if (notes.size() < MAX_NOTES) notes.add(note);
  }

  void key(String field, Set<String> sources) {
    keySources.computeIfAbsent(field, k -> new LinkedHashSet<>()).addAll(sources);
  }

  void nonThreshold(V v) {
    if (v == null) return;
    nonThreshold.addAll(v.origins);
    nonThreshold.addAll(v.cmpOf);
    nonThreshold.addAll(v.rmwOf);
  }

  /**
   * A two-value comparison: reads and arithmetic on them are fine, an earlier comparison's result
   * is not.
   */
  void nonThresholdCmp(V v) {
    if (v != null) nonThreshold.addAll(v.cmpOf);
  }

  void mergeFrom(Facts o) {
    if (o == null) return;
    complete &= o.complete;
    reached.addAll(o.reached);
    o.keySources.forEach(this::key);
    read.addAll(o.read);
    written.addAll(o.written);
    nonThreshold.addAll(o.nonThreshold);
    selfAdvanced.addAll(o.selfAdvanced);
    measured.addAll(o.measured);
    escapes.addAll(o.escapes);
    for (String n : o.notes) note(n);
  }

  /**
   * The public form, with fields listed in {@code order} (declaration order) first. Threshold-only
   * fields are scalars (per {@code scalar}) and collections whose size or emptiness was measured.
   */
  StaticFacts toStaticFacts(List<String> order, java.util.function.Predicate<String> scalar) {
    Set<String> threshold = new LinkedHashSet<>(read);
    threshold.removeAll(nonThreshold);
    threshold.removeIf(f -> !scalar.test(f) && !measured.contains(f));
    Map<String, Set<String>> keys = new LinkedHashMap<>();
    for (String f : sorted(keySources.keySet(), order))
      keys.put(f, new LinkedHashSet<>(keySources.get(f)));
    return new StaticFacts(
        complete,
        sorted(reached, order),
        keys,
        sorted(threshold, order),
        sorted(selfAdvanced, order),
        new LinkedHashSet<>(escapes),
        new ArrayList<>(notes),
        sorted(written, order));
  }

  private static Set<String> sorted(Set<String> s, List<String> order) {
    Set<String> out = new LinkedHashSet<>();
    for (String f : order) if (s.contains(f)) out.add(f);
    out.addAll(s);
    return out;
  }
}
