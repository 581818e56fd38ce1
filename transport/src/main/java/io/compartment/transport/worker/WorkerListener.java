package io.compartment.transport.worker;

/**
 * Events from a {@link WorkerSupervisor}, delivered on the supervisor's agent thread in the order
 * they happen: keep handlers short and non-blocking. An exception thrown by a handler goes to the
 * supervisor's error handler and does not stop supervision.
 *
 * <p>For one worker: {@code onStarted} (process launched), {@code onReady}, then possibly {@code
 * onDied} followed by {@code onStarted}/{@code onReady}/{@code onRestarted} for each restart, and
 * finally {@code onStopped} (stopped on purpose) or {@code onFailed} (restart limit reached). A
 * router resends unacknowledged messages on {@code onRestarted}.
 */
public interface WorkerListener {
  /** A listener that ignores every event. */
  WorkerListener NO_OP = new WorkerListener() {};

  /**
   * The worker's process was launched (not yet ready).
   *
   * @param workerId the worker id
   * @param pid its process id
   * @param launch 1 for the first launch, counting up on restarts
   */
  default void onStarted(String workerId, long pid, int launch) {}

  /**
   * The worker printed its readiness line.
   *
   * @param workerId the worker id
   * @param pid its process id
   * @param startMs milliseconds from launch to readiness
   */
  default void onReady(String workerId, long pid, long startMs) {}

  /**
   * The worker exited without being stopped on purpose (or did not become ready in time and was
   * killed). It will be restarted after a backoff delay unless the restart limit is reached.
   *
   * @param workerId the worker id
   * @param pid the process id of the dead process
   * @param exitCode its exit code (137 after SIGKILL), or {@link WorkerStartException#NO_EXIT_CODE}
   *     if it could not be launched
   */
  default void onDied(String workerId, long pid, int exitCode) {}

  /**
   * A restarted worker is ready again; called right after {@link #onReady}.
   *
   * @param workerId the worker id
   * @param pid the new process id
   * @param restarts restarts of this worker so far, including this one
   * @param restartTimeMs milliseconds from the death of the previous process (its kill or observed
   *     exit) to readiness of this one, backoff delay included
   */
  default void onRestarted(String workerId, long pid, int restarts, long restartTimeMs) {}

  /**
   * The worker was stopped on purpose and has exited; it will not be restarted.
   *
   * @param workerId the worker id
   * @param exitCode its exit code
   */
  default void onStopped(String workerId, int exitCode) {}

  /**
   * The worker died too often in the restart window and is given up; the same exception also goes
   * to the supervisor's error handler.
   *
   * @param workerId the worker id
   * @param cause describes the deaths, the last exit code and the last log lines
   */
  default void onFailed(String workerId, WorkerFailedException cause) {}
}
