package io.compartment.analyzer.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a service process spends its handler time, and what to scale: each compartment's load (its
 * handlers' invocations times their measured cost per call), the sequential core (every {@code
 * KEEP} compartment, and handlers in none), the bottleneck compartment to scale first, and a
 * partition or replica count for each compartment that can be scaled.
 *
 * <p>The model is Amdahl's: the process's handlers share its threads, so once a compartment runs in
 * {@code N} workers its load is divided by {@code N} and the rate is bounded by the slowest of the
 * sequential core and each scaled compartment's share. The recommended count is the smallest that
 * takes a compartment below the core's load (at most {@value #MAX_COUNT}): beyond it the core is
 * the bottleneck and more workers buy nothing. A {@code DECOUPLE} compartment runs in one worker.
 * What the model leaves out: the cost of routing a call and of the messages between processes, and
 * cores: it assumes each worker gets a core of its own.
 *
 * <p>Costs come from calls that were timed and not recorded (the agent times one call in 64), so
 * tracing does not inflate them. A handler that calls another handler of its own service includes
 * the callee's time.
 *
 * @param entries every compartment with its load, largest first
 * @param totalNs handler time of the whole run, in ns
 * @param coreNs handler time of the sequential core, in ns
 */
public record Profile(List<Entry> entries, long totalNs, long coreNs) {
  /** The largest count recommended. */
  public static final int MAX_COUNT = 16;

  /**
   * One compartment.
   *
   * @param service binary name of its service
   * @param compartment its id
   * @param plan its plan
   * @param loadNs handler time of its handlers, in ns
   * @param recommended partitions or replicas to enable it with; 1 for {@code KEEP}
   */
  public record Entry(
      String service, String compartment, Plan plan, long loadNs, int recommended) {}

  /** The profile of {@code report}'s services, taken as one process. */
  public static Profile of(Report report) {
    List<Entry> raw = new ArrayList<>();
    long core = 0;
    long total = 0;
    for (ServiceReport s : report.services()) {
      Map<String, Long> loadByHandler = new LinkedHashMap<>();
      for (HandlerReport h : s.handlers()) {
        loadByHandler.put(h.handler(), h.invocations() * h.costNs());
      }
      for (CompartmentReport c : s.compartments()) {
        long load = 0;
        for (String h : c.handlers()) {
          Long l = loadByHandler.remove(h);
          if (l != null) load += l;
        }
        raw.add(new Entry(s.service(), c.id(), c.plan(), load, 1));
        total += load;
        if (c.plan() == Plan.KEEP) core += load;
      }
      for (long loose : loadByHandler.values()) {
        total += loose;
        core += loose;
      }
    }
    List<Entry> entries = new ArrayList<>();
    for (Entry e : raw) {
      entries.add(new Entry(e.service(), e.compartment(), e.plan(), e.loadNs(), count(e, core)));
    }
    entries.sort(Comparator.comparingLong(Entry::loadNs).reversed());
    return new Profile(entries, total, core);
  }

  private static int count(Entry e, long core) {
    if (e.plan() == Plan.KEEP || e.plan() == Plan.DECOUPLE || e.loadNs() == 0) return 1;
    if (core == 0) return MAX_COUNT;
    long n = (e.loadNs() + core - 1) / core;
    return (int) Math.max(1, Math.min(MAX_COUNT, n));
  }

  /** Whether any handler's cost was measured. */
  public boolean measured() {
    return totalNs > 0;
  }

  /** The compartment with the most handler time, scalable or not; null if nothing was measured. */
  public Entry bottleneck() {
    return entries.isEmpty() || entries.get(0).loadNs() == 0 ? null : entries.get(0);
  }

  /** The scalable compartment with the most handler time; null if there is none. */
  public Entry scaleFirst() {
    return entries.stream()
        .filter(e -> e.plan() != Plan.KEEP && e.loadNs() > 0)
        .findFirst()
        .orElse(null);
  }

  /** Share of handler time in the sequential core, 0 to 1. */
  public double coreShare() {
    return totalNs == 0 ? 0 : (double) coreNs / totalNs;
  }

  /** Share of handler time in {@code e}, 0 to 1. */
  public double share(Entry e) {
    return totalNs == 0 ? 0 : (double) e.loadNs() / totalNs;
  }

  /** The most any count could speed the process up (Amdahl); infinite without a core. */
  public double speedupBound() {
    return coreNs == 0 ? Double.POSITIVE_INFINITY : (double) totalNs / coreNs;
  }

  /** The speedup the model predicts with every scalable compartment at its recommended count. */
  public double predictedSpeedup() {
    return speedup(e -> e.recommended());
  }

  /**
   * The speedup the model predicts with every scalable compartment enabled with {@code count}
   * partitions or replicas ({@code DECOUPLE} ones with one).
   */
  public double speedupAt(int count) {
    return speedup(e -> e.plan() == Plan.DECOUPLE ? 1 : count);
  }

  private double speedup(java.util.function.ToIntFunction<Entry> count) {
    double slowest = coreNs;
    for (Entry e : entries) {
      if (e.plan() != Plan.KEEP) {
        slowest = Math.max(slowest, (double) e.loadNs() / count.applyAsInt(e));
      }
    }
    return slowest == 0 ? 1 : totalNs / slowest;
  }

  /** The {@code profile} member of the report. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("measured", measured());
    m.put(
        "basis",
        "handler time = invocations x mean time of an unrecorded call (1 in 64 timed);"
            + " routing and messaging costs are not modelled");
    m.put("handlerMs", round(totalNs / 1e6));
    m.put("sequentialCoreShare", round(coreShare()));
    double bound = speedupBound();
    m.put("speedupBound", Double.isInfinite(bound) ? null : round(bound));
    m.put("predictedSpeedup", round(predictedSpeedup()));
    Map<String, Object> at = new LinkedHashMap<>();
    for (int n = 1; n <= MAX_COUNT; n *= 2) {
      at.put(Integer.toString(n), round(speedupAt(n)));
    }
    m.put("speedupAt", at);
    Entry b = bottleneck();
    m.put("bottleneck", b == null ? null : entryJson(b));
    Entry first = scaleFirst();
    m.put("scaleFirst", first == null ? null : entryJson(first));
    List<Object> es = new ArrayList<>();
    entries.forEach(e -> es.add(entryJson(e)));
    m.put("compartments", es);
    return m;
  }

  private Map<String, Object> entryJson(Entry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service", e.service());
    m.put("compartment", e.compartment());
    m.put("plan", e.plan().name());
    m.put("handlerMs", round(e.loadNs() / 1e6));
    m.put("share", round(share(e)));
    m.put("recommendedCount", e.recommended());
    return m;
  }

  private static double round(double x) {
    return Math.round(x * 1000) / 1000.0;
  }
}
