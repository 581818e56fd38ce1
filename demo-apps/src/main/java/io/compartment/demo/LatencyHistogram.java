package io.compartment.demo;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in nanoseconds, recorded from any thread into log-linear buckets: exact below 64 ns,
 * then 64 buckets per power of two (under 1.6% error). Percentiles are the midpoint of the bucket
 * that holds the rank; the maximum is exact.
 */
public final class LatencyHistogram {
  private static final int SUB = 64;
  private static final int BUCKETS = SUB * 59;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong max = new AtomicLong();

  public void record(long nanos) {
    long v = Math.max(0, nanos);
    counts.incrementAndGet(index(v));
    count.incrementAndGet();
    if (v > max.get()) max.accumulateAndGet(v, Math::max);
  }

  public long count() {
    return count.get();
  }

  public long maxNanos() {
    return max.get();
  }

  /** Nearest-rank percentile in nanoseconds; 0 when nothing was recorded. */
  public double percentileNanos(double p) {
    long n = count.get();
    if (n == 0) return 0;
    long rank = Math.max(1, (long) Math.ceil(p / 100.0 * n));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts.get(i);
      if (seen >= rank) return Math.min(middle(i), max.get());
    }
    return max.get();
  }

  static int index(long v) {
    if (v < SUB) return (int) v;
    int e = 63 - Long.numberOfLeadingZeros(v);
    int magnitude = e - 5;
    int sub = (int) (v >>> (e - 6)) - SUB;
    return magnitude * SUB + sub;
  }

  private static double middle(int index) {
    if (index < SUB) return index;
    int magnitude = index / SUB;
    int sub = index % SUB;
    int e = magnitude + 5;
    long low = (long) (SUB + sub) << (e - 6);
    long width = 1L << (e - 6);
    return low + (width - 1) / 2.0;
  }
}
