package io.compartment.analyzer.classify;

import io.compartment.analyzer.report.HandlerClass;
import io.compartment.analyzer.report.HandlerReport;
import io.compartment.analyzer.report.Report;
import io.compartment.analyzer.report.ServiceReport;
import io.compartment.analyzer.report.StateFieldReport;
import io.compartment.analyzer.trace.FieldObservation;
import io.compartment.analyzer.trace.HandlerTrace;
import io.compartment.analyzer.trace.ServiceTrace;
import io.compartment.analyzer.trace.StateFieldInfo;
import io.compartment.analyzer.trace.StateKind;
import io.compartment.analyzer.trace.StaticFacts;
import io.compartment.analyzer.trace.Trace;
import io.compartment.analyzer.trace.WriteKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Classifies every handler of every service in a trace (DESIGN section 3) and groups them into
 * compartments with plans. Pure and deterministic: the same trace always gives the same report.
 *
 * <p>When in doubt the answer is SEQUENTIAL: a wrong PARTITIONABLE breaks the protocol, a wrong
 * SEQUENTIAL only leaves speed on the table.
 */
public final class Classifier {
  private Classifier() {}

  /**
   * Whole-collection operations that count as a threshold test when the bytecode only compares
   * them.
   */
  static final Set<String> THRESHOLD_WHOLE_OPS = Set.of("size", "isEmpty");

  /**
   * Whole-collection operations that only add (their writes are counted as GROW/INFLATE by the
   * agent).
   */
  static final Set<String> GROWING_WHOLE_OPS = Set.of("addAll", "putAll");

  /** Classifies every service of the trace. */
  public static Report classify(Trace trace) {
    List<ServiceReport> services = new ArrayList<>();
    for (ServiceTrace s : trace.services().values()) services.add(classify(s));
    return new Report(services);
  }

  /** Classifies one service: its state fields, its handlers, and its compartments. */
  public static ServiceReport classify(ServiceTrace service) {
    Map<String, FieldFacts> facts = fieldFacts(service);
    List<Verdict> verdicts = new ArrayList<>();
    for (HandlerTrace h : service.handlers().values()) {
      Verdict v;
      try {
        v = new HandlerClassifier(h, facts).classify();
      } catch (RuntimeException e) {
        // A bug here must not cost the whole report: the safe answer for this handler.
        v = new Verdict(h);
        for (String id : facts.keySet()) {
          FieldObservation o = h.fields().get(id);
          if (o != null && Rules.touched(o)) v.touched.add(id);
        }
        v.handlerClass = h.recorded() == 0 ? HandlerClass.UNOBSERVED : HandlerClass.SEQUENTIAL;
        v.reasons.add("analyzer error, kept in the host: " + e);
      }
      verdicts.add(v);
    }
    List<String> notes = new ArrayList<>();
    for (Verdict v : verdicts) {
      if (v.handlerClass == HandlerClass.UNOBSERVED) {
        notes.add(v.trace.handler() + " was never observed while tracing; it is in no compartment");
      }
    }
    for (FieldFacts f : facts.values()) {
      if (f.touching.isEmpty())
        notes.add("state field " + f.id + " was never touched while tracing");
    }
    List<StateFieldReport> state = new ArrayList<>();
    facts.values().forEach(f -> state.add(f.toReport()));
    List<HandlerReport> handlers = new ArrayList<>();
    verdicts.forEach(v -> handlers.add(v.toReport()));
    return new ServiceReport(
        service.service(),
        service.instances(),
        state,
        handlers,
        Planner.plan(service, verdicts, facts),
        service.warnings(),
        notes);
  }

