package io.compartment.jmh;

import io.compartment.jmh.fixture.MicroService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What tracing costs per handler call and per state access. {@link MicroBench} runs these in JMH
 * forks without the agent, under it at default settings and under it with {@code sample=all}.
 *
 * <p>Sample-time mode, so that each result has percentiles. One invocation is a batch of handler
 * calls ({@link #CALLS} or {@link #ACCESS_CALLS}): a single call can take less than a nanosecond,
 * less than the {@code System.nanoTime} pair around a sampled invocation, whose cost the batch
 * spreads thin. JMH's figures are per invocation, in whole nanoseconds (so no
 * {@code @OperationsPerInvocation}: JMH would divide each sample in integer arithmetic); {@link
 * MicroBench} divides them by the batch, so its figures are per handler call and its p50/p99 are of
 * batch averages, not of single calls. Each call's result goes to the {@link Blackhole}, and each
 * call gets a different message.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TracingCostBench {
  /** Handler calls per invocation of the two call benchmarks. */
  public static final int CALLS = 1024;

  /** Handler calls per invocation of the access benchmark. */
  public static final int ACCESS_CALLS = 16;

  /** The service and the next message; checks before and after the trial that it was traced. */
  @org.openjdk.jmh.annotations.State(Scope.Thread)
  public static class Service {
    MicroService service;
    long next;

    @Setup(Level.Trial)
    public void setUp() {
      service = new MicroService();
      AgentCheck.loaded(MicroService.class);
    }

    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) throws Exception {
      AgentCheck.finished(MicroService.class, params);
    }
  }

  /** The number of access steps per handler call, for the access benchmark only. */
  @org.openjdk.jmh.annotations.State(Scope.Thread)
  public static class Steps {
    @Param({"1", "8", "64"})
    public int k;
  }

  /** A handler that touches no state. */
  @Benchmark
  public void stateless(Service s, Blackhole bh) {
    MicroService service = s.service;
    long x = s.next;
    for (int i = 0; i < CALLS; i++) bh.consume(service.stateless(x + i));
    s.next = x + CALLS;
  }

  /** A handler that reads and writes one state field. */
  @Benchmark
  public void oneField(Service s, Blackhole bh) {
    MicroService service = s.service;
    long x = s.next;
    for (int i = 0; i < CALLS; i++) bh.consume(service.oneField(x + i));
    s.next = x + CALLS;
  }

  /** A handler doing {@code k} access steps: map get and put, long field increment. */
  @Benchmark
  public void access(Service s, Steps steps, Blackhole bh) {
    MicroService service = s.service;
    int k = steps.k;
    long x = s.next;
    for (int i = 0; i < ACCESS_CALLS; i++) bh.consume(service.access(x + 31L * i, k));
    s.next = x + 31L * ACCESS_CALLS + 1;
  }
}
