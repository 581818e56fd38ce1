package io.compartment.agent.runtime;

/**
 * A traced handler method and its sampling state. Counting every call is the only work done on
 * the hot path of a call that is not recorded.
 *
 * <p>The count is a plain field, not an atomic: an atomic increment costs more than a small
 * handler itself. Calls of one handler made concurrently from several threads may therefore be
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
  private long invocations;
  /** A call is recorded when {@code (random & sampleMask) == 0}: 0 records every call. */
  private volatile int sampleMask;

  public HandlerInfo(int id, String service, String method, String descriptor, String reportName,
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
    long n = ++invocations;
    int mask = sampleMask;
    // a multiplicative hash of the count: a cheap pseudo-random pick that does not alias with
    // periodic workloads the way "every 2^k-th call" would
    return mask == 0 || ((int) ((n * 0x9E3779B97F4A7C15L) >>> 40) & mask) == 0;
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

  /** Sets the sampling mask (a power of two minus one; 0 records every call). */
  public void sampleMask(int mask) {
    this.sampleMask = mask;
  }
}
