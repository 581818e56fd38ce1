package io.compartment.agent.live;

import io.compartment.agent.runtime.SiteTable;
import java.util.ArrayList;
import java.util.List;

/**
 * In a worker, every {@code @Emit} method is skipped and its call captured here instead; the worker
 * carries the captured emits back to the host, which performs them on the real service object
 * (DESIGN section 6). In the host this class is inert: {@link #capture} returns false.
 */
public final class WorkerEmits {
  /** Emit method keys ({@code class#name+descriptor}) by the id bound into their advice. */
  public static final SiteTable<String> KEYS = new SiteTable<>();

  /**
   * Set once, at worker start, before any handler runs; plain, since it never changes afterwards.
   */
  public static boolean workerMode;

  private static final ThreadLocal<List<Object[]>> CAPTURED = new ThreadLocal<>();

  private WorkerEmits() {}

  static void workerMode(boolean on) {
    workerMode = on;
  }

  /** Called by the emit advice in a worker: records the emit; true, so the body is skipped. */
  public static boolean capture(int emitId, Object[] args) {
    List<Object[]> sink = CAPTURED.get();
    if (sink != null) sink.add(new Object[] {emitId, args});
    return true;
  }

  /** Starts capturing on this thread; {@link #finish} hands back what was captured. */
  static void begin() {
    CAPTURED.set(new ArrayList<>());
  }

  static List<Object[]> finish() {
    List<Object[]> out = CAPTURED.get();
    CAPTURED.remove();
    return out == null ? List.of() : out;
  }
}
