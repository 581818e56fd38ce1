package io.compartment.demo;

/**
 * How much work a closed-loop workload may still start: at most {@code maxOps} requests, and none
 * after the deadline. Clients ask before each new request; once closed it stays closed, and the
 * workload drains what is outstanding.
 */
public final class Budget {

  private final long maxOps;
  private volatile long deadlineNanos;
  private volatile boolean keptOpen;
  private long issued;
  private boolean closed;
  private long concurrency;

  /**
   * @param maxOps most requests to issue, {@link Long#MAX_VALUE} for no limit
   * @param deadlineNanos {@link System#nanoTime()} after which no request is issued
   */
  public Budget(long maxOps, long deadlineNanos) {
    this.maxOps = maxOps;
    this.deadlineNanos = deadlineNanos;
  }

  /** A budget of {@code maxOps} requests with no time limit. */
  public static Budget ofOps(long maxOps) {
    return new Budget(maxOps, System.nanoTime() + DemoOptions.FOREVER_NANOS);
  }

  /** Takes one request from the budget; false once the budget is spent or past its deadline. */
  public boolean tryAcquire() {
    if (closed) {
      return false;
    }
    if (issued >= maxOps
        || ((issued & 63) == 0 && !keptOpen && System.nanoTime() - deadlineNanos >= 0)) {
      closed = true;
      return false;
    }
    issued++;
    return true;
  }

  public void close() {
    closed = true;
  }

  public boolean closed() {
    return closed;
  }

  public long issued() {
    return issued;
  }

  public long deadlineNanos() {
    return deadlineNanos;
  }

  /**
   * While kept open the deadline does not close the budget (a live toggle under way keeps the
   * workload running); the operation limit still does.
   */
  public void keepOpen(boolean open) {
    keptOpen = open;
  }

  public boolean keptOpen() {
    return keptOpen;
  }

  /** Counts a client that keeps {@code window} requests outstanding against this budget. */
  void addClient(int window) {
    concurrency += window;
  }

  /** Requests the clients of this budget keep outstanding together: the offered load. */
  public long concurrency() {
    return concurrency;
  }
}
