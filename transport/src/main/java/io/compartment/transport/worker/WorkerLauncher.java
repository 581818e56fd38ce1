package io.compartment.transport.worker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * Starts worker JVMs from {@link WorkerSpec}s. Stateless and thread safe.
 *
 * <p>The worker's stdout and stderr are appended to its log file. Each launch first writes a header
 * line {@code === compartment: launching worker <id> (launch <n>) at <instant> ===}; readiness and
 * {@link WorkerProcess#lastLogLines()} only look at what follows it. A log file larger than {@link
 * #LOG_TRUNCATE_BYTES} is emptied at launch.
 */
public class WorkerLauncher {
  /** Size in bytes above which a worker's log file is emptied at launch: 16 MiB. */
  public static final long LOG_TRUNCATE_BYTES = 16L << 20;

  /**
   * Launches the worker (first launch) without waiting for readiness.
   *
   * @param spec the worker; {@link WorkerSpec#conclude()} is called
   * @return handle on the running process
   * @throws WorkerStartException if the process cannot be created (e.g. no java executable)
   */
  public WorkerProcess launch(WorkerSpec spec) {
    return launch(spec, 1);
  }

  /**
   * Launches the worker without waiting for readiness.
   *
   * @param spec the worker; {@link WorkerSpec#conclude()} is called
   * @param launch launch number, 1 for the first and counting up on restarts (for the log header)
   * @return handle on the running process
   * @throws WorkerStartException if the process cannot be created (e.g. no java executable)
   */
  public WorkerProcess launch(WorkerSpec spec, int launch) {
    spec.conclude();
    List<String> command = spec.command();
    Path log = spec.logFile();
    long offset;
    try {
      Path dir = log.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      if (Files.exists(log) && Files.size(log) > LOG_TRUNCATE_BYTES) {
        Files.write(log, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
      }
      try (OutputStream out =
          Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        out.write(
            ("=== compartment: launching worker "
                    + spec.id()
                    + " (launch "
                    + launch
                    + ") at "
                    + Instant.now()
                    + " ===\n")
                .getBytes(StandardCharsets.UTF_8));
      }
      offset = Files.size(log);
    } catch (IOException e) {
      throw new WorkerStartException(
          spec.id(),
          "cannot write log file " + log + ": " + e,
          WorkerStartException.NO_EXIT_CODE,
          List.of(),
          e);
    }
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(spec.workingDirectory().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.PIPE);
    pb.environment().putAll(spec.environment());
    long startNanos = System.nanoTime();
    Process process;
    try {
      process = pb.start();
    } catch (IOException | RuntimeException e) {
      throw new WorkerStartException(
          spec.id(),
          "cannot launch " + spec.javaExecutable() + ": " + e.getMessage(),
          WorkerStartException.NO_EXIT_CODE,
          WorkerProcess.tail(spec, offset, spec.logTailLines()),
          e);
    }
    return new WorkerProcess(spec, process, startNanos, offset, launch);
  }

  /**
   * Launches the worker and waits until it prints its readiness line.
   *
   * @param spec the worker
   * @param readyTimeoutMs how long to wait for readiness, in milliseconds
   * @return handle on the ready worker
   * @throws WorkerStartException if it cannot be launched, exits first, or is not ready in time (it
   *     is then killed); the message names the worker, its exit code and its last log lines
   */
  public WorkerProcess start(WorkerSpec spec, long readyTimeoutMs) {
    return launch(spec).awaitReady(readyTimeoutMs);
  }
}