  /**
   * Per state field (declared ones first, in order, then any only observed), service-wide facts.
   */
  static Map<String, FieldFacts> fieldFacts(ServiceTrace service) {
    Map<String, FieldFacts> facts = new LinkedHashMap<>();
    for (StateFieldInfo info : service.state()) {
      facts.putIfAbsent(info.id(), new FieldFacts(info.id(), info.kind()));
    }
    for (HandlerTrace h : service.handlers().values()) {
      for (FieldObservation o : h.fields().values()) {
        if (!Rules.touched(o)) continue;
        facts.computeIfAbsent(o.field(), id -> new FieldFacts(id, guessKind(o))).add(h, o);
      }
    }
    facts.values().forEach(FieldFacts::conclude);
    return facts;
  }

  private static StateKind guessKind(FieldObservation o) {
    if (o.keyedReads() + o.keyedWrites() + o.wholeReads() + o.wholeWrites() == 0)
      return StateKind.SCALAR;
    return StateKind.OBJECT;
  }

  /** The verdict on one handler, with what the planner needs beyond the report. */
  static final class Verdict {
    final HandlerTrace trace;
    HandlerClass handlerClass;
    String partitionKey;
    boolean monotone;
    boolean confirmed = true;
    final List<String> reasons = new ArrayList<>();
    Map<String, Object> counterexample;
    final Map<String, Object> evidence = new LinkedHashMap<>();

    /** Touched state field ids, in declaration order. */
    final List<String> touched = new ArrayList<>();

    /** Replicated fields that this (routed) handler may raise. */
    final List<String> raises = new ArrayList<>();

    /** The reason a person must confirm, if any (first only). */
    String unconfirmedBecause;

    Verdict(HandlerTrace trace) {
      this.trace = trace;
    }

    String name() {
      return trace.handler();
    }

    FieldObservation obs(String field) {
      return trace.fields().get(field);
    }

    void unconfirm(String reason) {
      confirmed = false;
      if (unconfirmedBecause == null) unconfirmedBecause = reason;
      if (!reasons.contains(reason)) reasons.add(reason);
    }

    HandlerReport toReport() {
      return new HandlerReport(
          trace.handler(),
          trace.method(),
          trace.descriptor(),
          handlerClass,
          partitionKey,
          monotone,
          trace.invocations(),
          trace.recorded(),
          confirmed,
          reasons,
          counterexample,
          evidence,
          trace.staticFacts(),
          trace.costNs());
    }
  }

  /** Applies the rules to one handler. */
  private static final class HandlerClassifier {
    private final HandlerTrace h;
    private final Map<String, FieldFacts> facts;
    private final Verdict v;
    private final StaticFacts st;
    private final long n;

    HandlerClassifier(HandlerTrace h, Map<String, FieldFacts> facts) {
      this.h = h;
      this.facts = facts;
      this.v = new Verdict(h);
      this.st = h.staticFacts();
      this.n = h.recorded();
    }

