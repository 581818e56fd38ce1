package io.compartment.transport.worker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.agrona.ErrorHandler;
import org.agrona.SystemUtil;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * Watches a set of workers and restarts any that die without being stopped on purpose.
 *
 * <p>An Agrona {@link Agent}: run it with {@link #launch(Context)} (its own {@link AgentRunner} on
 * a daemon thread, closed by {@link #close()}) or in your own runner. All process handling happens
 * on the agent thread; {@link #supervise}, {@link #stop}, {@link #kill} and the status accessors
 * may be called from any thread. Events go to the {@link WorkerListener} on the agent thread.
 *
 * <p>A worker that dies, or is not ready within {@link Context#readyTimeoutMs()}, is restarted
 * after an exponential backoff: the n-th death within the restart window waits {@code
 * min(initialDelay * 2^(n-1), maxDelay)}. When deaths within the window reach {@link
 * Context#restartLimit()}, the worker is declared failed: a {@link WorkerFailedException} such as
 * {@code worker kv-p2 died 5 times in 30 s; last exit code 1; last log lines: ...} goes to {@link
 * WorkerListener#onFailed} and to the error handler, and the worker is not restarted again. The
 * restart time of each restart (from the death of the old process to readiness of the new one, in
 * ms) is passed to {@link WorkerListener#onRestarted} and kept in {@link WorkerStatus}.
 *
 * <p>After each death and at start, stale Aeron directories of dead processes are removed with the
 * context's {@link AeronDirCleaner} (if any). {@link #close()} stops every worker (gracefully, then
 * SIGKILL after {@link Context#stopTimeoutMs()}) and waits until every worker process has exited;
 * {@link #launch(Context)} also registers a shutdown hook that does so when the host exits. Against
 * a host killed with SIGKILL, workers should exit when their stdin reaches end of file.
 */
public final class WorkerSupervisor implements Agent, AutoCloseable {
  /** Life cycle of a supervised worker. */
  public enum State {
    /** Launched, waiting for its readiness line. */
    STARTING,
    /** Printed its readiness line and is running. */
    READY,
    /** Died; waiting for its backoff delay before a restart. */
    BACKOFF,
    /** Asked to stop; waiting for it to exit. */
    STOPPING,
    /** Stopped on purpose (or by {@link #close()}); not restarted. */
    STOPPED,
    /** Died too often within the restart window; not restarted. */
    FAILED
  }

  /**
   * Snapshot of one worker, published by the agent thread after every change.
   *
   * @param id worker id
   * @param state its state
   * @param pid process id of the current (or last) process, or -1 if none was launched
   * @param launches processes launched so far
   * @param restarts restarts that reached readiness so far
   * @param lastExitCode exit code of the last death or stop, or {@link
   *     WorkerStartException#NO_EXIT_CODE}
   * @param restartTimesMs restart time of each completed restart in ms (death to ready), oldest
   *     first; the last {@value #RESTART_TIMES_KEPT} only
   */
  public record WorkerStatus(
      String id,
      State state,
      long pid,
      int launches,
      int restarts,
      int lastExitCode,
      List<Long> restartTimesMs) {}

  /** How many restart times each {@link WorkerStatus} keeps. */
  public static final int RESTART_TIMES_KEPT = 100;

  private final Context ctx;
  private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final Map<String, Worker> workers = new LinkedHashMap<>();
  private final Set<String> ids = ConcurrentHashMap.newKeySet();
  private final Map<String, WorkerStatus> statuses = new ConcurrentHashMap<>();
  private volatile boolean closing;
  private volatile boolean closed;
  private AgentRunner runner;
  private Thread shutdownHook;

  /**
   * Creates the agent; run it in an {@link AgentRunner} (or use {@link #launch(Context)}).
   *
   * @param ctx configuration; {@link Context#conclude()} is called
   */
  public WorkerSupervisor(Context ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx").conclude();
  }

  /**
   * Creates a supervisor and runs it on its own daemon thread with the context's idle strategy.
   *
   * @param ctx configuration; {@link Context#conclude()} is called
   * @return the running supervisor; {@link #close()} stops it and all its workers
   */
  public static WorkerSupervisor launch(Context ctx) {
    WorkerSupervisor supervisor = new WorkerSupervisor(ctx);
    AgentRunner runner =
        new AgentRunner(
            supervisor.ctx.idleStrategy(), supervisor.ctx.errorHandler(), null, supervisor);
    supervisor.runner = runner;
    AgentRunner.startOnThread(runner, supervisor.ctx.threadFactory());
    if (supervisor.ctx.shutdownHook()) {
      Thread hook = new Thread(supervisor::close, "compartment-worker-supervisor-shutdown");
      supervisor.shutdownHook = hook;
      Runtime.getRuntime().addShutdownHook(hook);
    }
    return supervisor;
  }

  /**
   * @return the concluded context
   */
  public Context context() {
    return ctx;
  }

  /**
   * Starts supervising a worker: it is launched on the next duty cycle.
   *
   * @param spec the worker; {@link WorkerSpec#conclude()} is called here
   * @throws IllegalArgumentException if a worker with this id is already supervised (and neither
   *     stopped nor failed)
   * @throws IllegalStateException if the supervisor is closing
   */
  public void supervise(WorkerSpec spec) {
    spec.conclude();
    ensureOpen();
    if (!ids.add(spec.id())) {
      throw new IllegalArgumentException("worker " + spec.id() + " is already supervised");
    }
    statuses.put(
        spec.id(),
        new WorkerStatus(
            spec.id(), State.BACKOFF, -1, 0, 0, WorkerStartException.NO_EXIT_CODE, List.of()));
    enqueue(
        () -> {
          if (closing) {
            ids.remove(spec.id());
            return;
          }
          Worker w = new Worker(spec);
          workers.put(spec.id(), w);
          launchWorker(w, ctx.nanoClock());
        });
  }

  /**
   * Stops a worker on purpose (gracefully, then SIGKILL after {@link Context#stopTimeoutMs()}); it
   * is not restarted and its id may be supervised again afterwards.
   *
   * @param workerId the worker id
   * @return completes with the exit code once the process has exited ({@link
   *     WorkerStartException#NO_EXIT_CODE} if none was running or the id is unknown)
   */
  public CompletableFuture<Integer> stop(String workerId) {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    enqueue(
        () -> {
          Worker w = workers.get(workerId);
          if (w == null) {
            done.complete(WorkerStartException.NO_EXIT_CODE);
            return;
          }
          w.stopFutures.add(done);
          beginStop(w, ctx.nanoClock());
        });
    return done;
  }

  /**
   * Kills a worker's process with SIGKILL as if it had crashed: the supervisor restarts it. For
   * tests and fault injection. The restart time is then measured from this kill.
   *
   * @param workerId the worker id
   */
  public void kill(String workerId) {
    enqueue(
        () -> {
          Worker w = workers.get(workerId);
          if (w != null && w.process != null && w.process.isAlive()) {
            w.process.kill();
          }
        });
  }

  /**
   * @param workerId the worker id
   * @return its latest snapshot, or empty if it was never supervised
   */
  public Optional<WorkerStatus> status(String workerId) {
    return Optional.ofNullable(statuses.get(workerId));
  }

  /**
   * @return latest snapshots of all workers ever supervised, by id
   */
  public Map<String, WorkerStatus> statuses() {
    return Map.copyOf(statuses);
  }

  /**
   * @return whether {@link #onClose()} has completed
   */
  public boolean isClosed() {
    return closed;
  }

  @Override
  public String roleName() {
    return "compartment-worker-supervisor";
  }

  @Override
  public void onStart() {
    cleanAeronDirs();
  }

  @Override
  public int doWork() {
    int work = 0;
    Runnable command;
    while ((command = commands.poll()) != null) {
      runSafely(command);
      work++;
    }
    long now = ctx.nanoClock();
    Iterator<Worker> it = workers.values().iterator();
    while (it.hasNext()) {
      Worker w = it.next();
      try {
        work += check(w, now);
      } catch (RuntimeException e) {
        ctx.errorHandler().onError(e);
      }
      if (w.state == State.STOPPED || w.state == State.FAILED) {
        it.remove(); // its id was released when it reached that state
      }
    }
    return work;
  }

  private int check(Worker w, long now) {
    WorkerProcess p = w.process;
    switch (w.state) {
      case STARTING:
        if (p.pollReady()) {
          onReady(w);
          return 1;
        }
        if (!p.isAlive()) {
          if (p.pollReady()) {
            onReady(w); // ready and died at once: the death is seen on the next cycle
          } else {
            onDeath(w, now);
          }
          return 1;
        }
        if (now - w.readyDeadlineNs >= 0 && p.killNanos() == 0) {
          w.notReadyInTime = true;
          p.kill();
          return 1;
        }
        return 0;
      case READY:
        if (!p.isAlive()) {
          onDeath(w, now);
          return 1;
        }
        return 0;
      case BACKOFF:
        if (now - w.nextLaunchNs >= 0) {
          launchWorker(w, now);
          return 1;
        }
        return 0;
      case STOPPING:
        if (!p.isAlive()) {
          onStopped(w, p.process().exitValue());
          return 1;
        }
        if (now - w.stopDeadlineNs >= 0 && p.killNanos() == 0) {
          p.kill();
          return 1;
        }
        return 0;
      default:
        return 0;
    }
  }

  private void launchWorker(Worker w, long now) {
    w.launches++;
    WorkerProcess p;
    try {
      p = ctx.launcher().launch(w.spec, w.launches);
    } catch (WorkerStartException e) {
      ctx.errorHandler().onError(e);
      w.process = null;
      recordDeath(w, -1, e.exitCode(), e.lastLogLines(), now, now);
      return;
    }
    w.process = p;
    w.state = State.STARTING;
    w.notReadyInTime = false;
    w.readyDeadlineNs = now + TimeUnit.MILLISECONDS.toNanos(ctx.readyTimeoutMs());
    publish(w);
    listen(() -> ctx.listener().onStarted(w.spec.id(), p.pid(), w.launches));
  }

  private void onReady(Worker w) {
    WorkerProcess p = w.process;
    w.state = State.READY;
    long startMs = TimeUnit.NANOSECONDS.toMillis(p.readyNanos() - p.startNanos());
    long restartMs = -1;
    if (w.deathNanos != 0) {
      restartMs = TimeUnit.NANOSECONDS.toMillis(p.readyNanos() - w.deathNanos);
      w.restarts++;
      w.restartTimesMs.addLast(restartMs);
      if (w.restartTimesMs.size() > RESTART_TIMES_KEPT) {
        w.restartTimesMs.removeFirst();
      }
      w.deathNanos = 0;
    }
    publish(w);
    listen(() -> ctx.listener().onReady(w.spec.id(), p.pid(), startMs));
    if (restartMs >= 0) {
      long ms = restartMs;
      int restarts = w.restarts;
      listen(() -> ctx.listener().onRestarted(w.spec.id(), p.pid(), restarts, ms));
    }
  }

  private void onDeath(Worker w, long now) {
    WorkerProcess p = w.process;
    int exitCode = p.process().exitValue();
    long deathNanos = p.killNanos() != 0 ? p.killNanos() : p.exitNanos() != 0 ? p.exitNanos() : now;
    List<String> lines = new ArrayList<>(p.lastLogLines());
    if (w.notReadyInTime) {
      lines.add("(not ready within " + ctx.readyTimeoutMs() + " ms: killed by the supervisor)");
    }
    recordDeath(w, p.pid(), exitCode, lines, deathNanos, now);
  }

  private void recordDeath(
      Worker w, long pid, int exitCode, List<String> lines, long deathNanos, long now) {
    w.lastExitCode = exitCode;
    w.lastLogLines = lines;
    w.deaths.addLast(now);
    long windowNs = TimeUnit.MILLISECONDS.toNanos(ctx.restartWindowMs());
    while (!w.deaths.isEmpty() && now - w.deaths.peekFirst() > windowNs) {
      w.deaths.removeFirst();
    }
    listen(() -> ctx.listener().onDied(w.spec.id(), pid, exitCode));
    cleanAeronDirs();
    int deaths = w.deaths.size();
    if (deaths >= ctx.restartLimit()) {
      w.state = State.FAILED;
      publish(w);
      ids.remove(w.spec.id());
      WorkerFailedException failure =
          new WorkerFailedException(w.spec.id(), deaths, ctx.restartWindowMs(), exitCode, lines);
      ctx.errorHandler().onError(failure);
      listen(() -> ctx.listener().onFailed(w.spec.id(), failure));
      return;
    }
    long delayMs = backoffDelayMs(deaths, ctx.restartInitialDelayMs(), ctx.restartMaxDelayMs());
    w.deathNanos = w.deathNanos != 0 ? w.deathNanos : deathNanos; // a failed launch keeps the first
    w.nextLaunchNs = now + TimeUnit.MILLISECONDS.toNanos(delayMs);
    w.state = State.BACKOFF;
    publish(w);
  }

  /**
   * @return {@code min(initialMs * 2^(deaths-1), maxMs)} without overflow
   */
  static long backoffDelayMs(int deaths, long initialMs, long maxMs) {
    long delayMs = initialMs;
    for (int i = 1; i < deaths && delayMs < maxMs; i++) {
      delayMs *= 2;
    }
    return Math.min(delayMs, maxMs);
  }

  private void beginStop(Worker w, long now) {
    switch (w.state) {
      case STARTING:
      case READY:
        w.process.requestStop();
        w.state = State.STOPPING;
        w.stopDeadlineNs = now + TimeUnit.MILLISECONDS.toNanos(ctx.stopTimeoutMs());
        publish(w);
        break;
      case BACKOFF:
        onStopped(w, w.lastExitCode);
        break;
      default:
        // STOPPING: the pending stop completes the future; STOPPED/FAILED are removed at once
        break;
    }
  }

  private void onStopped(Worker w, int exitCode) {
    w.state = State.STOPPED;
    w.lastExitCode = exitCode;
    publish(w);
    ids.remove(w.spec.id());
    for (CompletableFuture<Integer> f : w.stopFutures) {
      f.complete(exitCode);
    }
    w.stopFutures.clear();
    listen(() -> ctx.listener().onStopped(w.spec.id(), exitCode));
  }

  /** Stops every worker and waits for all worker processes to exit. */
  @Override
  public void onClose() {
    if (closed) {
      return;
    }
    closing = true;
    drainCommands();
    long now = ctx.nanoClock();
    for (Worker w : workers.values()) {
      beginStop(w, now);
    }
    long deadline = now + TimeUnit.MILLISECONDS.toNanos(ctx.stopTimeoutMs());
    for (Worker w : workers.values()) {
      if (w.state != State.STOPPING) {
        continue;
      }
      Process proc = w.process.process();
      try {
        long leftNs = deadline - ctx.nanoClock();
        if (leftNs <= 0 || !proc.waitFor(leftNs, TimeUnit.NANOSECONDS)) {
          w.process.kill();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        w.process.kill();
      }
    }
    // onStopped forgets the worker: iterate over a copy
    for (Worker w : new ArrayList<>(workers.values())) {
      if (w.state == State.STOPPING) {
        w.process.kill(); // descendants of a worker that exited gracefully, if any
        onStopped(w, w.process.waitForExitQuietly());
      }
    }
    workers.clear();
    ids.clear();
    closed = true;
    drainCommands();
  }

  /**
   * Stops every worker and waits until all worker processes have exited. If the supervisor was
   * started with {@link #launch(Context)}, also stops its thread. Idempotent.
   */
  @Override
  public void close() {
    closing = true;
    if (runner != null) {
      runner.close(); // runs onClose() on the agent thread
    }
    if (!closed) {
      onClose();
    }
    Thread hook = shutdownHook;
    if (hook != null && hook != Thread.currentThread()) {
      shutdownHook = null;
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to: nothing left for it to do
      }
    }
  }

  private void drainCommands() {
    Runnable command;
    while ((command = commands.poll()) != null) {
      runSafely(command);
    }
  }

  private void enqueue(Runnable command) {
    commands.offer(command);
    if (closed) {
      drainCommands(); // too late for the agent thread: complete futures here
    }
  }

  private void ensureOpen() {
    if (closing) {
      throw new IllegalStateException("worker supervisor is closed");
    }
  }

  private void runSafely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      ctx.errorHandler().onError(e);
    }
  }

  private void listen(Runnable event) {
    try {
      event.run();
    } catch (RuntimeException e) {
      ctx.errorHandler().onError(e);
    }
  }

  private void cleanAeronDirs() {
    AeronDirCleaner cleaner = ctx.aeronDirCleaner();
    if (cleaner != null) {
      try {
        cleaner.removeStale(ctx.errorHandler());
      } catch (RuntimeException e) {
        ctx.errorHandler().onError(e);
      }
    }
  }

  private void publish(Worker w) {
    WorkerProcess p = w.process;
    statuses.put(
        w.spec.id(),
        new WorkerStatus(
            w.spec.id(),
            w.state,
            p == null ? -1 : p.pid(),
            w.launches,
            w.restarts,
            w.lastExitCode,
            List.copyOf(w.restartTimesMs)));
  }

  private static final class Worker {
    final WorkerSpec spec;
    final ArrayDeque<Long> deaths = new ArrayDeque<>();
    final ArrayDeque<Long> restartTimesMs = new ArrayDeque<>();
    final List<CompletableFuture<Integer>> stopFutures = new ArrayList<>();
    WorkerProcess process;
    State state = State.BACKOFF;
    int launches;
    int restarts;
    long readyDeadlineNs;
    long stopDeadlineNs;
    long nextLaunchNs;
    long deathNanos;
    boolean notReadyInTime;
    int lastExitCode = WorkerStartException.NO_EXIT_CODE;
    List<String> lastLogLines = List.of();

    Worker(WorkerSpec spec) {
      this.spec = spec;
    }
  }

  /**
   * Configuration of a {@link WorkerSupervisor}. Defaults come from system properties named by the
   * {@code *_PROP_NAME} constants; durations there take a unit suffix ({@code ns}, {@code us},
   * {@code ms}, {@code s}; a bare number is nanoseconds, as Agrona's {@link
   * SystemUtil#parseDuration} reads it).
   */
  public static final class Context {
    /** Time a worker has to print its readiness line: default 30 s. */
    public static final String READY_TIMEOUT_PROP_NAME = "compartment.worker.ready.timeout";

    /** Default of {@link #READY_TIMEOUT_PROP_NAME} in milliseconds. */
    public static final long READY_TIMEOUT_DEFAULT_MS = 30_000;

    /** Time a worker has to exit after SIGTERM before SIGKILL: default 5 s. */
    public static final String STOP_TIMEOUT_PROP_NAME = "compartment.worker.stop.timeout";

    /** Default of {@link #STOP_TIMEOUT_PROP_NAME} in milliseconds. */
    public static final long STOP_TIMEOUT_DEFAULT_MS = 5_000;

    /** Backoff before the first restart in a window: default 50 ms. */
    public static final String RESTART_INITIAL_DELAY_PROP_NAME =
        "compartment.worker.restart.delay.initial";

    /** Default of {@link #RESTART_INITIAL_DELAY_PROP_NAME} in milliseconds. */
    public static final long RESTART_INITIAL_DELAY_DEFAULT_MS = 50;

    /** Longest backoff before a restart: default 5 s. */
    public static final String RESTART_MAX_DELAY_PROP_NAME = "compartment.worker.restart.delay.max";

    /** Default of {@link #RESTART_MAX_DELAY_PROP_NAME} in milliseconds. */
    public static final long RESTART_MAX_DELAY_DEFAULT_MS = 5_000;

    /** Deaths within the restart window after which a worker is declared failed: default 5. */
    public static final String RESTART_LIMIT_PROP_NAME = "compartment.worker.restart.limit";

    /** Default of {@link #RESTART_LIMIT_PROP_NAME}. */
    public static final int RESTART_LIMIT_DEFAULT = 5;

    /** Window over which deaths are counted: default 30 s. */
    public static final String RESTART_WINDOW_PROP_NAME = "compartment.worker.restart.window";

    /** Default of {@link #RESTART_WINDOW_PROP_NAME} in milliseconds. */
    public static final long RESTART_WINDOW_DEFAULT_MS = 30_000;

    /** Longest park of the default idle strategy: default 10 ms. */
    public static final String IDLE_MAX_PARK_PROP_NAME = "compartment.worker.idle.max.park";

    /** Default of {@link #IDLE_MAX_PARK_PROP_NAME} in milliseconds. */
    public static final long IDLE_MAX_PARK_DEFAULT_MS = 10;

    /** Whether to remove stale Aeron directories at start and after each death: default true. */
    public static final String AERON_DIR_CLEANUP_PROP_NAME = "compartment.worker.aeron.dir.cleanup";

    private long readyTimeoutMs = durationMs(READY_TIMEOUT_PROP_NAME, READY_TIMEOUT_DEFAULT_MS);
    private long stopTimeoutMs = durationMs(STOP_TIMEOUT_PROP_NAME, STOP_TIMEOUT_DEFAULT_MS);
    private long restartInitialDelayMs =
        durationMs(RESTART_INITIAL_DELAY_PROP_NAME, RESTART_INITIAL_DELAY_DEFAULT_MS);
    private long restartMaxDelayMs =
        durationMs(RESTART_MAX_DELAY_PROP_NAME, RESTART_MAX_DELAY_DEFAULT_MS);
    private int restartLimit = Integer.getInteger(RESTART_LIMIT_PROP_NAME, RESTART_LIMIT_DEFAULT);
    private long restartWindowMs = durationMs(RESTART_WINDOW_PROP_NAME, RESTART_WINDOW_DEFAULT_MS);
    private IdleStrategy idleStrategy;
    private ErrorHandler errorHandler;
    private WorkerListener listener;
    private WorkerLauncher launcher;
    private ThreadFactory threadFactory;
    private AeronDirCleaner aeronDirCleaner;
    private boolean aeronDirCleanup =
        Boolean.parseBoolean(System.getProperty(AERON_DIR_CLEANUP_PROP_NAME, "true"));
    private boolean shutdownHook = true;
    private boolean concluded;

    private static long durationMs(String prop, long defaultMs) {
      return TimeUnit.NANOSECONDS.toMillis(
          SystemUtil.getDurationInNanos(prop, TimeUnit.MILLISECONDS.toNanos(defaultMs)));
    }

    /**
     * Validates settings and fills defaults; idempotent.
     *
     * @return this
     * @throws IllegalArgumentException naming the offending setting
     */
    public Context conclude() {
      if (concluded) {
        return this;
      }
      positive("readyTimeoutMs", readyTimeoutMs);
      positive("stopTimeoutMs", stopTimeoutMs);
      positive("restartWindowMs", restartWindowMs);
      if (restartInitialDelayMs < 0) {
        throw new IllegalArgumentException(
            "restartInitialDelayMs must be >= 0: " + restartInitialDelayMs);
      }
      if (restartMaxDelayMs < restartInitialDelayMs) {
        throw new IllegalArgumentException(
            "restartMaxDelayMs ("
                + restartMaxDelayMs
                + ") must be >= restartInitialDelayMs ("
                + restartInitialDelayMs
                + ")");
      }
      if (restartLimit < 1) {
        throw new IllegalArgumentException("restartLimit must be >= 1: " + restartLimit);
      }
      if (idleStrategy == null) {
        long maxParkNs =
            SystemUtil.getDurationInNanos(
                IDLE_MAX_PARK_PROP_NAME, TimeUnit.MILLISECONDS.toNanos(IDLE_MAX_PARK_DEFAULT_MS));
        idleStrategy =
            new BackoffIdleStrategy(
                0, 1, Math.min(TimeUnit.MICROSECONDS.toNanos(50), maxParkNs), maxParkNs);
      }
      if (errorHandler == null) {
        errorHandler =
            t -> {
              System.err.println("compartment worker supervisor: " + t);
              if (!(t instanceof WorkerFailedException) && !(t instanceof WorkerStartException)) {
                t.printStackTrace(System.err);
              }
            };
      }
      if (listener == null) {
        listener = WorkerListener.NO_OP;
      }
      if (launcher == null) {
        launcher = new WorkerLauncher();
      }
      if (threadFactory == null) {
        threadFactory =
            r -> {
              Thread t = new Thread(r, "compartment-worker-supervisor");
              t.setDaemon(true);
              return t;
            };
      }
      if (aeronDirCleaner == null && aeronDirCleanup) {
        aeronDirCleaner = AeronDirCleaner.fromSystemProperties();
      }
      concluded = true;
      return this;
    }

    private static void positive(String name, long value) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be > 0: " + value);
      }
    }

    long nanoClock() {
      return System.nanoTime();
    }

    /**
     * @param ms time a launched worker has to print its readiness line before it is killed and
     *     counted as a death, in milliseconds; default 30000
     * @return this
     */
    public Context readyTimeoutMs(long ms) {
      this.readyTimeoutMs = ms;
      return this;
    }

    /**
     * @return readiness timeout in milliseconds
     */
    public long readyTimeoutMs() {
      return readyTimeoutMs;
    }

    /**
     * @param ms time a worker has to exit after SIGTERM before SIGKILL, in milliseconds; default
     *     5000
     * @return this
     */
    public Context stopTimeoutMs(long ms) {
      this.stopTimeoutMs = ms;
      return this;
    }

    /**
     * @return stop timeout in milliseconds
     */
    public long stopTimeoutMs() {
      return stopTimeoutMs;
    }

    /**
     * @param ms backoff before the first restart within the window, in milliseconds (doubles with
     *     each further death); default 50
     * @return this
     */
    public Context restartInitialDelayMs(long ms) {
      this.restartInitialDelayMs = ms;
      return this;
    }

    /**
     * @return initial restart backoff in milliseconds
     */
    public long restartInitialDelayMs() {
      return restartInitialDelayMs;
    }

    /**
     * @param ms longest restart backoff, in milliseconds; default 5000
     * @return this
     */
    public Context restartMaxDelayMs(long ms) {
      this.restartMaxDelayMs = ms;
      return this;
    }

    /**
     * @return longest restart backoff in milliseconds
     */
    public long restartMaxDelayMs() {
      return restartMaxDelayMs;
    }

    /**
     * @param limit deaths within the restart window at which a worker is declared failed; default 5
     * @return this
     */
    public Context restartLimit(int limit) {
      this.restartLimit = limit;
      return this;
    }

    /**
     * @return restart limit
     */
    public int restartLimit() {
      return restartLimit;
    }

    /**
     * @param ms window over which deaths are counted, in milliseconds; default 30000
     * @return this
     */
    public Context restartWindowMs(long ms) {
      this.restartWindowMs = ms;
      return this;
    }

    /**
     * @return restart window in milliseconds
     */
    public long restartWindowMs() {
      return restartWindowMs;
    }

    /**
     * @param idleStrategy idle strategy of the duty cycle when run by {@link #launch(Context)};
     *     default a {@link BackoffIdleStrategy} that parks from 50 us up to {@value
     *     #IDLE_MAX_PARK_DEFAULT_MS} ms ({@link #IDLE_MAX_PARK_PROP_NAME}) without spinning, suited
     *     to a 2-core machine
     * @return this
     */
    public Context idleStrategy(IdleStrategy idleStrategy) {
      this.idleStrategy = idleStrategy;
      return this;
    }

    /**
     * @return the idle strategy
     */
    public IdleStrategy idleStrategy() {
      return idleStrategy;
    }

    /**
     * @param errorHandler receives failed workers ({@link WorkerFailedException}), launch failures
     *     ({@link WorkerStartException}) and unexpected errors; default prints to stderr
     * @return this
     */
    public Context errorHandler(ErrorHandler errorHandler) {
      this.errorHandler = errorHandler;
      return this;
    }

    /**
     * @return the error handler
     */
    public ErrorHandler errorHandler() {
      return errorHandler;
    }

    /**
     * @param listener receives worker events on the agent thread; default none
     * @return this
     */
    public Context listener(WorkerListener listener) {
      this.listener = listener;
      return this;
    }

    /**
     * @return the listener
     */
    public WorkerListener listener() {
      return listener;
    }

    /**
     * @param launcher starts the worker processes; default a new {@link WorkerLauncher}
     * @return this
     */
    public Context launcher(WorkerLauncher launcher) {
      this.launcher = launcher;
      return this;
    }

    /**
     * @return the launcher
     */
    public WorkerLauncher launcher() {
      return launcher;
    }

    /**
     * @param threadFactory makes the agent thread for {@link #launch(Context)}; default a daemon
     *     thread named {@code compartment-worker-supervisor}
     * @return this
     */
    public Context threadFactory(ThreadFactory threadFactory) {
      this.threadFactory = threadFactory;
      return this;
    }

    /**
     * @return the thread factory
     */
    public ThreadFactory threadFactory() {
      return threadFactory;
    }

    /**
     * @param cleaner removes stale Aeron directories at start and after each death; default {@link
     *     AeronDirCleaner#fromSystemProperties()} unless {@link #aeronDirCleanup(boolean)} is false
     * @return this
     */
    public Context aeronDirCleaner(AeronDirCleaner cleaner) {
      this.aeronDirCleaner = cleaner;
      return this;
    }

    /**
     * @return the Aeron directory cleaner, or null for none
     */
    public AeronDirCleaner aeronDirCleaner() {
      return aeronDirCleaner;
    }

    /**
     * @param cleanup whether to remove stale Aeron directories when no cleaner is set; default
     *     {@value #AERON_DIR_CLEANUP_PROP_NAME} or true
     * @return this
     */
    public Context aeronDirCleanup(boolean cleanup) {
      this.aeronDirCleanup = cleanup;
      return this;
    }

    /**
     * @return whether stale Aeron directories are removed when no cleaner is set
     */
    public boolean aeronDirCleanup() {
      return aeronDirCleanup;
    }

    /**
     * @param shutdownHook whether {@link #launch(Context)} registers a JVM shutdown hook that
     *     closes the supervisor, so that no worker outlives a host that exits normally or on
     *     SIGTERM; default true
     * @return this
     */
    public Context shutdownHook(boolean shutdownHook) {
      this.shutdownHook = shutdownHook;
      return this;
    }

    /**
     * @return whether {@link #launch(Context)} registers a shutdown hook
     */
    public boolean shutdownHook() {
      return shutdownHook;
    }
  }
}
