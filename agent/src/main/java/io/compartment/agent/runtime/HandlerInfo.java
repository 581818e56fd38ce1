package io.compartment.agent.runtime;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * A traced handler method and its sampling state. Counting every call is the only work done on
 * the hot path of a call that is not recorded.
 */
public final class HandlerInfo {
  private final int id;
  private final String service;
  private final String method;
  private final String descriptor;
  private final String reportName;
  private final ClassLoader loader;
  private final LongAdder invocations = new LongAdder();
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
    invocations.increment();
    int mask = sampleMask;
    return mask == 0 || (ThreadLocalRandom.current().nextInt() & mask) == 0;
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
    return invocations.sum();
  }

  public int sampleMask() {
    return sampleMask;
  }

  /** Sets the sampling mask (a power of two minus one; 0 records every call). */
  public void sampleMask(int mask) {
    this.sampleMask = mask;
  }
}