    Verdict classify() {
      for (String id : facts.keySet()) {
        FieldObservation o = h.fields().get(id);
        if (o != null && Rules.touched(o)) v.touched.add(id);
      }
      for (String id : v.touched) v.evidence.put(id, evidence(h.fields().get(id), facts.get(id)));

      if (n == 0) {
        v.handlerClass = HandlerClass.UNOBSERVED;
        v.confirmed = false;
        v.reasons.add(
            h.invocations() > 0
                ? h.invocations() + " invocations seen but none recorded"
                : "never invoked while tracing");
        return v;
      }
      if (h.truncated() > 0) {
        return sequential(
            "trace incomplete: events were lost in "
                + Rules.ratio(h.truncated(), n)
                + " recorded invocations",
            null);
      }
      if (!h.configWrites().isEmpty()) {
        Map.Entry<String, Long> first = h.configWrites().entrySet().iterator().next();
        // the agent reports what it could not follow (a method too large to rewrite, a callback
        // that may run later) as a description rather than a field name
        boolean described = first.getKey().contains(" ");
        return sequential(
            (described
                    ? "the agent cannot follow what it does: " + first.getKey()
                    : "writes configuration field " + first.getKey() + " (not @State)")
                + " in "
                + Rules.ratio(first.getValue(), n)
                + " invocations",
            null);
      }
      if (v.touched.isEmpty()) {
        v.handlerClass = HandlerClass.STATELESS;
        v.monotone = true;
        v.reasons.add("touches no state in " + n + " recorded invocations");
        crossCheckStateless();
        fewInvocations();
        return v;
      }

      Failure allocation = allocation();
      List<String> notes = new ArrayList<>();
      for (String id : v.touched) {
        FieldObservation o = v.obs(id);
        if (o.allocations() > 0 && !Rules.allocates(o)) {
          notes.add(
              "note: "
                  + id
                  + " was advanced by itself and handed out in "
                  + o.allocations()
                  + " of "
                  + o.changingWrites()
                  + " changing writes (under 10%: not decisive)");
        }
      }
      Failure partition = allocation == null ? partitionable() : null;
      if (allocation == null && partition == null) {
        v.reasons.addAll(notes);
        return v;
      }
      Failure monotonic = allocation == null ? monotonic() : null;
      if (allocation == null && monotonic == null) {
        v.reasons.add("not PARTITIONABLE: " + partition.reason);
        v.reasons.addAll(notes);
        return v;
      }
      Failure first = allocation != null ? allocation : partition;
      v.handlerClass = HandlerClass.SEQUENTIAL;
      v.confirmed = true;
      v.partitionKey = null;
      v.reasons.add(first.reason);
      if (allocation != null) {
        v.reasons.add(
            "not PARTITIONABLE or MONOTONIC: an allocation must happen in one place, in order");
      } else {
        v.reasons.add("not MONOTONIC: " + monotonic.reason);
      }
      v.reasons.addAll(notes);
      v.counterexample =
          first.counterexample != null
              ? first.counterexample
              : monotonic != null ? monotonic.counterexample : null;
      v.monotone = allocation == null && allWritesMonotone();
      return v;
    }

    private Verdict sequential(String reason, Map<String, Object> counterexample) {
      v.handlerClass = HandlerClass.SEQUENTIAL;
      v.monotone = false;
      v.reasons.add(reason);
      v.counterexample = counterexample;
      return v;
    }

    private record Failure(String reason, Map<String, Object> counterexample) {}

    private Failure allocation() {
      for (String id : v.touched) {
        FieldObservation o = v.obs(id);
        if (Rules.allocates(o)) {
          return new Failure(
              "allocates "
                  + id
                  + ": advances it by itself and hands out the exact value ("
                  + o.allocations()
                  + " of "
                  + o.changingWrites()
                  + " changing writes)",
              o.allocationExample() != null ? o.allocationExample() : o.counterexample());
        }
      }
      return null;
    }

    private boolean allWritesMonotone() {
      for (String id : v.touched) if (!Rules.monotoneWrites(v.obs(id))) return false;
      return true;
    }

