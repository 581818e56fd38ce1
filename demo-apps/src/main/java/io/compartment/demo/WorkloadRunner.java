package io.compartment.demo;

import io.compartment.demo.net.Network;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Runs a closed-loop workload on a network: starts the clients, drives the event loop in slices of
 * one second (printing a progress line after each), and once the budget is closed waits for every
 * outstanding request to be answered and the network to go quiet.
 */
public final class WorkloadRunner {

  /** How long to wait for outstanding requests after the budget closes. */
  public static final long DRAIN_TIMEOUT_NANOS = 20_000_000_000L;

  private static final long SLICE_NANOS = 1_000_000_000L;

  /**
   * @param quiesced whether every outstanding request was answered and the network went idle
   * @param ops requests acknowledged
   * @param seconds time from the start to quiescence (or to giving up)
   */
  public record Outcome(boolean quiesced, long ops, double seconds) {}

  private WorkloadRunner() {}

  /**
   * @param name demo name, for progress lines
   * @param network the network the clients live on
   * @param budget shared by the clients; closed here once its deadline passes
   * @param start sends each client's first window of requests
   * @param acknowledged requests answered so far, over all clients
   * @param outstanding requests sent and not yet answered, over all clients
   */
  public static Outcome run(
      String name,
      Network network,
      Budget budget,
      Runnable start,
      LongSupplier acknowledged,
      LongSupplier outstanding,
      PrintStream progress) {
    long begin = System.nanoTime();
    LiveScript.start(name, budget, acknowledged, progress);
    start.run();
    long nextReport = begin + SLICE_NANOS;
    long drainDeadline = 0;
    boolean quiesced;
    while (true) {
      long now = System.nanoTime();
      if (!budget.closed() && !budget.keptOpen() && now - budget.deadlineNanos() >= 0) {
        budget.close();
      }
      if (budget.closed() && drainDeadline == 0) {
        drainDeadline = now + DRAIN_TIMEOUT_NANOS;
      }
      long sliceEnd = nextReport;
      if (drainDeadline != 0 && drainDeadline - sliceEnd < 0) {
        sliceEnd = drainDeadline;
      } else if (drainDeadline == 0 && budget.deadlineNanos() - sliceEnd < 0) {
        sliceEnd = budget.deadlineNanos();
      }
      if (network.run(() -> budget.closed() && outstanding.getAsLong() == 0, sliceEnd)) {
        quiesced = true;
        break;
      }
      now = System.nanoTime();
      if (now - nextReport >= 0) {
        double elapsed = (now - begin) / 1e9;
        long ops = acknowledged.getAsLong();
        progress.printf(
            Locale.ROOT,
            "[%s] %.1f s: %d ops acknowledged (%d ops/s), %d outstanding%n",
            name,
            elapsed,
            ops,
            Math.round(ops / elapsed),
            outstanding.getAsLong());
        nextReport += SLICE_NANOS;
        if (now - nextReport >= 0) nextReport = now + SLICE_NANOS; // after a stall, no catch-up
      }
      if (drainDeadline != 0 && now - drainDeadline >= 0) {
        quiesced = false;
        break;
      }
    }
    double seconds = (System.nanoTime() - begin) / 1e9;
    return new Outcome(quiesced, acknowledged.getAsLong(), seconds);
  }

  /** Builds the result of a run from its outcome, the check's violations and handler failures. */
  public static DemoResult result(
      String name, Outcome outcome, Network network, Violations violations) {
    if (!outcome.quiesced()) {
      violations.add(
          "workload did not quiesce within "
              + DRAIN_TIMEOUT_NANOS / 1_000_000_000L
              + " s after the budget closed");
    }
    for (String failure : network.failures()) {
      violations.add("handler failed: " + failure);
    }
    if (network.failureCount() > network.failures().size()) {
      violations.add(
          (network.failureCount() - network.failures().size()) + " more handler failures");
    }
    return new DemoResult(
        name, violations.isEmpty(), outcome.ops(), outcome.seconds(), violations.examples());
  }
}
