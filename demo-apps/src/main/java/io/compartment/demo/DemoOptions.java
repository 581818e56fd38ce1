package io.compartment.demo;

/**
 * How long and how much a demo runs. The workload stops issuing requests at whichever limit comes
 * first, then drains what is outstanding.
 *
 * @param durationSeconds wall-clock time to issue requests for
 * @param maxOps most client requests to issue ({@link Long#MAX_VALUE} for no limit)
 * @param seed seed of the network's delivery order and of every client's choices
 * @param transport how the demo's nodes are spread over processes; null for what the system
 *     property {@value Deployment#TRANSPORT_PROP} says, in-memory if it says nothing
 */
public record DemoOptions(
    double durationSeconds, long maxOps, long seed, Deployment.Transport transport) {

  public static final double DEFAULT_DURATION_SECONDS = 5.0;
  public static final long DEFAULT_SEED = 42L;

  /** A deadline far enough away to mean "no time limit" while staying safe in nanoTime sums. */
  public static final long FOREVER_NANOS = 1_000L * 24 * 3600 * 1_000_000_000L;

  /** Options whose transport the system property decides (in-memory by default). */
  public DemoOptions(double durationSeconds, long maxOps, long seed) {
    this(durationSeconds, maxOps, seed, null);
  }

  public DemoOptions {
    if (!(durationSeconds > 0)) {
      throw new IllegalArgumentException("duration must be positive: " + durationSeconds);
    }
    if (maxOps <= 0) {
      throw new IllegalArgumentException("ops must be positive: " + maxOps);
    }
  }

  /** Runs for {@code ops} requests with no time limit. */
  public static DemoOptions ops(long ops, long seed) {
    return new DemoOptions(Double.POSITIVE_INFINITY, ops, seed);
  }

  /** The same options with {@code transport}. */
  public DemoOptions withTransport(Deployment.Transport transport) {
    return new DemoOptions(durationSeconds, maxOps, seed, transport);
  }

  public long durationNanos() {
    double nanos = durationSeconds * 1e9;
    return nanos >= FOREVER_NANOS ? FOREVER_NANOS : (long) nanos;
  }

  /** A fresh budget whose clock starts now. */
  public Budget budget() {
    return new Budget(maxOps, System.nanoTime() + durationNanos());
  }
}
