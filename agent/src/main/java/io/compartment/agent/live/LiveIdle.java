package io.compartment.agent.live;

import io.compartment.agent.config.AgentConfig;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * How the three threads on a routed call's path wait when there is nothing to do (agent option
 * {@code live.idle}): the worker's poll loop, the host's reply poller, and a calling thread waiting
 * for its answer. One setting for all three, so that a round trip never waits on a thread that
 * idles in another way.
 *
 * <ul>
 *   <li>{@code backoff} (default): the worker spins 100 times, yields 10 times, then parks from 1
 *       µs doubling up to 200 µs; the reply poller the same up to 100 µs, and so does a caller that
 *       polls the replies itself while it waits. Near zero CPU while idle; a round trip pays for
 *       parked threads waking (tens of µs on a shared VM).
 *   <li>{@code yield}: all three call {@code Thread.yield()} between polls. A core's worth of CPU
 *       per thread while idle, given up to any other runnable thread.
 *   <li>{@code spin}: all three busy-spin. Lowest latency, a core per thread while idle: never more
 *       spinning threads than cores.
 * </ul>
 *
 * A waiting caller polls the reply streams itself when no other thread does ({@link
 * ReplyPoller#lead}), so that its answer needs no hand-off from the poller thread; it does so, or
 * spins or yields on its answer, for at most {@link #CALLER_SPIN_NS} ns, then parks until the
 * poller thread completes the answer: a call that waits for a restarting worker must not take a
 * core from the worker's new JVM.
 */
enum LiveIdle {
  BACKOFF,
  YIELD,
  SPIN;

  /** The agent option (also {@code -Dcompartment.live.idle}, env {@code COMPARTMENT_LIVE_IDLE}). */
  static final String OPTION = "live.idle";

  /** Longest a caller spins or yields before it parks on its answer: {@value} ns. */
  static final long CALLER_SPIN_NS = 2_000_000L;

  /** The name used in the option, the setup file and messages. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @param value the option's value, or null for the default.
   * @throws IllegalArgumentException naming the option and the known values.
   */
  static LiveIdle parse(String value) {
    if (value == null || value.isBlank()) return BACKOFF;
    for (LiveIdle i : values()) {
      if (i.label().equals(value.trim().toLowerCase(Locale.ROOT))) return i;
    }
    throw new IllegalArgumentException(
        "agent option " + OPTION + "=" + value + " is not one of " + known());
  }

  static String known() {
    return String.join(", ", AgentConfig.LIVE_IDLE_VALUES);
  }

  /** The worker's poll loop. */
  IdleStrategy worker() {
    return switch (this) {
      case BACKOFF -> new BackoffIdleStrategy(100, 10, 1_000, 200_000);
      case YIELD -> new YieldingIdleStrategy();
      case SPIN -> new BusySpinIdleStrategy();
    };
  }

  /**
   * A calling thread that polls the reply streams itself while it waits for its answer ({@link
   * ReplyPoller#lead}), for at most {@link #CALLER_SPIN_NS}; {@code backoff} parks from 1 µs
   * doubling up to 100 µs, as the reply poller does.
   */
  IdleStrategy caller() {
    return poller();
  }

  /** The host's reply poller. */
  IdleStrategy poller() {
    return switch (this) {
      case BACKOFF -> new BackoffIdleStrategy(100, 10, 1_000, 100_000);
      case YIELD -> new YieldingIdleStrategy();
      case SPIN -> new BusySpinIdleStrategy();
    };
  }

  /**
   * The name of the transport's idle strategy of the same kind ({@code PingPong --idle}), for a
   * benchmark that compares a routed call with a raw ping-pong.
   */
  String transportName() {
    return switch (this) {
      case BACKOFF -> "backoff";
      case YIELD -> "yielding";
      case SPIN -> "busy";
    };
  }

  /**
   * Before a caller parks on {@code answer}: spins or yields until it is done or {@link
   * #CALLER_SPIN_NS} have passed ({@code backoff}: returns at once).
   */
  void awaitBriefly(CompletableFuture<?> answer) {
    if (this == BACKOFF || answer.isDone()) return;
    long deadline = System.nanoTime() + CALLER_SPIN_NS;
    int n = 0;
    while (!answer.isDone()) {
      if (this == SPIN) Thread.onSpinWait();
      else Thread.yield();
      if ((++n & 0xff) == 0 && System.nanoTime() - deadline > 0) return;
    }
  }
}
