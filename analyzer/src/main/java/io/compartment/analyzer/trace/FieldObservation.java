package io.compartment.analyzer.trace;

import io.compartment.analyzer.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything observed about one handler's accesses to one {@code @State} field, summed over the
 * recorded invocations. Memory is bounded: distinct keys are counted up to {@link #KEY_CAP}, whole
 * operation names up to 16, and only the first counterexample is kept.
 */
public final class FieldObservation {
  /** Distinct keys are counted exactly up to this many, then reported as at least this many. */
  public static final int KEY_CAP = 100_000;

  private final String field;
  long invocations;
  long keyedReads;
  long keyedWrites;
  long wholeReads;
  long wholeWrites;
  long scalarReads;
  long scalarWrites;
  final EnumMap<WriteKind, Long> writeKinds = new EnumMap<>(WriteKind.class);
  final Set<String> wholeOps = new LinkedHashSet<>();
  long keyedInvocations;
  long multiKeyInvocations;
  long wholeInvocations;
  List<String> keyCandidates; // null until the first keyed invocation
  private Set<Integer> keyHashes = new HashSet<>();
  long distinctKeys;
  boolean distinctKeysCapped;
  long changingWrites;
  long mergeWrites;
  long allocations;
  long handedOutReads;
  Map<String, Object> counterexample;
  Map<String, Object> allocationExample;

  public FieldObservation(String field) {
    this.field = field;
  }

  public String field() {
    return field;
  }

  /** Recorded invocations that touched this field. */
  public long invocations() {
    return invocations;
  }

  public long keyedReads() {
    return keyedReads;
  }

  public long keyedWrites() {
    return keyedWrites;
  }

  public long wholeReads() {
    return wholeReads;
  }

  public long wholeWrites() {
    return wholeWrites;
  }

  public long scalarReads() {
    return scalarReads;
  }

  public long scalarWrites() {
    return scalarWrites;
  }

  public long writes() {
    return keyedWrites + wholeWrites + scalarWrites;
  }

  public long reads() {
    return keyedReads + wholeReads + scalarReads;
  }

  /** Write counts by kind; absent kinds were never seen. */
  public Map<WriteKind, Long> writeKinds() {
    return writeKinds;
  }

  /**
   * Names of whole-collection operations seen ({@code size}, {@code iterator}, {@code headMap}...).
   */
  public Set<String> wholeOps() {
    return wholeOps;
  }

  /** Invocations that reached this field through exactly one key and nothing else. */
  public long keyedInvocations() {
    return keyedInvocations;
  }

  /** Invocations that used two or more distinct keys of this field. */
  public long multiKeyInvocations() {
    return multiKeyInvocations;
  }

  /**
   * Message attribute paths equal to the key in every keyed invocation so far; {@code null} if no
   * invocation was keyed, empty if none fits all.
   */
  public List<String> keyCandidates() {
    return keyCandidates;
  }

  public long distinctKeys() {
    return distinctKeys;
  }

  /**
   * True when {@link #distinctKeys} stopped counting at {@link #KEY_CAP}: there were at least that
   * many.
   */
  public boolean distinctKeysCapped() {
    return distinctKeysCapped;
  }

  /** Invocations that made at least one whole-collection access to this field. */
  public long wholeInvocations() {
    return wholeInvocations;
  }

  /** Scalar writes whose new value differs from the old. */
  public long changingWrites() {
    return changingWrites;
  }

  /** Scalar writes whose new value is the old one or equals a message attribute (a join). */
  public long mergeWrites() {
    return mergeWrites;
  }

  /**
   * Scalar writes that advanced the value by itself (new value neither the old one nor any message
   * attribute) and whose old or new value was handed out: emitted, returned or used as a key.
   */
  public long allocations() {
    return allocations;
  }

  /** Scalar reads whose value was handed out (emitted, returned, or used as a key). */
  public long handedOutReads() {
    return handedOutReads;
  }

  /**
   * The first invocation that broke keying on this field (two keys, a key equal to no attribute, a
   * whole-collection access) or wrote it non-monotonically as a scalar, with the values seen; or
   * null.
   */
  public Map<String, Object> counterexample() {
    return counterexample;
  }

  public Map<String, Object> allocationExample() {
    return allocationExample;
  }

  void countWrite(WriteKind kind) {
    if (kind != null) writeKinds.merge(kind, 1L, Long::sum);
  }

  void addWholeOp(String op) {
    if (wholeOps.size() < 16) wholeOps.add(op);
  }

  void countKey(Object key) {
    if (keyHashes == null) return;
    if (keyHashes.add(safeHash(key))) distinctKeys++;
    if (keyHashes.size() >= KEY_CAP) {
      keyHashes = null;
      distinctKeysCapped = true;
    }
  }

  private static int safeHash(Object key) {
    try {
      return java.util.Objects.hashCode(Values.normalize(key));
    } catch (RuntimeException | StackOverflowError e) {
      return System.identityHashCode(key);
    }
  }

  void intersectCandidates(Set<String> matching) {
    if (keyCandidates == null) {
      keyCandidates = new ArrayList<>(matching);
    } else {
      keyCandidates.retainAll(matching);
    }
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("field", field);
    m.put("invocations", invocations);
    m.put("keyedReads", keyedReads);
    m.put("keyedWrites", keyedWrites);
    m.put("wholeReads", wholeReads);
    m.put("wholeWrites", wholeWrites);
    m.put("scalarReads", scalarReads);
    m.put("scalarWrites", scalarWrites);
    Map<String, Object> kinds = new LinkedHashMap<>();
    writeKinds.forEach((k, v) -> kinds.put(k.name(), v));
    m.put("writeKinds", kinds);
    m.put("wholeOps", new ArrayList<>(wholeOps));
    m.put("keyedInvocations", keyedInvocations);
    m.put("multiKeyInvocations", multiKeyInvocations);
    m.put("wholeInvocations", wholeInvocations);
    m.put("keyCandidates", keyCandidates);
    m.put("distinctKeys", distinctKeys);
    m.put("distinctKeysCapped", distinctKeysCapped);
    m.put("changingWrites", changingWrites);
    m.put("mergeWrites", mergeWrites);
    m.put("allocations", allocations);
    m.put("handedOutReads", handedOutReads);
    m.put("counterexample", counterexample);
    m.put("allocationExample", allocationExample);
    return m;
  }

  public static FieldObservation fromJson(JsonObject o) {
    FieldObservation f = new FieldObservation(o.string("field"));
    f.invocations = o.number("invocations", 0);
    f.keyedReads = o.number("keyedReads", 0);
    f.keyedWrites = o.number("keyedWrites", 0);
    f.wholeReads = o.number("wholeReads", 0);
    f.wholeWrites = o.number("wholeWrites", 0);
    f.scalarReads = o.number("scalarReads", 0);
    f.scalarWrites = o.number("scalarWrites", 0);
    if (o.has("writeKinds")) {
      JsonObject kinds = o.object("writeKinds");
      for (String k : kinds.raw().keySet()) {
        WriteKind kind;
        try {
          kind = WriteKind.valueOf(k);
        } catch (IllegalArgumentException e) {
          throw new io.compartment.analyzer.json.JsonException(
              kinds.where(),
              "unknown write kind \"" + k + "\" (expected GROW, INFLATE or NONMONOTONE)");
        }
        f.writeKinds.put(kind, kinds.number(k, 0));
      }
    }
    f.wholeOps.addAll(o.strings("wholeOps"));
    f.keyedInvocations = o.number("keyedInvocations", 0);
    f.multiKeyInvocations = o.number("multiKeyInvocations", 0);
    f.wholeInvocations = o.number("wholeInvocations", 0);
    f.keyCandidates = o.has("keyCandidates") ? new ArrayList<>(o.strings("keyCandidates")) : null;
    f.distinctKeys = o.number("distinctKeys", 0);
    f.distinctKeysCapped = o.bool("distinctKeysCapped", false);
    f.keyHashes = null; // a trace read back is complete; it is not extended
    f.changingWrites = o.number("changingWrites", 0);
    f.mergeWrites = o.number("mergeWrites", 0);
    f.allocations = o.number("allocations", 0);
    f.handedOutReads = o.number("handedOutReads", 0);
    f.counterexample = o.has("counterexample") ? o.object("counterexample").raw() : null;
    f.allocationExample = o.has("allocationExample") ? o.object("allocationExample").raw() : null;
    return f;
  }
}
