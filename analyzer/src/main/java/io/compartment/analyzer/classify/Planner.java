package io.compartment.analyzer.classify;

import io.compartment.analyzer.classify.Classifier.Verdict;
import io.compartment.analyzer.report.CompartmentReport;
import io.compartment.analyzer.report.HandlerClass;
import io.compartment.analyzer.report.Plan;
import io.compartment.analyzer.report.ServiceReport;
import io.compartment.analyzer.trace.FieldObservation;
import io.compartment.analyzer.trace.ServiceTrace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Groups a service's handlers into compartments by the state they share and picks each group's plan
 * (DESIGN sections 3 and 4).
 */
final class Planner {
  private Planner() {}

  static List<CompartmentReport> plan(
      ServiceTrace service, List<Verdict> verdicts, Map<String, FieldFacts> facts) {
    String prefix = ServiceReport.simpleName(service.service());
    // Union handlers that touch a common field.
    int[] parent = new int[verdicts.size()];
    for (int i = 0; i < parent.length; i++) parent[i] = i;
    Map<String, Integer> firstToucher = new LinkedHashMap<>();
    for (int i = 0; i < verdicts.size(); i++) {
      Verdict v = verdicts.get(i);
      if (v.handlerClass == HandlerClass.UNOBSERVED) continue;
      for (String f : v.touched) {
        Integer j = firstToucher.putIfAbsent(f, i);
        if (j != null) union(parent, i, j);
      }
    }
    Map<Integer, List<Verdict>> groups = new LinkedHashMap<>();
    for (int i = 0; i < verdicts.size(); i++) {
      Verdict v = verdicts.get(i);
      if (v.handlerClass == HandlerClass.UNOBSERVED) continue;
      groups.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(v);
    }
    List<CompartmentReport> out = new ArrayList<>();
    for (List<Verdict> group : groups.values()) {
      out.add(planGroup(prefix + "#" + (out.size() + 1), group, facts));
    }
    return out;
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  private static void union(int[] parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    if (ra != rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }

  /**
   * A handler that may be sent to every partition: not itself partitionable, writes nothing but
   * GROW/INFLATE to replicated fields, and otherwise only reads.
   */
  static boolean broadcastable(Verdict v, Map<String, FieldFacts> facts) {
    if (v.handlerClass == HandlerClass.PARTITIONABLE
        || v.handlerClass == HandlerClass.UNOBSERVED
        || v.handlerClass == HandlerClass.STATELESS) {
      return false;
    }
    if (v.trace.truncated() > 0 || !v.trace.configWrites().isEmpty()) return false;
    for (String id : v.touched) {
      FieldObservation o = v.obs(id);
      if (o.writes() == 0) continue;
      if (!facts.get(id).replicable || !Rules.monotoneWrites(o) || Rules.allocates(o)) return false;
    }
    return true;
  }

  private static CompartmentReport planGroup(
      String id, List<Verdict> group, Map<String, FieldFacts> facts) {
    List<String> handlers = new ArrayList<>();
    group.forEach(v -> handlers.add(v.name()));
    Set<String> touched = new LinkedHashSet<>();
    for (String f : facts.keySet()) {
      for (Verdict v : group) if (v.touched.contains(f)) touched.add(f);
    }
    List<String> state = new ArrayList<>(touched);
    List<String> reasons = new ArrayList<>();
    boolean confirmed = group.stream().allMatch(v -> v.confirmed);
    for (Verdict v : group) {
      if (!v.confirmed && v.unconfirmedBecause != null) {
        reasons.add(v.name() + " needs confirmation: " + v.unconfirmedBecause);
      }
    }

    if (group.stream().allMatch(v -> v.handlerClass == HandlerClass.STATELESS)) {
      List<String> r = new ArrayList<>();
      r.add("touches no state: replicate freely, any routing");
      r.addAll(reasons);
      return new CompartmentReport(
          id, handlers, state, Plan.REPLICATE, Map.of(), List.of(), List.of(), confirmed, r);
    }

    List<Verdict> routed = new ArrayList<>();
    List<Verdict> broadcast = new ArrayList<>();
    List<Verdict> blocking = new ArrayList<>();
    for (Verdict v : group) {
      if (v.handlerClass == HandlerClass.PARTITIONABLE) {
        routed.add(v);
      } else if (broadcastable(v, facts)) {
        broadcast.add(v);
      } else {
        blocking.add(v);
      }
    }

    if (!routed.isEmpty() && blocking.isEmpty()) {
      List<String> replicated = new ArrayList<>();
      List<String> partitioned = new ArrayList<>();
      for (String f : state) {
        if (facts.get(f).replicable) replicated.add(f);
        else partitioned.add(f);
      }
      String coFailure = coPartitionFailure(group, routed, broadcast, partitioned);
      if (coFailure == null) {
        Map<String, String> routes = new LinkedHashMap<>();
        routed.forEach(v -> routes.put(v.name(), v.partitionKey));
        List<String> r = new ArrayList<>();
        List<String> routeText = new ArrayList<>();
        routes.forEach((h, k) -> routeText.add(h + " -> " + k));
        r.add(
            "partition "
                + String.join(", ", partitioned)
                + " by key: "
                + String.join(", ", routeText));
        for (String f : replicated) {
          r.add(f + " replicated to every partition: " + facts.get(f).reasons.get(0));
        }
        for (Verdict b : broadcast) {
          r.add(
              b.name()
                  + " broadcast to every partition, replies gathered and merged: it writes only "
                  + "replicated lattice fields and otherwise reads");
          for (String doubt : broadcastDoubts(b)) {
            confirmed = false;
            r.add(b.name() + " needs confirmation as a broadcast: " + doubt);
          }
          for (String f : partitioned) {
            FieldObservation o = b.obs(f);
            if (o != null && o.wholeReads() > 0) {
              // each partition answers from its share of f: whether gathering those partial
              // replies (a union) gives the monolith's reply depends on what the reply means
              confirmed = false;
              r.add(
                  b.name()
                      + " needs confirmation as a broadcast: it reads all of partitioned "
                      + f
                      + ", so each partition replies from its share; the merged replies equal the"
                      + " monolith's only if the reply is a union of per-key parts");
            }
          }
        }
        for (Verdict v : routed) {
          for (String f : v.raises) {
            confirmed = false;
            r.add(
                v.name()
                    + " may raise replicated field "
                    + f
                    + ": the raise is propagated to the "
                    + "other partitions as a max; safe only if the protocol tolerates a delayed raise");
          }
        }
        r.addAll(reasons);
        List<String> bnames = new ArrayList<>();
        broadcast.forEach(v -> bnames.add(v.name()));
        return new CompartmentReport(
            id, handlers, state, Plan.PARTITION, routes, replicated, bnames, confirmed, r);
      }
      List<String> r = new ArrayList<>();
      r.add("co-partitioning fails: " + coFailure);
      r.addAll(reasons);
      return new CompartmentReport(
          id, handlers, state, Plan.KEEP, Map.of(), List.of(), List.of(), true, r);
    }

    boolean anyMonotonic = group.stream().anyMatch(v -> v.handlerClass == HandlerClass.MONOTONIC);
    boolean allDecouplable =
        group.stream()
            .allMatch(
                v ->
                    v.handlerClass == HandlerClass.MONOTONIC
                        || (v.handlerClass == HandlerClass.PARTITIONABLE && v.monotone));
    if (anyMonotonic && allDecouplable) {
      List<String> r = new ArrayList<>();
      r.add(
          "every write grows or inflates "
              + String.join(", ", state)
              + " and reads are point lookups or threshold tests: run asynchronously in its own process");
      r.addAll(reasons);
      return new CompartmentReport(
          id, handlers, state, Plan.DECOUPLE, Map.of(), List.of(), List.of(), confirmed, r);
    }

    List<String> r = new ArrayList<>();
    List<Verdict> culprits = blocking.isEmpty() ? group : blocking;
    for (Verdict v : culprits) {
      if (v.handlerClass == HandlerClass.SEQUENTIAL) {
        r.add(v.name() + " is SEQUENTIAL: " + (v.reasons.isEmpty() ? "" : v.reasons.get(0)));
      } else if (v.handlerClass == HandlerClass.MONOTONIC && !routed.isEmpty()) {
        r.add(v.name() + " is MONOTONIC but writes state the partitioned handlers share");
      }
    }
    if (r.isEmpty()) r.add("its handlers share state but fit no common plan");
    if (!group.stream().allMatch(v -> v.handlerClass == HandlerClass.SEQUENTIAL)) {
      r.add("shares state with: " + String.join(", ", handlers));
    }
    return new CompartmentReport(
        id, handlers, state, Plan.KEEP, Map.of(), List.of(), List.of(), true, r);
  }

  /** Why the evidence that a handler only reads and raises lattice fields may be too thin. */
  static List<String> broadcastDoubts(Verdict b) {
    List<String> doubts = new ArrayList<>();
    long n = b.trace.recorded();
    if (n < Rules.FEW_INVOCATIONS) doubts.add("only " + n + " invocations observed");
    io.compartment.analyzer.trace.StaticFacts st = b.trace.staticFacts();
    if (st == null) {
      doubts.add("no static confirmation");
      return doubts;
    }
    for (String f : st.stateFieldsReached()) {
      if (!b.touched.contains(f))
        doubts.add("state field " + f + " reachable on paths never executed");
    }
    if (!st.complete()) doubts.add("static pass incomplete");
    return doubts;
  }

  /**
   * Every partitioned field must be reached by every routed handler that touches it through its
   * route key alone, and only read by broadcast ones; null if so, else what breaks it.
   */
  private static String coPartitionFailure(
      List<Verdict> group,
      List<Verdict> routed,
      List<Verdict> broadcast,
      List<String> partitioned) {
    for (String f : partitioned) {
      for (Verdict v : group) {
        FieldObservation o = v.obs(f);
        if (o == null || !v.touched.contains(f)) continue;
        if (routed.contains(v)) {
          if (!Rules.keyedOnly(o)) {
            return v.name() + " does not reach " + f + " through one key alone";
          }
          if (!o.keyCandidates().contains(v.partitionKey)) {
            return v.name()
                + " is routed by "
                + v.partitionKey
                + " but keys "
                + f
                + " by "
                + o.keyCandidates();
          }
        } else if (broadcast.contains(v) && o.writes() > 0) {
          return v.name() + " is broadcast but writes partitioned field " + f;
        }
      }
    }
    return null;
  }
}