    /** Sets v to PARTITIONABLE and returns null, or returns why not. */
    private Failure partitionable() {
      List<String> p = new ArrayList<>();
      List<String> replicated = new ArrayList<>();
      for (String id : v.touched) {
        if (facts.get(id).replicable) replicated.add(id);
        else p.add(id);
      }
      if (p.isEmpty()) {
        return new Failure(
            "touches only replicated lattice fields ("
                + String.join(", ", replicated)
                + "): no state to partition",
            null);
      }
      List<String> common = null;
      for (String id : p) {
        FieldObservation o = v.obs(id);
        FieldFacts f = facts.get(id);
        Failure fail = keyingFailure(id, o, f);
        if (fail != null) return fail;
        if (common == null) {
          common = new ArrayList<>(o.keyCandidates());
        } else {
          common.retainAll(o.keyCandidates());
        }
      }
      if (common.isEmpty()) {
        List<String> parts = new ArrayList<>();
        for (String id : p) parts.add(id + " by " + v.obs(id).keyCandidates());
        return new Failure(
            "no one message attribute keys all its state: " + String.join(", ", parts), null);
      }
      common.sort(Rules.KEY_ORDER);
      String key = common.get(0);
      if (st != null) {
        // Among attributes that always equal the key, prefer the one the bytecode takes it from.
        List<String> fromCode = new ArrayList<>();
        for (String id : p) {
          Set<String> src = st.keySources().get(id);
          if (src != null) src.stream().filter(common::contains).forEach(fromCode::add);
        }
        if (!fromCode.isEmpty()) {
          fromCode.sort(Rules.KEY_ORDER);
          key = fromCode.get(0);
        }
      }
      v.handlerClass = HandlerClass.PARTITIONABLE;
      v.partitionKey = key;
      v.monotone = allWritesMonotone();
      for (String id : p) {
        FieldObservation o = v.obs(id);
        String of =
            o.keyedInvocations() == n
                ? Rules.ratio(o.keyedInvocations(), n) + " invocations"
                : "keyed in "
                    + o.keyedInvocations()
                    + " of "
                    + n
                    + " invocations; the rest did not touch it";
        v.reasons.add(id + " accessed only at key " + key + " (" + of + ")");
        v.reasons.add(
            "distinct keys of "
                + id
                + ": "
                + (o.distinctKeysCapped() ? "at least " : "")
                + o.distinctKeys());
      }
      if (common.size() > 1) {
        List<String> others = new ArrayList<>(common);
        others.remove(key);
        v.reasons.add("also always equal to the key: " + String.join(", ", others));
      }
      for (String id : replicated) {
        FieldObservation o = v.obs(id);
        if (o.scalarReads() > 0) {
          v.reasons.add(
              id + ": a read of replicated lattice state (" + o.scalarReads() + " reads)");
        }
        boolean writable =
            v.trace.staticFacts() != null
                && v.trace.staticFacts().stateFieldsWritten().contains(id);
        if (o.scalarWrites() > 0 || writable) {
          v.raises.add(id);
          v.unconfirm(
              "may raise replicated field "
                  + id
                  + (o.scalarWrites() > 0 ? "" : " (on a path the bytecode has, not seen run)")
                  + ": partitions' copies are briefly apart "
                  + "until the raise propagates; safe only if the protocol tolerates a delayed raise");
        }
      }
      crossCheck(p);
      fewInvocations();
      return null;
    }

    /**
     * Why field {@code id} is not reached through one key equal to a message attribute, or null. Of
     * several failures, the one the field's counterexample shows comes first, so that the reason
     * and the counterexample tell the same story.
     */
    private Failure keyingFailure(String id, FieldObservation o, FieldFacts f) {
      List<String> failures = new ArrayList<>();
      List<String> tags = new ArrayList<>();
      if (o.wholeReads() + o.wholeWrites() > 0) {
        String inv =
            o.wholeInvocations() > 0
                ? Rules.ratio(o.wholeInvocations(), n) + " invocations"
                : (o.wholeReads() + o.wholeWrites()) + " accesses in " + n + " invocations";
        failures.add(
            id + ": whole-collection access " + String.join(", ", o.wholeOps()) + " in " + inv);
        tags.add("whole");
      }
      if (o.scalarReads() + o.scalarWrites() > 0) {
        failures.add(
            id
                + ": read or written as one value in "
                + Rules.ratio(o.invocations(), n)
                + " invocations, and it is "
                + f.reasons.get(0));
        tags.add("scalar");
      }
      if (o.multiKeyInvocations() > 0) {
        failures.add(
            id
                + ": two or more keys in one invocation ("
                + Rules.ratio(o.multiKeyInvocations(), n)
                + ")");
        tags.add("two or more keys");
      }
      if (o.keyCandidates() == null || o.keyCandidates().isEmpty()) {
        String why = "key equals no message attribute";
        Object r = o.counterexample() == null ? null : o.counterexample().get("reason");
        if (r instanceof String s && s.startsWith("key equals")) why = s;
        failures.add(
            id + ": " + why + " (" + o.keyedInvocations() + " keyed invocations of " + n + ")");
        tags.add("key equals");
      }
      if (failures.isEmpty()) return null;
      Object r = o.counterexample() == null ? null : o.counterexample().get("reason");
      int pick = 0;
      if (r instanceof String reason) {
        for (int i = 0; i < tags.size(); i++) {
          String t = tags.get(i);
          boolean match =
              t.equals("whole")
                  ? reason.startsWith("whole") || reason.contains(" whole ")
                  : t.equals("scalar")
                      ? reason.startsWith("scalar") || reason.contains(" scalar ")
                      : reason.startsWith(t);
          if (match) {
            pick = i;
            break;
          }
        }
      }
      return new Failure(failures.get(pick), o.counterexample());
    }

