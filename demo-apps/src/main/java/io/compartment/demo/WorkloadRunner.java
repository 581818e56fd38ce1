package io.compartment.demo;

import io.compartment.demo.net.LatencyFigures;
import io.compartment.demo.net.LatencyWindow;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.PeerControl;
import io.compartment.demo.net.PeerLink;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Runs a closed-loop workload on a network: starts the clients, drives the event loop in slices of
 * one second (printing a progress line after each), and once the budget is closed waits for every
 * outstanding request to be answered and the network to go quiet.
 *
 * <p>When the network is spread over a service process and a clients process ({@link Deployment}),
 * each side runs its half. The service side counts at its edge: a request in from the clients
 * process is outstanding until an answer goes back. It tells the clients process when the budget
 * closes and finishes once that process reports that it is done, with every answer received. The
 * clients side runs until told to close (or until its operation limit), reports, and ends by
 * throwing {@link ClientsDone}.
 */
public final class WorkloadRunner {

  /** How long to wait for outstanding requests after the budget closes. */
  public static final long DRAIN_TIMEOUT_NANOS = 20_000_000_000L;

  private static final long SLICE_NANOS = 1_000_000_000L;
  private static final long BYE_TIMEOUT_NANOS = 30_000_000_000L;

  /**
   * @param quiesced whether every outstanding request was answered and the network went idle
   * @param ops requests acknowledged
   * @param seconds time from the start to quiescence (or to giving up)
   * @param problems what went wrong with the processes or the link between them
   * @param concurrency requests the clients kept outstanding together
   */
  public record Outcome(
      boolean quiesced, long ops, double seconds, List<String> problems, long concurrency) {}

  /** Thrown in the clients process once its half of the workload is over and reported. */
  public static final class ClientsDone extends RuntimeException {
    private final long acknowledged;

    ClientsDone(long acknowledged) {
      super("the clients process is done", null, false, false);
      this.acknowledged = acknowledged;
    }

