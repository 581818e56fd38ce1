package io.compartment.demo;

import io.compartment.demo.net.LatencyFigures;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The latency the closed-loop clients see, from sending a request to taking its answer, recorded
 * per measuring window: {@link #WHOLE_RUN} always, and {@link #MONOLITH} and {@link
 * #COMPARTMENTALIZED} while the live script ({@link LiveScript}) measures them.
 *
 * <p>Process-wide, like {@link AnswerLog}. Clients record into the windows open in their own
 * process. When the clients run in a process of their own, the service process opens and closes
 * windows there through the link, and the clients process reports each window's figures back before
 * it finishes ({@link #reported}); {@link #figures} prefers those.
 */
public final class Latency {
  public static final int WHOLE_RUN = 0;
  public static final int MONOLITH = 1;
  public static final int COMPARTMENTALIZED = 2;
  static final int WINDOWS = 3;

  private static final AtomicReferenceArray<LatencyHistogram> open =
      new AtomicReferenceArray<>(WINDOWS);
  private static final AtomicReferenceArray<LatencyHistogram> closed =
      new AtomicReferenceArray<>(WINDOWS);
  private static final AtomicReferenceArray<LatencyFigures> reported =
      new AtomicReferenceArray<>(WINDOWS);

  private Latency() {}

  /** Forgets every window and opens {@link #WHOLE_RUN}; called as a workload starts. */
  public static void reset() {
    for (int w = 0; w < WINDOWS; w++) {
      open.set(w, null);
      closed.set(w, null);
      reported.set(w, null);
    }
    open(WHOLE_RUN);
  }

  /** Starts recording into window {@code w}, from empty. */
  public static void open(int w) {
    check(w);
    closed.set(w, null);
    open.set(w, new LatencyHistogram());
  }

  /** Stops recording into window {@code w}; its figures stay readable. */
  public static void close(int w) {
    check(w);
    LatencyHistogram h = open.getAndSet(w, null);
    if (h != null) closed.set(w, h);
  }

  /** Records one request's latency into every open window. */
  public static void record(long nanos) {
    for (int w = 0; w < WINDOWS; w++) {
      LatencyHistogram h = open.get(w);
      if (h != null) h.record(nanos);
    }
  }

  /** Takes the figures another process measured for {@code f.window()}. */
  public static void reported(LatencyFigures f) {
    check(f.window());
    reported.set(f.window(), f);
  }

  /**
   * Window {@code w}'s figures: those reported by the clients process if it sent any, else those
   * recorded here; null when neither has a request in it.
   */
  public static LatencyFigures figures(int w) {
    check(w);
    LatencyFigures r = reported.get(w);
    if (r != null) return r.count() == 0 ? null : r;
    LatencyHistogram h = open.get(w);
    if (h == null) h = closed.get(w);
    if (h == null || h.count() == 0) return null;
    return of(w, h);
  }

  /** The figures recorded in this process for every window, to report to the service process. */
  public static LatencyFigures[] local() {
    LatencyFigures[] all = new LatencyFigures[WINDOWS];
    for (int w = 0; w < WINDOWS; w++) {
      LatencyHistogram h = open.get(w);
      if (h == null) h = closed.get(w);
      all[w] = h == null ? new LatencyFigures(w, 0, 0, 0, 0) : of(w, h);
    }
    return all;
  }

  private static LatencyFigures of(int w, LatencyHistogram h) {
    return new LatencyFigures(
        w,
        h.count(),
        Math.round(h.percentileNanos(50)),
        Math.round(h.percentileNanos(99)),
        h.maxNanos());
  }

  private static void check(int w) {
    if (w < 0 || w >= WINDOWS) {
      throw new IllegalArgumentException(
          "no latency window " + w + "; windows are 0.." + (WINDOWS - 1));
    }
  }
}
