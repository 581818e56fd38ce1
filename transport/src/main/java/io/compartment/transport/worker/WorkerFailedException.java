package io.compartment.transport.worker;

import java.util.List;

/**
 * A supervised worker died too often within the restart window and will not be restarted again,
 * e.g. {@code worker kv-p2 died 5 times in 30 s; last exit code 1; last log lines: ...}.
 */
public final class WorkerFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String workerId;
  private final int deaths;
  private final long windowMs;
  private final int lastExitCode;
  private final transient List<String> lastLogLines;

  WorkerFailedException(
      String workerId, int deaths, long windowMs, int lastExitCode, List<String> lastLogLines) {
    super(
        "worker "
            + workerId
            + " died "
            + deaths
            + " times in "
            + formatWindow(windowMs)
            + "; last exit code "
            + lastExitCode
            + WorkerProcess.formatLogLines(lastLogLines));
    this.workerId = workerId;
    this.deaths = deaths;
    this.windowMs = windowMs;
    this.lastExitCode = lastExitCode;
    this.lastLogLines = List.copyOf(lastLogLines);
  }

  static String formatWindow(long ms) {
    if (ms % 1000 == 0) {
      return (ms / 1000) + " s";
    }
    return ms >= 1000 ? String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0) : ms + " ms";
  }

  /**
   * @return the worker id
   */
  public String workerId() {
    return workerId;
  }

  /**
   * @return deaths counted within the window (the restart limit)
   */
  public int deaths() {
    return deaths;
  }

  /**
   * @return the restart window in milliseconds
   */
  public long windowMs() {
    return windowMs;
  }

  /**
   * @return the exit code of the last death ({@link WorkerStartException#NO_EXIT_CODE} if it could
   *     not be launched)
   */
  public int lastExitCode() {
    return lastExitCode;
  }

  /**
   * @return the last lines of the worker's log from its last launch (oldest first)
   */
  public List<String> lastLogLines() {
    return lastLogLines;
  }
}