    public long acknowledged() {
      return acknowledged;
    }
  }

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
    PeerLink link = network.link();
    Latency.reset();
    if (link != null && Deployment.role() == Deployment.Role.CLIENTS) {
      runClients(network, link, budget, start, acknowledged, outstanding);
    }
    if (link != null) {
      progress.printf(
          "[%s] this process (pid %d) runs the service; %s%n",
          name, ProcessHandle.current().pid(), link.describe());
      link.latency(w -> {}, Latency::reported);
      acknowledged = network::boundaryOut;
      outstanding = () -> network.boundaryIn() - network.boundaryOut();
    }
    LongSupplier answered = acknowledged;
    LongSupplier waiting = outstanding;
    List<String> problems = new ArrayList<>();
    long begin = System.nanoTime();
    LiveScript.start(name, budget, acknowledged, link, progress);
    start.run();
    long nextReport = begin + SLICE_NANOS;
    long drainDeadline = 0;
    boolean closeSent = false;
    boolean quiesced;
    while (true) {
      long now = System.nanoTime();
      if (!budget.closed() && !budget.keptOpen() && now - budget.deadlineNanos() >= 0) {
        budget.close();
      }
      if (budget.closed() && link != null && !closeSent) {
        link.control(PeerControl.CLOSE);
        closeSent = true;
      }
      if (budget.closed() && drainDeadline == 0) {
        drainDeadline = now + DRAIN_TIMEOUT_NANOS;
      }
      long sliceEnd = sliceEnd(nextReport, drainDeadline, budget);
      boolean stopped =
          link == null
              ? network.run(() -> budget.closed() && waiting.getAsLong() == 0, sliceEnd)
              : network.run(() -> link.done() != null, sliceEnd);
      if (stopped) {
        quiesced = true;
        break;
      }
      now = System.nanoTime();
      if (now - nextReport >= 0) {
        double elapsed = (now - begin) / 1e9;
        long ops = answered.getAsLong();
        progress.printf(
            Locale.ROOT,
            "[%s] %.1f s: %d ops acknowledged (%d ops/s), %d outstanding%n",
            name,
            elapsed,
            ops,
            Math.round(ops / elapsed),
            waiting.getAsLong());
        nextReport += SLICE_NANOS;
        if (now - nextReport >= 0) nextReport = now + SLICE_NANOS; // after a stall, no catch-up
      }
      if (link != null && link.peerExited()) {
        problems.add("the " + link.peerName() + " died: " + link.peerOutput());
        quiesced = false;
        break;
      }
      if (drainDeadline != 0 && now - drainDeadline >= 0) {
        quiesced = false;
        break;
      }
    }
    double seconds = (System.nanoTime() - begin) / 1e9;
    if (link == null) {
      AnswerLog.write();
    }
    if (link != null) {
      finishService(network, link, problems);
    }
    return new Outcome(quiesced, acknowledged.getAsLong(), seconds, problems, budget.concurrency());
  }

  /**
   * Until when the event loop may run before the runner looks again: the next progress report, or
   * sooner the drain deadline, or the budget's deadline while it can still close the budget. A
   * budget kept open past its deadline (a live script still measuring) does not count: the loop
   * would return at once, again and again, and spin on the clock instead of waiting for messages.
   */
  static long sliceEnd(long nextReport, long drainDeadline, Budget budget) {
    if (drainDeadline != 0) return drainDeadline - nextReport < 0 ? drainDeadline : nextReport;
    if (!budget.keptOpen() && budget.deadlineNanos() - nextReport < 0) {
      return budget.deadlineNanos();
    }
    return nextReport;
  }

  private static void finishService(Network network, PeerLink link, List<String> problems) {
    PeerControl done = link.done();
    if (done != null) {
      link.control(PeerControl.BYE);
      if (done.acknowledged() != network.boundaryOut()) {
        problems.add(
            "the service sent "
                + network.boundaryOut()
                + " answers to the clients process, which received "
                + done.acknowledged());
      }
    }
    if (network.earlyMessages() > 0) {
      problems.add(
          network.earlyMessages()
              + " messages from the "
              + link.peerName()
              + " were for nodes never built here");
    }
    for (String error : link.errors()) {
      problems.add("link to the " + link.peerName() + ": " + error);
    }
    if (link.errorCount() > link.errors().size()) {
      problems.add((link.errorCount() - link.errors().size()) + " more link errors");
    }
    network.closeLink();
  }

  private static void runClients(
      Network network,
      PeerLink link,
      Budget budget,
      Runnable start,
      LongSupplier acknowledged,
      LongSupplier outstanding) {
    budget.keepOpen(true); // the service process says when the time is up
    link.latency(WorkloadRunner::latencyWindow, f -> {});
    start.run();
    while (!network.run(
        () -> {
          if (link.closeReceived()) {
            budget.close();
          }
          return budget.closed() && outstanding.getAsLong() == 0;
        },
        System.nanoTime() + SLICE_NANOS)) {
      if (ProcessHandle.current().parent().map(p -> !p.isAlive()).orElse(true)) {
        throw new IllegalStateException("the service process is gone");
      }
    }
    AnswerLog.write();
    for (LatencyFigures figures : Latency.local()) {
      link.send(figures);
    }
    link.send(new PeerControl(PeerControl.DONE, budget.issued(), acknowledged.getAsLong()));
    network.run(link::byeReceived, System.nanoTime() + BYE_TIMEOUT_NANOS);
    network.closeLink();
    throw new ClientsDone(acknowledged.getAsLong());
  }

  private static void latencyWindow(LatencyWindow window) {
    if (window.open()) {
      Latency.open(window.window());
    } else {
      Latency.close(window.window());
    }
  }

  /** Builds the result of a run from its outcome, the check's violations and handler failures. */
  public static DemoResult result(
      String name, Outcome outcome, Network network, Violations violations) {
    if (!outcome.quiesced() && outcome.problems().isEmpty()) {
      violations.add(
          "workload did not quiesce within "
              + DRAIN_TIMEOUT_NANOS / 1_000_000_000L
              + " s after the budget closed");
    }
    outcome.problems().forEach(violations::add);
    for (String failure : network.failures()) {
      violations.add("handler failed: " + failure);
    }
    if (network.failureCount() > network.failures().size()) {
      violations.add(
          (network.failureCount() - network.failures().size()) + " more handler failures");
    }
    return new DemoResult(
        name,
        violations.isEmpty(),
        outcome.ops(),
        outcome.seconds(),
        violations.examples(),
        outcome.concurrency());
  }
}
