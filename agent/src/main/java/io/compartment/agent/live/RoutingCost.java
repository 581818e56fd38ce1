package io.compartment.agent.live;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.LongAdder;

/**
 * What routing costs the host, measured while compartments are enabled, for the profile's model (it
 * replaces the model's default, and a {@code compartment.profile.route.ns} setting replaces it):
 * CPU time per routed call of
 *
 * <ul>
 *   <li>the calling threads, from encoding a call to having its answer (one call in {@value
 *       #SAMPLE_EVERY} is timed with its thread's CPU clock; a caller that polls the replies while
 *       it waits also takes, and performs the emits of, other calls' results), and
 *   <li>the reply poller's thread, over the time some compartment was enabled, idling included.
 * </ul>
 *
 * The media driver's threads are not counted. No figure until {@value #MIN_CALLS} calls were routed
 * and {@value #MIN_SAMPLES} of them timed.
 */
public final class RoutingCost {
  /** One routed call in this many is timed on its calling thread (a power of two). */
  static final int SAMPLE_EVERY = 64;

  static final long MIN_CALLS = 1_000;
  static final long MIN_SAMPLES = 16;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final boolean SUPPORTED = supported();

  private static final LongAdder CALLS = new LongAdder();
  private static final LongAdder SAMPLES = new LongAdder();
  private static final LongAdder SAMPLED_NS = new LongAdder();

  private static volatile long pollerThreadId = -1;

  /** Poller CPU over earlier enabled periods, in ns. */
  private static long pollerNs;

  /** The poller's CPU clock when the current enabled period began; -1 outside one. */
  private static long periodStart = -1;

  private RoutingCost() {}

  private static boolean supported() {
    try {
      return THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * A call is about to be routed: its thread's CPU clock if this call is to be timed, else -1.
   *
   * @param routed calls this route has routed so far, to pick one in {@value #SAMPLE_EVERY}.
   */
  static long begin(long routed) {
    if (!SUPPORTED || (routed & (SAMPLE_EVERY - 1)) != 0) return -1;
    return THREADS.getCurrentThreadCpuTime();
  }

  /** A call was routed; {@code start} is what {@link #begin} returned for it. */
  static void end(long start) {
    CALLS.increment();
    if (start < 0) return;
    long spent = THREADS.getCurrentThreadCpuTime() - start;
    if (spent >= 0) {
      SAMPLES.increment();
      SAMPLED_NS.add(spent);
    }
  }

  /** The reply poller's thread started (on that thread). */
  static void pollerStarted() {
    pollerThreadId = Thread.currentThread().getId();
  }

  /** Whether some compartment is enabled now: the poller's CPU counts only while one is. */
  static synchronized void enabled(boolean any) {
    long now = pollerCpuNs();
    if (any && periodStart < 0 && now >= 0) {
      periodStart = now;
    } else if (!any && periodStart >= 0) {
      if (now >= periodStart) pollerNs += now - periodStart;
      periodStart = -1;
    }
  }

  private static long pollerCpuNs() {
    long id = pollerThreadId;
    if (!SUPPORTED || id < 0) return -1;
    try {
      return THREADS.getThreadCpuTime(id);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /**
   * The host's CPU time per routed call so far, in ns; 0 when too few calls were routed or the JVM
   * cannot measure thread CPU time.
   */
  public static synchronized long measuredNs() {
    long calls = CALLS.sum();
    long samples = SAMPLES.sum();
    if (!SUPPORTED || calls < MIN_CALLS || samples < MIN_SAMPLES) return 0;
    long poller = pollerNs;
    long now = pollerCpuNs();
    if (periodStart >= 0 && now >= periodStart) poller += now - periodStart;
    return Math.round((double) SAMPLED_NS.sum() / samples + (double) poller / calls);
  }

  /** Routed calls counted so far. */
  static long calls() {
    return CALLS.sum();
  }
}
