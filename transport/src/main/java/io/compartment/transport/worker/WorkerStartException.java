package io.compartment.transport.worker;

import java.util.List;

/**
 * A worker JVM could not be started, exited before printing its readiness line, or did not become
 * ready in time. The message names the worker, its exit code and the last lines of its log.
 */
public final class WorkerStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Exit code reported when the process never ran (e.g. the java executable is missing). */
  public static final int NO_EXIT_CODE = -1;

  private final String workerId;
  private final int exitCode;
  private final transient List<String> lastLogLines;

  WorkerStartException(
      String workerId, String reason, int exitCode, List<String> lastLogLines, Throwable cause) {
    super(
        "worker "
            + workerId
            + " failed to start: "
            + reason
            + (exitCode == NO_EXIT_CODE ? "" : "; exit code " + exitCode)
            + WorkerProcess.formatLogLines(lastLogLines),
        cause);
    this.workerId = workerId;
    this.exitCode = exitCode;
    this.lastLogLines = List.copyOf(lastLogLines);
  }

  /**
   * @return the worker id
   */
  public String workerId() {
    return workerId;
  }

  /**
   * @return the worker's exit code, or {@link #NO_EXIT_CODE} if it never ran
   */
  public int exitCode() {
    return exitCode;
  }

  /**
   * @return the last lines of the worker's log from this launch (oldest first)
   */
  public List<String> lastLogLines() {
    return lastLogLines;
  }
}
