package io.compartment.transport.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerLauncherTest {
  private static final long READY_TIMEOUT_MS = 30_000;

  @TempDir Path dir;
  private final WorkerLauncher launcher = new WorkerLauncher();
  private WorkerProcess worker;

  @AfterEach
  void killLeftover() {
    if (worker != null && worker.isAlive()) {
      worker.kill().waitForExitQuietly();
    }
  }

  @Test
  void startsWorkerAndWaitsForReadiness() throws Exception {
    // defaults: the host's class path and compartment.jvm.flags
    WorkerSpec spec =
        new WorkerSpec("l-ready", Workers.TEST_MAIN)
            .arguments("l-ready")
            .logFile(dir.resolve("l-ready.log"));

    worker = launcher.start(spec, READY_TIMEOUT_MS);

    assertThat(worker.isReady()).isTrue();
    assertThat(worker.isAlive()).isTrue();
    assertThat(worker.pid())
        .isEqualTo(worker.process().pid())
        .isNotEqualTo(ProcessHandle.current().pid());
    assertThat(ProcessHandle.current().children().map(ProcessHandle::pid)).contains(worker.pid());
    assertThat(worker.startTime()).isNotNull();
    assertThat(ProcessHandle.of(worker.pid()).orElseThrow().info().commandLine().orElse(""))
        .contains(System.getProperty("java.class.path"))
        .contains(WorkerSpec.FAST_START_FLAG)
        .contains("-Dcompartment.worker.id=l-ready");
    System.out.printf(
        "worker l-ready: launch to ready %d ms%n",
        TimeUnit.NANOSECONDS.toMillis(worker.readyNanos() - worker.startNanos()));

    worker.stdin().write("ping\n".getBytes(StandardCharsets.UTF_8));
    worker.stdin().flush();
    int exit = worker.stop(10_000);

    assertThat(worker.isAlive()).isFalse();
    assertThat(exit).isIn(0, 143);
    String log = Files.readString(spec.logFile());
    assertThat(log)
        .contains("=== compartment: launching worker l-ready (launch 1)")
        .contains("WORKER READY l-ready");
    assertThat(worker.lastLogLines()).contains("WORKER READY l-ready");
  }

  @Test
  void badMainClassGivesStartExceptionWithLogLines() {
    WorkerSpec spec =
        new WorkerSpec("l-bad-main", "io.compartment.NoSuchWorkerMain")
            .logFile(dir.resolve("bad.log"));

    WorkerStartException e =
        catchThrowableOfType(
            WorkerStartException.class, () -> launcher.start(spec, READY_TIMEOUT_MS));

    System.out.println("bad main class -> " + e.getMessage());
    assertThat(e.workerId()).isEqualTo("l-bad-main");
    assertThat(e.exitCode()).isEqualTo(1);
    assertThat(e.lastLogLines())
        .anyMatch(
            l -> l.contains("Could not find or load main class io.compartment.NoSuchWorkerMain"));
    assertThat(e.getMessage())
        .startsWith(
            "worker l-bad-main failed to start: exited before printing 'WORKER READY l-bad-main'")
        .contains("exit code 1")
        .contains("last log lines:")
        .contains("NoSuchWorkerMain");
  }

  @Test
  void workerExitingAtOnceReportsItsExitCodeAndOutput() {
    WorkerStartException e =
        catchThrowableOfType(
            WorkerStartException.class,
            () -> launcher.start(Workers.spec(dir, "l-exit", "--exit", "3"), READY_TIMEOUT_MS));

    assertThat(e.exitCode()).isEqualTo(3);
    assertThat(e.getMessage())
        .contains("exit code 3")
        .contains("test worker l-exit exiting with code 3");
  }

  @Test
  void workerNotReadyInTimeIsKilled() {
    WorkerSpec spec = Workers.spec(dir, "l-slow", "--never-ready");

    WorkerStartException e =
        catchThrowableOfType(WorkerStartException.class, () -> launcher.start(spec, 1_500));

    assertThat(e.getMessage())
        .contains("not ready within 1500 ms (killed)")
        .contains("exit code 137");
    assertThat(Workers.liveTestWorkers()).isEmpty();
  }

  @Test
  void stopKillsWorkerThatIgnoresSigterm() {
    worker = launcher.start(Workers.spec(dir, "l-hang", "--hang-on-term"), READY_TIMEOUT_MS);

    int exit = worker.stop(500);

    assertThat(exit).isEqualTo(137);
    assertThat(worker.isAlive()).isFalse();
    assertThat(worker.isStopRequested()).isTrue();
  }

  @Test
  void missingJavaExecutableGivesStartException() {
    WorkerSpec spec = Workers.spec(dir, "l-nojava").javaExecutable(dir.resolve("no-such-java"));

    assertThatThrownBy(() -> launcher.launch(spec))
        .isInstanceOf(WorkerStartException.class)
        .hasMessageContaining("worker l-nojava failed to start: cannot launch")
        .extracting(t -> ((WorkerStartException) t).exitCode())
        .isEqualTo(WorkerStartException.NO_EXIT_CODE);
  }
}