    /** Sets v to MONOTONIC and returns null, or returns why not. */
    private Failure monotonic() {
      List<String> found = new ArrayList<>();
      for (String id : v.touched) {
        FieldObservation o = v.obs(id);
        long non = Rules.count(o.writeKinds(), WriteKind.NONMONOTONE);
        if (non > 0) {
          return new Failure(
              id
                  + ": "
                  + non
                  + " non-monotone writes (decrease, remove, clear or "
                  + "incomparable overwrite) in "
                  + n
                  + " invocations",
              o.counterexample());
        }
      }
      for (String id : v.touched) {
        FieldObservation o = v.obs(id);
        FieldFacts f = facts.get(id);
        if (o.multiKeyInvocations() > 0 && f.writes.contains(WriteKind.NONMONOTONE)) {
          return new Failure(
              id
                  + ": reads two or more keys in one invocation ("
                  + Rules.ratio(o.multiKeyInvocations(), n)
                  + ") of state that changes non-monotonically",
              o.counterexample());
        }
        if (o.reads() > 0 && f.writes.contains(WriteKind.NONMONOTONE)) {
          // a point lookup or threshold test of state that some handler shrinks, removes from or
          // overwrites incomparably can flip back: it is no monotone read
          return new Failure(
              id
                  + ": read here, and written non-monotonically by "
                  + String.join(
                      ", ",
                      f.touching.stream()
                          .filter(
                              h ->
                                  h.fields().containsKey(id)
                                      && !Rules.monotoneWrites(h.fields().get(id)))
                          .map(HandlerTrace::handler)
                          .toList()),
              o.counterexample());
        }
        boolean threshold = st != null && st.thresholdOnly().contains(id);
        if (o.wholeReads() > 0) {
          boolean sizeOnly = true;
          for (String op : o.wholeOps()) {
            if (!THRESHOLD_WHOLE_OPS.contains(op) && !GROWING_WHOLE_OPS.contains(op))
              sizeOnly = false;
          }
          boolean growOnly = f.writes.stream().allMatch(w -> w == WriteKind.GROW);
          if (!(sizeOnly && growOnly && threshold)) {
            String why =
                !sizeOnly
                    ? ""
                    : !growOnly
                        ? " on a field not written only by GROW"
                        : " not confirmed by the bytecode as a threshold test";
            return new Failure(
                id
                    + ": whole-collection read "
                    + String.join(", ", o.wholeOps())
                    + " in "
                    + (o.wholeInvocations() > 0
                        ? Rules.ratio(o.wholeInvocations(), n) + " invocations"
                        : o.wholeReads() + " reads")
                    + why,
                o.counterexample());
          }
          found.add(
              id
                  + ": "
                  + String.join(", ", o.wholeOps())
                  + " used only as a threshold test (bytecode), the field only grows");
        }
        if (o.scalarReads() > 0) {
          boolean rmw =
              o.scalarWrites() > 0
                  && Rules.monotoneWrites(o)
                  && !Rules.allocates(o)
                  && (o.scalarReads() <= o.scalarWrites() || o.scalarWrites() >= o.invocations());
          if (threshold) {
            found.add(id + ": read only in comparisons (threshold test, bytecode)");
          } else if (rmw) {
            found.add(
                id
                    + ": read to merge into itself ("
                    + o.scalarReads()
                    + " reads, "
                    + o.scalarWrites()
                    + " GROW/INFLATE writes, "
                    + o.mergeWrites()
                    + " joins of the message)");
          } else {
            return new Failure(
                id
                    + ": its value is read ("
                    + o.scalarReads()
                    + " reads, "
                    + o.scalarWrites()
                    + " writes) and not only as a threshold test or to merge into it",
                o.counterexample());
          }
        }
      }
      v.handlerClass = HandlerClass.MONOTONIC;
      v.monotone = true;
      List<String> lead = new ArrayList<>();
      for (String id : v.touched) {
        FieldObservation o = v.obs(id);
        StringBuilder sb = new StringBuilder(id).append(": ");
        if (o.writes() > 0) {
          sb.append(o.writes()).append(" writes, all ").append(writeKindsText(o));
        } else {
          sb.append("read only");
        }
        if (o.keyedReads() > 0) sb.append(", ").append(o.keyedReads()).append(" point lookups");
        sb.append(" (").append(Rules.ratio(o.invocations(), n)).append(" invocations)");
        lead.add(sb.toString());
      }
      v.reasons.addAll(lead);
      v.reasons.addAll(found);
      crossCheck(List.of());
      fewInvocations();
      return null;
    }

