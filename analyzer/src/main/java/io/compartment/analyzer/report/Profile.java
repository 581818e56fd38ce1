package io.compartment.analyzer.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a service process spends its handler time, and what to scale: each compartment's load (its
 * handlers' invocations times their measured cost per call), the sequential core (every {@code
 * KEEP} compartment, and handlers in none), the bottleneck compartment to scale first, and a
 * partition or replica count for each compartment that can be scaled.
 *
 * <p>The model is Amdahl's, with the cost of routing: the host process runs its sequential core,
 * every compartment left in it, each enabled compartment's broadcast handlers (they run in the host
 * on the gathered state) and {@link #routeNs() routeNs} of its own time for every call it routes (a
 * broadcast: one per worker). An enabled compartment's other handler time is divided among its
 * {@code N} workers. The rate is bounded by the slowest of the host and each worker. Each
 * compartment gets the count that makes the process fastest with the others' counts fixed (the
 * smallest count within 1% of the fastest, at most {@value #MAX_COUNT}; 1 for a {@code DECOUPLE}
 * compartment, which runs whole in one worker), repeated until no count changes; it is recommended
 * only where that is 2 or more and gains at least {@value #MIN_GAIN_PERCENT}% over leaving it in
 * the host. What the model still leaves out: moving state for broadcasts, the workers' own
 * messaging costs, and cores: it assumes each worker gets a core of its own.
 *
 * <p>Costs come from calls that were timed and not recorded (the agent times one call in 64), so
 * tracing does not inflate them. A handler that calls another handler of its own service includes
 * the callee's time.
 *
 * @param entries every compartment with its load, largest first
 * @param totalNs handler time of the whole run, in ns
 * @param coreNs handler time of the sequential core, in ns
 * @param routeNs host time per routed call in the model, in ns
 * @param routeSource where {@code routeNs} came from: {@code setting}, {@code measured} (by the
 *     agent, while it routed calls) or {@code default}
 */
public record Profile(
    List<Entry> entries, long totalNs, long coreNs, long routeNs, String routeSource) {
  /** The largest count recommended. */
  public static final int MAX_COUNT = 16;

  /** The least gain, in percent of the rate, for which the model recommends a compartment. */
  public static final int MIN_GAIN_PERCENT = 5;

  /**
   * System property: the host's time per routed call in the model, in ns (default {@value
   * #DEFAULT_ROUTE_NS}); environment variable {@value #ROUTE_NS_ENV} when the property is unset.
   */
  public static final String ROUTE_NS_PROP = "compartment.profile.route.ns";

  /** Environment variable for {@link #ROUTE_NS_PROP}. */
  public static final String ROUTE_NS_ENV = "COMPARTMENT_PROFILE_ROUTE_NS";

  /**
   * Default host time per routed call, in ns: the service JVM's CPU per routed call measured by
   * {@code routed-rtt-vs-aeron-rtt} ({@code host_cpu_us_per_call}, 18.5 to 19.5 µs on a 2-core VM,
   * one call at a time). An estimate on the high side for calls that stream without waiting: where
   * the model cannot be sure, it leaves a compartment in the host.
   */
  public static final long DEFAULT_ROUTE_NS = 20_000;

  /**
   * One compartment.
   *
   * @param service binary name of its service
   * @param compartment its id
   * @param plan its plan
   * @param loadNs handler time of its handlers, in ns
   * @param routedCalls invocations of its handlers that would be routed to one worker each
   * @param broadcastCalls invocations of its broadcast handlers (sent to every worker)
   * @param broadcastNs handler time of its broadcast handlers, which run in the host, in ns
   * @param recommended partitions or replicas to enable it with; 1 for {@code KEEP}, and for a
   *     compartment the model leaves in the host
   * @param why why this count, in a sentence
   */
  public record Entry(
      String service,
      String compartment,
      Plan plan,
      long loadNs,
      long routedCalls,
      long broadcastCalls,
      long broadcastNs,
      int recommended,
      String why) {
    /** Whether the model moves it to workers: scalable, and recommended with 2 or more. */
    public boolean scaled() {
      return plan != Plan.KEEP && recommended >= 2;
    }

    Entry withCount(int count, String reason) {
      return new Entry(
          service,
          compartment,
          plan,
          loadNs,
          routedCalls,
          broadcastCalls,
          broadcastNs,
          count,
          reason);
    }

    /** The host's time for this compartment when enabled with {@code n}, in ns. */
    double hostNs(int n, long routeNs) {
      return broadcastNs + (double) routeNs * (routedCalls + (long) n * broadcastCalls);
    }

    /** One worker's time when enabled with {@code n}, in ns. */
    double workerNs(int n) {
      return (double) (loadNs - broadcastNs) / n;
    }
  }

  /**
   * The profile of {@code report}'s services, taken as one process. The host's time per routed call
   * is {@value #ROUTE_NS_PROP} (or {@value #ROUTE_NS_ENV}) where set, else what the agent measured
   * while it routed calls, else {@value #DEFAULT_ROUTE_NS} ns.
   */
  public static Profile of(Report report) {
    long routeNs = -1;
    try {
      routeNs = configuredRouteNs();
    } catch (IllegalArgumentException e) {
      // a report is still written or shown; the setting is named once
      if (!warned) {
        warned = true;
        System.err.println("compartment: " + e.getMessage() + "; the profile ignores it");
      }
    }
    if (routeNs >= 0) return of(report, routeNs, "setting");
    if (report.measuredRouteNs() > 0) return of(report, report.measuredRouteNs(), "measured");
    return of(report, DEFAULT_ROUTE_NS, "default");
  }

  private static volatile boolean warned;

  /**
   * The host time per routed call from {@value #ROUTE_NS_PROP}, else {@value #ROUTE_NS_ENV}, in ns;
   * -1 when neither is set.
   *
   * @throws IllegalArgumentException naming the setting when it is not a whole number of ns.
   */
  public static long configuredRouteNs() {
    String name = ROUTE_NS_PROP;
    String v = System.getProperty(ROUTE_NS_PROP);
    if (v == null || v.isBlank()) {
      name = ROUTE_NS_ENV;
      v = System.getenv(ROUTE_NS_ENV);
    }
    if (v == null || v.isBlank()) return -1;
    try {
      long ns = Long.parseLong(v.trim());
      if (ns >= 0) return ns;
    } catch (NumberFormatException e) {
      // named below
    }
    throw new IllegalArgumentException(
        name + "=" + v + " is not a whole number of nanoseconds, 0 or more");
  }

  /** The profile of {@code report}'s services, taken as one process, with this route cost. */
  public static Profile of(Report report, long routeNs) {
    return of(report, routeNs, "setting");
  }

  private static Profile of(Report report, long routeNs, String source) {
    List<Entry> raw = new ArrayList<>();
    long core = 0;
    long total = 0;
    long loose = 0;
    for (ServiceReport s : report.services()) {
      Map<String, HandlerReport> byName = new LinkedHashMap<>();
      for (HandlerReport h : s.handlers()) byName.put(h.handler(), h);
      for (CompartmentReport c : s.compartments()) {
        long load = 0;
        long routed = 0;
        long broadcastCalls = 0;
        long broadcastNs = 0;
        for (String name : c.handlers()) {
          HandlerReport h = byName.remove(name);
          if (h == null) continue;
          long l = h.invocations() * h.costNs();
          load += l;
          if (c.broadcast().contains(name)) {
            broadcastCalls += h.invocations();
            broadcastNs += l;
          } else {
            routed += h.invocations();
          }
        }
        raw.add(
            new Entry(
                s.service(), c.id(), c.plan(), load, routed, broadcastCalls, broadcastNs, 1, null));
        total += load;
        if (c.plan() == Plan.KEEP) core += load;
      }
      for (HandlerReport h : byName.values()) {
        long l = h.invocations() * h.costNs();
        total += l;
        core += l;
        loose += l;
      }
    }
    raw.sort(Comparator.comparingLong(Entry::loadNs).reversed());
    return new Profile(choose(raw, routeNs, loose), total, core, routeNs, source);
  }

  /**
   * Gives each scalable compartment its count: the best for the process with the others fixed, in
   * rounds until none changes (a few rounds: a count only grows when another compartment left the
   * host). {@code looseNs}: handler time in no compartment, which stays in the host.
   */
  private static List<Entry> choose(List<Entry> raw, long routeNs, long looseNs) {
    List<Entry> entries = new ArrayList<>(raw);
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      String why =
          e.plan() == Plan.KEEP ? "sequential: it stays in the host" : "no handler time measured";
      entries.set(i, e.withCount(1, why));
    }
    for (int round = 0; round < 2 * MAX_COUNT; round++) {
      boolean changed = false;
      for (int i = 0; i < entries.size(); i++) {
        Entry e = entries.get(i);
        if (e.plan() == Plan.KEEP || e.loadNs() == 0) continue;
        Entry best = best(entries, i, routeNs, looseNs);
        if (best.recommended() != e.recommended()) changed = true;
        entries.set(i, best);
      }
      if (!changed) break;
    }
    return entries;
  }

  /** Compartment {@code i}'s best count with every other one as it is in {@code entries}. */
  private static Entry best(List<Entry> entries, int i, long routeNs, long looseNs) {
    Entry e = entries.get(i);
    double total = looseNs;
    double host = looseNs;
    double worker = 0;
    for (int j = 0; j < entries.size(); j++) {
      Entry o = entries.get(j);
      total += o.loadNs();
      if (j == i) continue;
      if (o.scaled()) {
        host += o.hostNs(o.recommended(), routeNs);
        worker = Math.max(worker, o.workerNs(o.recommended()));
      } else {
        host += o.loadNs();
      }
    }
    double inHost = total / Math.max(host + e.loadNs(), worker);
    // a DECOUPLE compartment runs whole in one worker
    int most = e.plan() == Plan.DECOUPLE ? 1 : MAX_COUNT;
    double[] at = new double[most + 1];
    double top = 0;
    for (int n = 1; n <= most; n++) {
      at[n] = total / Math.max(Math.max(host + e.hostNs(n, routeNs), worker), e.workerNs(n));
      top = Math.max(top, at[n]);
    }
    int n = 1;
    while (at[n] < top * 0.99) n++;
    String unit = e.plan() == Plan.PARTITION ? "partition" : "replica";
    if (top < inHost * (1 + MIN_GAIN_PERCENT / 100.0)) {
      double routing = e.hostNs(1, routeNs) - e.broadcastNs();
      return e.withCount(
          1,
          String.format(
              Locale.ROOT,
              "routing does not pay: %,d calls x %.1f µs = %.1f ms of host time, against %.1f ms"
                  + " of handler time moved (%.2fx at best)",
              e.routedCalls() + e.broadcastCalls(),
              routeNs / 1e3,
              routing / 1e6,
              (e.loadNs() - e.broadcastNs()) / 1e6,
              top / inHost));
    }
    if (e.plan() == Plan.DECOUPLE) {
      return e.withCount(
          1,
          String.format(
              Locale.ROOT,
              "one worker would take it off the host: the process %.2fx as fast, in the model"
                  + " (enable it with 1 replica; --profiled enables only scaled compartments)",
              at[1] / inHost));
    }
    if (n == 1) {
      return e.withCount(
          1, "more than one " + unit + " does not pay while the host's other work is larger");
    }
    return e.withCount(
        n,
        String.format(
            Locale.ROOT,
            "%d %ss: the process %.2fx as fast as with it in the host, in the model",
            n,
            unit,
            at[n] / inHost));
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

  /**
   * The most any count could speed the process up (Amdahl over handler time, routing left out);
   * infinite without a core.
   */
  public double speedupBound() {
    return coreNs == 0 ? Double.POSITIVE_INFINITY : (double) totalNs / coreNs;
  }

  /** The speedup the model predicts with each recommended compartment at its count. */
  public double predictedSpeedup() {
    return speedup(Entry::recommended);
  }

  /**
   * The speedup the model predicts when every recommended compartment is enabled with {@code count}
   * partitions or replicas and the others stay in the host: what {@code enable --profiled
   * --partitions count} does. 1 when nothing is recommended.
   */
  public double speedupAt(int count) {
    return speedup(e -> count);
  }

  private double speedup(java.util.function.ToIntFunction<Entry> count) {
    double host = 0;
    double slowest = 0;
    for (Entry e : entries) {
      if (e.scaled()) {
        int n = count.applyAsInt(e);
        host += e.hostNs(n, routeNs);
        slowest = Math.max(slowest, e.workerNs(n));
      } else {
        host += e.loadNs();
      }
    }
    // the core's handlers in no compartment
    host +=
        coreNs - entries.stream().filter(e -> e.plan() == Plan.KEEP).mapToLong(Entry::loadNs).sum();
    slowest = Math.max(slowest, host);
    return slowest == 0 ? 1 : totalNs / slowest;
  }

  /** The {@code profile} member of the report. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("measured", measured());
    m.put(
        "basis",
        "handler time = invocations x mean time of an unrecorded call (1 in 64 timed);"
            + " an enabled compartment costs the host routeCostNs per routed call (a broadcast:"
            + " per worker) and its broadcast handlers' time; moving state for broadcasts and"
            + " the workers' messaging are not modelled");
    m.put("routeCostNs", routeNs);
    m.put("routeCostSource", routeSource);
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
    m.put("routedCalls", e.routedCalls());
    m.put("broadcastCalls", e.broadcastCalls());
    m.put("why", e.why());
    return m;
  }

  private static double round(double x) {
    return Math.round(x * 1000) / 1000.0;
  }
}
