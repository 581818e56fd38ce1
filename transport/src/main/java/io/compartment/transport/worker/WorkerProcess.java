package io.compartment.transport.worker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Handle on one running (or exited) worker JVM, returned by {@link WorkerLauncher#launch}.
 *
 * <p>Readiness is detected by reading the worker's log file (its stdout and stderr) from where this
 * launch began: {@link #pollReady()} never blocks, {@link #awaitReady(long)} blocks. Polling and
 * waiting for readiness are meant for one thread at a time; {@link #isAlive()}, {@link #kill()},
 * {@link #stop(long)} and the accessors may be called from any thread.
 *
 * <p>The worker's stdin is a pipe from the host: a worker may treat end of stdin as "host gone" and
 * exit, so that no worker outlives a host killed with SIGKILL. {@link #stop(long)} closes it first.
 */
public final class WorkerProcess {
  private static final int TAIL_READ_BYTES = 64 * 1024;
  private static final int MAX_PARTIAL_LINE = 8 * 1024;

  private final WorkerSpec spec;
  private final Process process;
  private final long pid;
  private final Instant startTime;
  private final long startNanos;
  private final long logStartOffset;
  private final int launch;
  private volatile long exitNanos;
  private volatile long killNanos;
  private volatile boolean stopRequested;
  private volatile boolean ready;
  private volatile long readyNanos;

  // Readiness scan state: owned by the polling thread.
  private long scanOffset;
  private final StringBuilder partialLine = new StringBuilder();
  private final ByteBuffer scanBuffer = ByteBuffer.allocate(8 * 1024);

  WorkerProcess(
      WorkerSpec spec, Process process, long startNanos, long logStartOffset, int launch) {
    this.spec = spec;
    this.process = process;
    this.pid = process.pid();
    this.startNanos = startNanos;
    this.startTime = process.info().startInstant().orElseGet(Instant::now);
    this.logStartOffset = logStartOffset;
    this.scanOffset = logStartOffset;
    this.launch = launch;
    process.onExit().thenRun(() -> exitNanos = System.nanoTime());
  }

  /**
   * @return the worker id
   */
  public String id() {
    return spec.id();
  }

  /**
   * @return the spec this worker was started from
   */
  public WorkerSpec spec() {
    return spec;
  }

  /**
   * @return the operating system process id
   */
  public long pid() {
    return pid;
  }

  /**
   * @return when the process started (as the OS reports it, else when it was launched)
   */
  public Instant startTime() {
    return startTime;
  }

  /**
   * @return {@link System#nanoTime()} just before the process was launched
   */
  public long startNanos() {
    return startNanos;
  }

  /**
   * @return 1 for the first launch of this worker id by its launcher's caller, counting up on
   *     restarts (as passed to {@link WorkerLauncher#launch(WorkerSpec, int)})
   */
  public int launch() {
    return launch;
  }

  /**
   * @return the underlying process
   */
  public Process process() {
    return process;
  }

  /**
   * @return whether the process is still running
   */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * @return the exit code, or empty while the process runs
   */
  public Optional<Integer> exitCode() {
    return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
  }

  /**
   * @return {@link System#nanoTime()} when the exit was observed, or 0 while running
   */
  public long exitNanos() {
    return exitNanos;
  }

  /**
   * @return {@link System#nanoTime()} of the first {@link #kill()}, or 0 if never killed
   */
  public long killNanos() {
    return killNanos;
  }

  /**
   * @return whether {@link #stop(long)} or {@link #requestStop()} was called
   */
  public boolean isStopRequested() {
    return stopRequested;
  }

  /**
   * @return whether the readiness line has been seen
   */
  public boolean isReady() {
    return ready;
  }

  /**
   * @return {@link System#nanoTime()} when readiness was seen, or 0
   */
  public long readyNanos() {
    return readyNanos;
  }

  /**
   * @return the worker's stdin (a pipe); closing it tells a well-behaved worker to exit
   */
  public OutputStream stdin() {
    return process.getOutputStream();
  }

  /**
   * Kills the worker and its descendants with SIGKILL ({@link Process#destroyForcibly()}); does not
   * wait.
   *
   * @return this
   */
  public WorkerProcess kill() {
    if (killNanos == 0) {
      killNanos = System.nanoTime();
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    return this;
  }

  /**
   * Asks the worker to stop: closes its stdin and sends SIGTERM ({@link Process#destroy()}), which
   * runs its shutdown hooks. Does not wait.
   *
   * @return this
   */
  public WorkerProcess requestStop() {
    stopRequested = true;
    try {
      process.getOutputStream().close();
    } catch (IOException ignore) {
      // already closed or the worker is gone
    }
    process.destroy();
    return this;
  }

  /**
   * Stops the worker gracefully ({@link #requestStop()}), then with SIGKILL if it has not exited
   * after {@code timeoutMs}, and waits for it to exit.
   *
   * @param timeoutMs how long to wait for a graceful exit, in milliseconds
   * @return the exit code (143 after SIGTERM, 137 after SIGKILL, or the worker's own)
   */
  public int stop(long timeoutMs) {
    requestStop();
    try {
      if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
        kill();
      }
      return process.waitFor();
    } catch (InterruptedException e) {
      kill();
      Thread.currentThread().interrupt();
      return process.isAlive() ? WorkerStartException.NO_EXIT_CODE : process.exitValue();
    }
  }

  /**
   * Scans new log output for the readiness line; never blocks.
   *
   * @return true once the readiness line has been seen
   */
  public boolean pollReady() {
    if (ready) {
      return true;
    }
    try (FileChannel ch = FileChannel.open(spec.logFile(), StandardOpenOption.READ)) {
      long size = ch.size();
      while (scanOffset < size && !ready) {
        scanBuffer.clear();
        int n = ch.read(scanBuffer, scanOffset);
        if (n <= 0) {
          break;
        }
        scanOffset += n;
        scan(scanBuffer.array(), n);
      }
    } catch (IOException e) {
      return false;
    }
    return ready;
  }

  private void scan(byte[] bytes, int length) {
    String readyLine = spec.readyLine();
    // The log is read as ISO-8859-1 for scanning so that a multi-byte character split across reads
    // cannot corrupt the state; the readiness line is ASCII in practice.
    for (int i = 0; i < length; i++) {
      char c = (char) (bytes[i] & 0xff);
      if (c == '\n') {
        if (partialLine.toString().trim().equals(readyLine)) {
          ready = true;
          readyNanos = System.nanoTime();
          return;
        }
        partialLine.setLength(0);
      } else if (partialLine.length() < MAX_PARTIAL_LINE) {
        partialLine.append(c);
      }
    }
  }

  /**
   * Waits until the worker prints its readiness line.
   *
   * @param timeoutMs how long to wait, in milliseconds
   * @return this
   * @throws WorkerStartException if the worker exits first (with its exit code and last log lines)
   *     or is not ready in time (it is then killed)
   */
  public WorkerProcess awaitReady(long timeoutMs) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    long pauseMs = 1;
    while (!pollReady()) {
      if (!process.isAlive()) {
        if (pollReady()) {
          break;
        }
        throw new WorkerStartException(
            id(),
            "exited before printing '" + spec.readyLine() + "'",
            process.exitValue(),
            lastLogLines(),
            null);
      }
      if (System.nanoTime() - deadline >= 0) {
        kill();
        int code = waitForExitQuietly();
        throw new WorkerStartException(
            id(), "not ready within " + timeoutMs + " ms (killed)", code, lastLogLines(), null);
      }
      try {
        // Polls a file: wakes early when the process exits.
        process.waitFor(pauseMs, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        kill();
        throw new WorkerStartException(
            id(),
            "interrupted while waiting for readiness (killed)",
            waitForExitQuietly(),
            lastLogLines(),
            e);
      }
      pauseMs = Math.min(pauseMs * 2, 10);
    }
    return this;
  }

  int waitForExitQuietly() {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return process.isAlive() ? WorkerStartException.NO_EXIT_CODE : process.exitValue();
    }
  }

  /**
   * @return the last {@link WorkerSpec#logTailLines()} lines this launch wrote to the log
   */
  public List<String> lastLogLines() {
    return lastLogLines(spec.logTailLines());
  }

  /**
   * @param max how many lines at most
   * @return the last {@code max} lines this launch wrote to the log, oldest first
   */
  public List<String> lastLogLines(int max) {
    return tail(spec, logStartOffset, max);
  }

  static List<String> tail(WorkerSpec spec, long fromOffset, int max) {
    try (FileChannel ch = FileChannel.open(spec.logFile(), StandardOpenOption.READ)) {
      long size = ch.size();
      long from = Math.max(fromOffset, size - TAIL_READ_BYTES);
      if (from >= size) {
        return List.of();
      }
      ByteBuffer buf = ByteBuffer.allocate((int) (size - from));
      while (buf.hasRemaining()) {
        if (ch.read(buf, from + buf.position()) < 0) {
          break;
        }
      }
      String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
      String[] lines = text.split("\r?\n", -1);
      ArrayDeque<String> last = new ArrayDeque<>(max);
      int end = lines.length;
      if (end > 0 && lines[end - 1].isEmpty()) {
        end--; // trailing newline
      }
      int begin = from > fromOffset ? 1 : 0; // first line may be cut
      for (int i = Math.max(begin, end - max); i < end; i++) {
        last.add(lines[i]);
      }
      return new ArrayList<>(last);
    } catch (IOException e) {
      return List.of("(log " + spec.logFile() + " unreadable: " + e + ")");
    }
  }

  static String formatLogLines(List<String> lines) {
    if (lines.isEmpty()) {
      return "; log is empty";
    }
    StringBuilder sb = new StringBuilder("; last log lines:");
    for (String line : lines) {
      sb.append("\n  ").append(line);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "WorkerProcess{id=" + id() + ", pid=" + pid + ", launch=" + launch + "}";
  }
}
