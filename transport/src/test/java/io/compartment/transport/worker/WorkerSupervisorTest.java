package io.compartment.transport.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compartment.transport.worker.WorkerSupervisor.State;
import io.compartment.transport.worker.WorkerSupervisor.WorkerStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerSupervisorTest {
  private static final long TIMEOUT_MS = 30_000;

  @TempDir Path dir;
  private final Events events = new Events(this);
  private final List<Throwable> errors = new CopyOnWriteArrayList<>();
  private WorkerSupervisor supervisor;

  private WorkerSupervisor launch(WorkerSupervisor.Context ctx) {
    supervisor =
        WorkerSupervisor.launch(
            ctx.listener(events)
                .errorHandler(errors::add)
                .aeronDirCleaner(new AeronDirCleaner(dir, "compartment-aeron-")));
    return supervisor;
  }

  @AfterEach
  void close() {
    if (supervisor != null) {
      supervisor.close();
    }
    assertThat(Workers.liveTestWorkers()).isEmpty();
  }

  @Test
  void restartsWorkerKilledWithSigkillAndMeasuresRestartTime() throws Exception {
    launch(new WorkerSupervisor.Context().restartInitialDelayMs(10));
    supervisor.supervise(Workers.spec(dir, "s-kill"));
    Event ready = events.await("ready", "s-kill");
    long pid = ready.pid;

    AeronDirCleaner cleaner = supervisor.context().aeronDirCleaner();
    for (int restart = 1; restart <= 2; restart++) {
      Path aeronDir = Files.createDirectories(cleaner.dirFor(pid, "s-kill"));
      Files.write(aeronDir.resolve("cnc.dat"), new byte[64]);
      long killedAt = System.nanoTime();
      assertThat(ProcessHandle.of(pid).orElseThrow().destroyForcibly()).isTrue();

      Event died = events.await("died", "s-kill");
      Event restarted = events.await("restarted", "s-kill");
      long seenMs = TimeUnit.NANOSECONDS.toMillis(restarted.nanos - killedAt);

      assertThat(died.pid).isEqualTo(pid);
      assertThat(died.value).isEqualTo(137);
      assertThat(restarted.pid).isNotEqualTo(pid);
      assertThat(restarted.count).isEqualTo(restart);
      assertThat(ProcessHandle.of(restarted.pid).map(ProcessHandle::isAlive)).contains(true);
      assertThat(restarted.value).isPositive().isLessThanOrEqualTo(seenMs);
      assertThat(aeronDir).as("Aeron dir of the dead worker").doesNotExist();
      System.out.printf(
          "worker s-kill restart %d: SIGKILL to ready %d ms (supervisor), %d ms (test)%n",
          restart, restarted.value, seenMs);
      pid = restarted.pid;
    }

    WorkerStatus status = supervisor.status("s-kill").orElseThrow();
    assertThat(status.state()).isEqualTo(State.READY);
    assertThat(status.pid()).isEqualTo(pid);
    assertThat(status.launches()).isEqualTo(3);
    assertThat(status.restarts()).isEqualTo(2);
    assertThat(status.restartTimesMs()).hasSize(2);
    assertThat(status.lastExitCode()).isEqualTo(137);
    assertThat(errors).isEmpty();
  }

  @Test
  void workerThatKeepsDyingIsDeclaredFailedAndOthersRunOn() throws Exception {
    launch(
        new WorkerSupervisor.Context()
            .restartLimit(3)
            .restartWindowMs(30_000)
            .restartInitialDelayMs(10)
            .restartMaxDelayMs(40));
    supervisor.supervise(Workers.spec(dir, "s-healthy"));
    supervisor.supervise(Workers.spec(dir, "s-dying", "--exit", "1"));

    Event failed = events.await("failed", "s-dying");
    long healthyPid = events.await("ready", "s-healthy").pid;

    String message = failed.failure.getMessage();
    System.out.println("failed worker -> " + message);
    assertThat(message)
        .startsWith("worker s-dying died 3 times in 30 s; last exit code 1; last log lines:")
        .contains("test worker s-dying exiting with code 1");
    assertThat(failed.failure.deaths()).isEqualTo(3);
    assertThat(failed.failure.lastExitCode()).isEqualTo(1);
    assertThat(errors).containsExactly(failed.failure);
    assertThat(events.all("died", "s-dying")).hasSize(3).allMatch(e -> e.value == 1);
    assertThat(events.all("started", "s-dying")).hasSize(3);
    assertThat(supervisor.status("s-dying").orElseThrow().state()).isEqualTo(State.FAILED);

    // the host and the other worker are unaffected
    WorkerStatus healthy = supervisor.status("s-healthy").orElseThrow();
    assertThat(healthy.state()).isEqualTo(State.READY);
    assertThat(healthy.pid()).isEqualTo(healthyPid);
    assertThat(ProcessHandle.of(healthyPid).map(ProcessHandle::isAlive)).contains(true);
    assertThat(events.all("died", "s-healthy")).isEmpty();
  }

  @Test
  void workerNotReadyInTimeIsKilledAndCountsAsDeath() throws Exception {
    launch(new WorkerSupervisor.Context().readyTimeoutMs(1_000).restartLimit(1));
    supervisor.supervise(Workers.spec(dir, "s-slow", "--never-ready"));

    Event failed = events.await("failed", "s-slow");

    assertThat(failed.failure.getMessage())
        .startsWith("worker s-slow died 1 times in 30 s; last exit code 137")
        .contains("not ready within 1000 ms: killed by the supervisor");
    assertThat(events.all("ready", "s-slow")).isEmpty();
  }

  @Test
  void stoppedWorkerIsNotRestarted() throws Exception {
    launch(new WorkerSupervisor.Context());
    supervisor.supervise(Workers.spec(dir, "s-stop"));
    long pid = events.await("ready", "s-stop").pid;

    int exit = supervisor.stop("s-stop").get(TIMEOUT_MS, TimeUnit.MILLISECONDS);

    assertThat(exit).isIn(0, 143);
    assertThat(events.await("stopped", "s-stop").value).isEqualTo(exit);
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(supervisor.status("s-stop").orElseThrow().state()).isEqualTo(State.STOPPED);
    assertThat(events.all("died", "s-stop")).isEmpty();
    assertThat(events.all("started", "s-stop")).hasSize(1);

    // the id can be supervised again at once
    supervisor.supervise(Workers.spec(dir, "s-stop"));
    assertThat(events.await("ready", "s-stop").pid).isNotEqualTo(pid);
  }

  @Test
  void closeStopsAllWorkersAndLeavesNoChildProcess() throws Exception {
    launch(new WorkerSupervisor.Context().stopTimeoutMs(500));
    supervisor.supervise(Workers.spec(dir, "s-close-a"));
    supervisor.supervise(Workers.spec(dir, "s-close-b", "--hang-on-term"));
    long a = events.await("ready", "s-close-a").pid;
    long b = events.await("ready", "s-close-b").pid;

    supervisor.close();

    assertThat(supervisor.isClosed()).isTrue();
    assertThat(ProcessHandle.of(a).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(ProcessHandle.of(b).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(
            ProcessHandle.current()
                .children()
                .filter(ProcessHandle::isAlive)
                .map(ProcessHandle::pid))
        .doesNotContain(a, b);
    assertThat(Workers.liveTestWorkers()).isEmpty();
    assertThat(events.all("stopped", "s-close-b"))
        .singleElement()
        .extracting(e -> e.value)
        .isEqualTo(137L);
    assertThat(events.all("died", "s-close-a")).isEmpty();
    assertThat(supervisor.status("s-close-a").orElseThrow().state()).isEqualTo(State.STOPPED);
  }

  @Test
  void backoffDoublesUpToTheMaximum() {
    assertThat(WorkerSupervisor.backoffDelayMs(1, 50, 5_000)).isEqualTo(50);
    assertThat(WorkerSupervisor.backoffDelayMs(2, 50, 5_000)).isEqualTo(100);
    assertThat(WorkerSupervisor.backoffDelayMs(4, 50, 5_000)).isEqualTo(400);
    assertThat(WorkerSupervisor.backoffDelayMs(20, 50, 5_000)).isEqualTo(5_000);
    assertThat(WorkerSupervisor.backoffDelayMs(Integer.MAX_VALUE, 50, Long.MAX_VALUE / 2))
        .isEqualTo(Long.MAX_VALUE / 2);
    assertThat(WorkerSupervisor.backoffDelayMs(3, 0, 5_000)).isZero();
  }

  @Test
  void contextRejectsBadSettings() {
    assertThatThrownBy(() -> new WorkerSupervisor.Context().restartLimit(0).conclude())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("restartLimit");
    assertThatThrownBy(
            () ->
                new WorkerSupervisor.Context()
                    .restartInitialDelayMs(100)
                    .restartMaxDelayMs(10)
                    .conclude())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("restartMaxDelayMs");
    assertThatThrownBy(() -> new WorkerSupervisor.Context().readyTimeoutMs(0).conclude())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("readyTimeoutMs");
  }

  @Test
  void contextDefaultsComeFromSystemProperties() {
    System.setProperty(WorkerSupervisor.Context.RESTART_WINDOW_PROP_NAME, "45s");
    System.setProperty(WorkerSupervisor.Context.RESTART_LIMIT_PROP_NAME, "7");
    try {
      WorkerSupervisor.Context ctx =
          new WorkerSupervisor.Context().aeronDirCleanup(false).conclude();
      assertThat(ctx.restartWindowMs()).isEqualTo(45_000);
      assertThat(ctx.restartLimit()).isEqualTo(7);
      assertThat(ctx.restartInitialDelayMs())
          .isEqualTo(WorkerSupervisor.Context.RESTART_INITIAL_DELAY_DEFAULT_MS);
      assertThat(ctx.aeronDirCleaner()).isNull();
      assertThat(ctx.idleStrategy()).isNotNull();
    } finally {
      System.clearProperty(WorkerSupervisor.Context.RESTART_WINDOW_PROP_NAME);
      System.clearProperty(WorkerSupervisor.Context.RESTART_LIMIT_PROP_NAME);
    }
  }

  /** One listener event. */
  static final class Event {
    final String kind;
    final String id;
    final long pid;
    final long value;
    final int count;
    final WorkerFailedException failure;
    final long nanos = System.nanoTime();

    Event(String kind, String id, long pid, long value, int count, WorkerFailedException failure) {
      this.kind = kind;
      this.id = id;
      this.pid = pid;
      this.value = value;
      this.count = count;
      this.failure = failure;
    }

    @Override
    public String toString() {
      return kind + " " + id + " pid=" + pid + " value=" + value;
    }
  }

  /** Records events; tests wait for them with a deadline. */
  static final class Events implements WorkerListener {
    private final List<Event> all = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    private final List<Event> unclaimed = new java.util.ArrayList<>();
    private final WorkerSupervisorTest test;

    Events(WorkerSupervisorTest test) {
      this.test = test;
    }

    private void add(Event e) {
      all.add(e);
      queue.add(e);
    }

    /** Waits for the next not yet awaited event of this kind and worker. */
    Event await(String kind, String id) throws InterruptedException {
      for (Event e : unclaimed) {
        if (e.kind.equals(kind) && e.id.equals(id)) {
          unclaimed.remove(e);
          return e;
        }
      }
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
      while (true) {
        Event e = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (e == null) {
          throw new AssertionError(
              "no '"
                  + kind
                  + "' event for "
                  + id
                  + " in time; got "
                  + all
                  + "\nlog of "
                  + id
                  + ":\n"
                  + Workers.logTail(test.dir, id));
        }
        if (e.kind.equals(kind) && e.id.equals(id)) {
          return e;
        }
        unclaimed.add(e);
      }
    }

    List<Event> all(String kind, String id) {
      return all.stream().filter(e -> e.kind.equals(kind) && e.id.equals(id)).toList();
    }

    @Override
    public void onStarted(String workerId, long pid, int launch) {
      add(new Event("started", workerId, pid, launch, launch, null));
    }

    @Override
    public void onReady(String workerId, long pid, long startMs) {
      add(new Event("ready", workerId, pid, startMs, 0, null));
    }

    @Override
    public void onDied(String workerId, long pid, int exitCode) {
      add(new Event("died", workerId, pid, exitCode, 0, null));
    }

    @Override
    public void onRestarted(String workerId, long pid, int restarts, long restartTimeMs) {
      add(new Event("restarted", workerId, pid, restartTimeMs, restarts, null));
    }

    @Override
    public void onStopped(String workerId, int exitCode) {
      add(new Event("stopped", workerId, -1, exitCode, 0, null));
    }

    @Override
    public void onFailed(String workerId, WorkerFailedException cause) {
      add(new Event("failed", workerId, -1, cause.lastExitCode(), 0, cause));
    }
  }
}
