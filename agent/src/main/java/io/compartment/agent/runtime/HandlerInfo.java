package io.compartment.agent.runtime;

/**
 * A traced handler method and its sampling state. Counting every call is the only work done on the
 * hot path of a call that is not recorded.
 *
 * <p>The count is a plain field, not an atomic: an atomic increment costs more than a small handler
 * itself. Calls of one handler made concurrently from several threads may therefore be
 * undercounted; calls from one thread (an event loop, the usual shape of a protocol node) are
 * counted exactly.
 */
public final class HandlerInfo {
  private final int id;
  private final String service;
  private final String method;
  private final String descriptor;
  private final String reportName;
  private final ClassLoader loader;

  /** Every call, counted with a plain increment: concurrent calls can only be undercounted. */
  private long invocations;

  /** Length of the current interval: the calls up to and including the next recorded one. */
  private int interval = 1;

  /** Calls left in the current interval; the call that brings it to zero is recorded. */
  private int countdown = 1;

  private long random;

  /** One call in {@code sampleMask + 1} is recorded, on average; 0 records every call. */
  private volatile int sampleMask;

  /** The sparsest sampling that stability of the summary allows (set by the aggregator). */
  private volatile int stabilityMask;

  /** The sampling that keeps the cost of recording this handler within budget. */
  private volatile int costMask;

  /**
   * Amortized cost of recording allowed per call, in nanoseconds. A handler whose recorded calls
   * take longer than this (a scan over a large map, where every element passes through a hook) is
   * recorded one call in the next power of two above cost / budget, from its first recorded call.
   */
  static final long RECORDING_BUDGET_NS = 2_000;

  /** False with {@code sample=all}: every call is recorded, whatever recording it costs. */
  private static volatile boolean costBudget = true;

  /** Whether recording keeps to {@link #RECORDING_BUDGET_NS} per call ({@code sample=adaptive}). */
  public static void costBudget(boolean on) {
    costBudget = on;
  }

  static final int COLD_CALLS = 32;
  private long recordedCalls;
  private long averageCostNanos;

  /**
   * One call in this many that is not recorded is timed, to measure what the handler costs without
   * the recording: the profile that names a service's bottleneck.
   */
  static final int TIMING_INTERVAL = 64;

  private int timingCountdown = TIMING_INTERVAL;
  private long timedCalls;
  private volatile long plainCostNanos;

  public HandlerInfo(
      int id,
      String service,
      String method,
      String descriptor,
      String reportName,
      ClassLoader loader) {
    this.id = id;
    this.service = service;
    this.method = method;
    this.descriptor = descriptor;
    this.reportName = reportName;
    this.loader = loader;
  }

  /** Counts the call and decides whether to record it. */
  boolean countAndSample() {
    invocations++;
    if (--countdown > 0) return false;
    nextInterval();
    return true;
  }

  /**
   * Starts the interval to the next recorded call: on average {@code sampleMask + 1} calls long,
   * its length drawn at random so that periodic workloads do not alias with it. Runs once per
   * recorded call, off the common path.
   */
  private void nextInterval() {
    int mask = sampleMask;
    if (mask == 0) {
      interval = 1;
    } else {
      long x = random == 0 ? 0x9E3779B97F4A7C15L ^ id : random;
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      random = x;
      interval = 1 + (int) Long.remainderUnsigned(x, 2L * mask + 1);
    }
    countdown = interval;
  }

  /** Whether to time this call, which is not recorded; one in {@value #TIMING_INTERVAL}. */
  boolean timeThisCall() {
    if (--timingCountdown > 0) return false;
    timingCountdown = TIMING_INTERVAL;
    return true;
  }

  /**
   * Notes how long a call that was not recorded took, inclusive of handlers it called. After the
   * first {@value #COLD_CALLS} timed calls (interpreted code, class loading), an exponential moving
   * average with weight 1/16, so that the figure follows the workload. Called from the calling
   * thread; concurrent calls from several threads may lose an update, which an average tolerates.
   */
  void plainCost(long nanos) {
    if (++timedCalls <= COLD_CALLS) return;
    long avg = plainCostNanos;
    plainCostNanos = avg == 0 ? nanos : avg + (nanos - avg) / 16;
  }

  /** Mean time of a call that is not recorded, in ns; 0 until enough calls were timed. */
  public long plainCostNanos() {
    return plainCostNanos;
  }

  /** Calls timed for {@link #plainCostNanos()}, the cold ones included. */
  public long timedCalls() {
    return timedCalls;
  }

  public int id() {
    return id;
  }

  /** Binary name of the service class that declares the handler. */
  public String service() {
    return service;
  }

  public String method() {
    return method;
  }

  public String descriptor() {
    return descriptor;
  }

  /** The name in reports: the method name, or {@code name(Type,...)} when overloaded. */
  public String reportName() {
    return reportName;
  }

  public ClassLoader loader() {
    return loader;
  }

  public long invocations() {
    return invocations;
  }

  public int sampleMask() {
    return sampleMask;
  }

  /** The sampling mask that stability allows (a power of two minus one; 0 records every call). */
  public int stabilityMask() {
    return stabilityMask;
  }

  /** Sets the mask that stability allows; the effective mask also honours the cost budget. */
  public void stabilityMask(int mask) {
    this.stabilityMask = mask;
    int effective = Math.max(mask, costMask);
    if (effective < sampleMask) countdown = Math.min(countdown, 1);
    this.sampleMask = effective;
  }

  /**
   * Notes how long a recorded call took, and sets sampling so that recording this handler costs at
   * most {@link #RECORDING_BUDGET_NS} per call on average. The first {@value #COLD_CALLS} recorded
   * calls do not count: they pay for class loading, call-site linking and interpreted code. After
   * them an exponential moving average (weight 1/8) of the cost decides. Called on the recording
   * thread only.
   */
  void recordedCost(long nanos) {
    if (!costBudget || ++recordedCalls <= COLD_CALLS) return;
    averageCostNanos =
        averageCostNanos == 0 ? nanos : averageCostNanos + (nanos - averageCostNanos) / 8;
    long ratio = averageCostNanos / RECORDING_BUDGET_NS;
    int mask = ratio < 1 ? 0 : (int) Math.min(Long.highestOneBit(ratio) * 2 - 1, (1 << 20) - 1);
    if (mask != costMask) {
      costMask = mask;
      sampleMask = Math.max(stabilityMask, mask);
    }
  }
}