    private static String writeKindsText(FieldObservation o) {
      List<String> s = new ArrayList<>();
      o.writeKinds()
          .forEach(
              (k, c) -> {
                if (c != null && c > 0) s.add(k.name());
              });
      return String.join("/", s);
    }

    private void fewInvocations() {
      if (n < Rules.FEW_INVOCATIONS) v.unconfirm("only " + n + " invocations observed");
    }

    private void crossCheckStateless() {
      if (st == null) return;
      if (!st.stateFieldsReached().isEmpty()) {
        v.unconfirm(
            "state field "
                + String.join(", ", st.stateFieldsReached())
                + " reachable on paths never executed");
      }
      if (!st.complete()) v.unconfirm("static pass incomplete" + notesText(st));
    }

    /**
     * Lowers a PARTITIONABLE or MONOTONIC verdict where the bytecode disagrees or says too little.
     */
    private void crossCheck(List<String> partitioned) {
      if (st == null) {
        v.unconfirm("no static confirmation");
        return;
      }
      Set<String> unseen = new LinkedHashSet<>(st.stateFieldsReached());
      unseen.removeAll(v.touched);
      for (String f : unseen)
        v.unconfirm("state field " + f + " reachable on paths never executed");
      for (String id : partitioned) {
        Set<String> src = st.keySources().get(id);
        if (src == null) continue;
        for (String s : src) {
          if (!s.equals(v.partitionKey) && !s.equals("?")) {
            v.unconfirm("bytecode derives the key of " + id + " from " + s);
          }
        }
        if (src.contains("?")) {
          v.reasons.add(
              "note: bytecode also computes a key of "
                  + id
                  + " from something other than "
                  + "a message attribute");
        }
      }
      if (!st.complete()) v.unconfirm("static pass incomplete" + notesText(st));
      if (!st.escapes().isEmpty()) {
        v.unconfirm(
            "state escapes to code outside the service: " + String.join(", ", st.escapes()));
      }
    }

    private static String notesText(StaticFacts st) {
      return st.notes().isEmpty() ? "" : ": " + st.notes().get(0);
    }

    private static Map<String, Object> evidence(FieldObservation o, FieldFacts f) {
      Map<String, Object> m = new LinkedHashMap<>(o.toJson());
      m.remove("field");
      m.remove("counterexample");
      m.remove("allocationExample");
      m.put("replicable", f != null && f.replicable);
      return m;
    }
  }
}
