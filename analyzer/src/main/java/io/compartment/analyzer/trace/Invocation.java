package io.compartment.analyzer.trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One recorded handler invocation, filled in as its events are replayed and folded into its {@link
 * HandlerTrace} by {@link #end()}. This is where the per-invocation rules of DESIGN section 3 are
 * applied: which message attribute equals the key, whether a scalar write joined the message into
 * the state or advanced the value by itself and handed it out.
 *
 * <p>Not thread-safe: one aggregation thread owns a trace.
 */
public final class Invocation {
  /** Read or write. */
  public enum Op {
    READ,
    WRITE
  }

  private final HandlerTrace handler;
  private final long number;
  private final Map<String, Object> attributes;
  private final List<Access> accesses = new ArrayList<>();
  private final List<Object> handedOut = new ArrayList<>();
  private final Set<String> configWrites = new LinkedHashSet<>();
  private boolean truncated;

  Invocation(HandlerTrace handler, long number, Map<String, Object> attributes) {
    this.handler = handler;
    this.number = number;
    this.attributes = new LinkedHashMap<>();
    attributes.forEach((k, v) -> this.attributes.put(k, Values.normalize(v)));
  }

  private record Access(
      String field,
      AccessScope scope,
      Op op,
      String method,
      WriteKind kind,
      Object key,
      Object oldValue,
      Object newValue,
      String site) {}

  /**
   * Records one state access.
   *
   * @param field the state field id
   * @param scope scalar, keyed or whole
   * @param op read or write
   * @param method the operation ({@code put}, {@code get}, {@code size}, {@code set} for a scalar
   *     field write, {@code get} for a scalar read, {@code escape:Owner.m} for state passed out)
   * @param kind for a write, how it changed the state; null for a read
   * @param key for a keyed access, the root key (the key under which the object sits in the field)
   * @param oldValue for a scalar write, the value before; for a scalar read, the value read
   * @param newValue for a scalar write, the value after
   * @param site where in the code, {@code Class.java:line}, or null
   */
  public Invocation access(
      String field,
      AccessScope scope,
      Op op,
      String method,
      WriteKind kind,
      Object key,
      Object oldValue,
      Object newValue,
      String site) {
    accesses.add(
        new Access(
            field,
            scope,
            op,
            method,
            op == Op.WRITE && kind == null ? WriteKind.NONMONOTONE : kind,
            Values.normalize(key),
            Values.normalize(oldValue),
            Values.normalize(newValue),
            site));
    return this;
  }

  /**
   * Records values handed out of the handler: the attribute values (two levels deep) of an emitted
   * message or of the returned value.
   */
  public Invocation handedOut(Iterable<?> values) {
    for (Object v : values) handedOut.add(Values.normalize(v));
    return this;
  }

  /**
   * Records an emit (an {@code @Emit} call or an outbox add) with its argument attribute values.
   */
  public Invocation emit(String target, Iterable<?> values) {
    handler.emits.merge(target, 1L, Long::sum);
    return handedOut(values);
  }

  /** Records a write to a field of the service that is not {@code @State} (configuration). */
  public Invocation configWrite(String field) {
    configWrites.add(field);
    return this;
  }

  /** Marks that events were dropped for this invocation: its trace is incomplete. */
  public Invocation truncated() {
    truncated = true;
    return this;
  }

  /** Folds this invocation into its handler's summaries. */
  public void end() {
    handler.recorded++;
    handler.attributes.addAll(attributes.keySet());
    if (truncated) {
      handler.truncated++;
    }
    for (String f : configWrites) handler.configWrites.merge(f, 1L, Long::sum);

    Set<Object> handed = new java.util.HashSet<>();
    for (Object v : handedOut) addSafely(handed, v);
    for (Access a : accesses) {
      if (a.scope == AccessScope.KEYED) addSafely(handed, a.key);
    }

    Map<String, List<Access>> byField = new LinkedHashMap<>();
    for (Access a : accesses) byField.computeIfAbsent(a.field, k -> new ArrayList<>()).add(a);
    for (Map.Entry<String, List<Access>> e : byField.entrySet()) {
      foldField(handler.field(e.getKey()), e.getValue(), handed);
    }
  }

  private void foldField(FieldObservation f, List<Access> list, Set<Object> handed) {
    f.invocations++;
    List<Object> keys = new ArrayList<>();
    Access unkeyed = null;
    Access unkeyedWhole = null;
    Access nonmonotoneScalar = null;
    for (Access a : list) {
      boolean write = a.op == Op.WRITE;
      switch (a.scope) {
        case KEYED -> {
          if (write) f.keyedWrites++;
          else f.keyedReads++;
          if (keys.stream().noneMatch(k -> Values.same(k, a.key))) keys.add(a.key);
          f.countKey(a.key);
        }
        case WHOLE -> {
          if (write) f.wholeWrites++;
          else f.wholeReads++;
          f.addWholeOp(a.method);
          if (unkeyed == null) unkeyed = a;
          if (unkeyedWhole == null) unkeyedWhole = a;
        }
        case SCALAR -> {
          if (write) {
            f.scalarWrites++;
            foldScalarWrite(f, a, handed);
            if (a.kind == WriteKind.NONMONOTONE && nonmonotoneScalar == null) nonmonotoneScalar = a;
          } else {
            f.scalarReads++;
            if (a.oldValue != null && contains(handed, a.oldValue)) f.handedOutReads++;
          }
          if (unkeyed == null) unkeyed = a;
        }
      }
      if (write) f.countWrite(a.kind);
    }
    if (unkeyedWhole != null) f.wholeInvocations++;
    if (keys.isEmpty()) {
      if (unkeyedWhole != null) {
        firstCounterexample(
            f, "whole-collection access (" + unkeyedWhole.method + ")", keys, unkeyedWhole);
      } else if (nonmonotoneScalar != null && f.counterexample == null) {
        firstCounterexample(
            f,
            "scalar write "
                + Values.describe(nonmonotoneScalar.oldValue)
                + " -> "
                + Values.describe(nonmonotoneScalar.newValue)
                + " is not a raise (NONMONOTONE)",
            keys,
            nonmonotoneScalar);
        f.counterexample.put("old", Values.describe(nonmonotoneScalar.oldValue));
        f.counterexample.put("new", Values.describe(nonmonotoneScalar.newValue));
      }
      return;
    }
    if (keys.size() > 1) {
      f.multiKeyInvocations++;
      firstCounterexample(f, "two or more keys in one invocation", keys, list.get(0));
      return;
    }
    Object key = keys.get(0);
    Set<String> matching = new LinkedHashSet<>();
    for (Map.Entry<String, Object> attr : attributes.entrySet()) {
      if (Values.same(attr.getValue(), key)) matching.add(attr.getKey());
    }
    boolean hadCandidates = f.keyCandidates == null || !f.keyCandidates.isEmpty();
    f.intersectCandidates(matching);
    if (unkeyed == null) {
      f.keyedInvocations++;
    } else {
      firstCounterexample(
          f,
          "keyed and "
              + unkeyed.scope.name().toLowerCase()
              + " access ("
              + unkeyed.method
              + ") in one invocation",
          keys,
          unkeyed);
    }
    if (hadCandidates && f.keyCandidates.isEmpty()) {
      firstCounterexample(
          f,
          matching.isEmpty()
              ? "key equals no message attribute"
              : "key equals " + matching + " here, unlike earlier invocations",
          keys,
          list.get(0));
    }
  }

  private void foldScalarWrite(FieldObservation f, Access a, Set<Object> handed) {
    boolean changing = !Values.same(a.oldValue, a.newValue);
    if (changing) f.changingWrites++;
    boolean fromMessage = attributes.values().stream().anyMatch(v -> Values.same(v, a.newValue));
    if (!changing || fromMessage) {
      f.mergeWrites++;
      return;
    }
    // only a number can be a sequence number, a slot or an id handed out; a flag that flips from
    // false to true and a 'true' somewhere in the output are a coincidence, not an allocation
    boolean numeric = a.newValue instanceof Number && a.oldValue instanceof Number;
    boolean out =
        numeric && (a.oldValue != null && contains(handed, a.oldValue))
            || numeric && (a.newValue != null && contains(handed, a.newValue));
    if (out) {
      f.allocations++;
      if (f.allocationExample == null) {
        Map<String, Object> ex = new LinkedHashMap<>();
        ex.put("invocation", number);
        ex.put("field", f.field());
        ex.put("old", Values.describe(a.oldValue));
        ex.put("new", Values.describe(a.newValue));
        ex.put(
            "reason",
            "value advanced by itself and handed out (emitted, returned or used as a key)");
        ex.put("site", a.site);
        f.allocationExample = ex;
      }
    }
  }

  private void firstCounterexample(
      FieldObservation f, String reason, List<Object> keys, Access at) {
    if (f.counterexample != null) return;
    Map<String, Object> ex = new LinkedHashMap<>();
    ex.put("invocation", number);
    ex.put("field", f.field());
    ex.put("reason", reason);
    ex.put("op", at.method);
    ex.put("site", at.site);
    List<String> ks = new ArrayList<>();
    for (int i = 0; i < keys.size() && i < 5; i++) ks.add(Values.describe(keys.get(i)));
    ex.put("keys", ks);
    Map<String, Object> attrs = new LinkedHashMap<>();
    int n = 0;
    for (Map.Entry<String, Object> e : attributes.entrySet()) {
      if (n++ == 12) break;
      attrs.put(e.getKey(), Values.describe(e.getValue()));
    }
    ex.put("attributes", attrs);
    f.counterexample = ex;
  }

  private static void addSafely(Set<Object> set, Object v) {
    try {
      set.add(v);
    } catch (RuntimeException | StackOverflowError ignored) {
      // a user hashCode that throws: the value cannot be matched, which only loses evidence
    }
  }

  private static boolean contains(Set<Object> set, Object v) {
    try {
      return set.contains(v);
    } catch (RuntimeException | StackOverflowError e) {
      return false;
    }
  }

  /** For tests and evidence: the attribute values as normalized. */
  public Map<String, Object> attributes() {
    return new HashMap<>(attributes);
  }
}
