package io.compartment.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.analyzer.json.Json;
import io.compartment.transport.aeron.EmbeddedTransport;
import io.compartment.transport.aeron.MessageChannel;
import io.compartment.transport.aeron.MessagePublisher;
import io.compartment.transport.aeron.TransportContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live routing (DESIGN section 6) against faults, each test with a real application JVM under the
 * shaded agent ({@code io.compartment.scenarios.LiveTarget}, which checks every read against the
 * writes it made), real worker JVMs, the application's own Aeron media driver and the workers'
 * Chronicle Map files (kept in the test's folder with {@code compartment.live.dir}).
 */
class LiveRoutingIT {
  private static final String REGISTERS = "Registers#1";
  private static final String W0 = "Registers-1-o0-w0";
  private static final String W1 = "Registers-1-o0-w1";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @TempDir Path dir;
  private LiveApp app;

  @AfterEach
  void stopWhatIsLeft() throws Exception {
    if (app != null) app.destroy();
  }

  // ------------------------------------------------------------------ worker deaths

  @Test
  void killedWorkersComeBackWithTheirStateAndNoWriteIsLostOrAppliedTwice() throws Exception {
    app = LiveApp.start(dir);
    app.awaitReads(1_000);
    assertOk(app.enable(REGISTERS, 2), "\"partitions\": 2");
    app.awaitReads(app.reads() + 1_000);

    List<List<String>> rounds = List.of(List.of(W0), List.of(W1), List.of(W0, W1));
    for (List<String> victims : rounds) {
      Map<String, Long> before = app.workerPids(REGISTERS);
      assertThat(before).containsKeys(W0, W1);
      Map<String, Integer> restored = new LinkedHashMap<>();
      for (String v : victims) restored.put(v, app.restores(v));
      long readsAtKill = app.reads();
      long killed = System.nanoTime();
      for (String v : victims) {
        ProcessHandle worker = ProcessHandle.of(before.get(v)).orElseThrow();
        assertThat(worker.destroyForcibly()).as("SIGKILL to %s", v).isTrue();
      }
      app.printStall("IPC", victims, readsAtKill, killed);
      for (String v : victims) {
        long old = before.get(v);
        app.await(
            "a new process for " + v + " after killing pid " + old,
            60,
            () -> {
              Long now = app.workerPids(REGISTERS).get(v);
              return now != null && now > 0 && now != old && ProcessHandle.of(now).isPresent();
            });
        // and it has reopened its state
        app.await(
            "worker " + v + " restoring its state after killing pid " + old,
            60,
            () -> app.restores(v) > restored.get(v));
      }
    }
    // every partition answers again: the restarted workers took up what the host still held
    app.awaitReads(app.reads() + 2_000);
    for (String w : List.of(W0, W1)) {
      app.await(
          "status listing " + w + " READY with its restarts",
          30,
          () -> {
            Map<String, Object> s = app.worker(REGISTERS, w);
            return "READY".equals(s.get("state")) && (Long) s.get("restarts") >= 1;
          });
    }
    assertOk(app.disable(REGISTERS), "\"state\": \"disabled\"");

    LiveApp.Result end = app.stop();
    assertThat(end.exit()).as(end.log()).isZero();
    assertThat(end.log()).contains(" wrong=0 failed=0");
    assertThat(end.log())
        .as("the host resent what the restarted workers had not applied")
        .contains("worker " + W0 + " is back (applied up to ")
        .contains("worker " + W1 + " is back (applied up to ");
    assertThat(app.restores(W0)).as("restores of %s", W0).isGreaterThanOrEqualTo(2);
    assertThat(app.restores(W1)).as("restores of %s", W1).isGreaterThanOrEqualTo(2);
  }

  /**
   * A host SIGKILLed under write-only load: its UDP workers (their media drivers are their own, so
   * nothing of theirs dies with the host) must notice and exit. A worker used to check for its host
   * only between polls, so one with a backlog of frames whose results could not be sent (5 s each)
   * stayed alive for as long; this test does not build such a backlog, it checks the exit.
   */
  @Test
  void workersExitSoonAfterTheHostIsKilledUnderLoad() throws Exception {
    app = LiveApp.start(dir, "-Dcompartment.live.transport=udp");
    app.awaitReads(1_000);
    assertOk(app.enable(REGISTERS, 2), "\"partitions\": 2");
    Files.createFile(dir.resolve("writes-only"));
    long writes = app.writes();
    app.await("writes only", 60, () -> app.writes() > writes + 100_000);
    Map<String, Long> pids = app.workerPids(REGISTERS);
    assertThat(pids).hasSize(2);
    app.destroy();
    List<String> lingering = new ArrayList<>();
    for (Map.Entry<String, Long> w : pids.entrySet()) {
      ProcessHandle worker = ProcessHandle.of(w.getValue()).orElse(null);
      if (worker == null) continue;
      try {
        worker.onExit().get(20, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        lingering.add(w.getKey());
        worker.destroyForcibly();
      }
    }
    assertThat(lingering).as("workers still running 20 s after their host was killed").isEmpty();
  }

  // ------------------------------------------------------------------ UDP

  @Test
  void udpWorkersKilledUnderLoadLoseNothingAndDisableBringsTheirStateHome() throws Exception {
    app = LiveApp.start(dir, "-Dcompartment.live.transport=udp");
    app.awaitReads(1_000);
    assertOk(app.enable(REGISTERS, 2), "\"transport\": \"udp\"");
    for (String w : List.of(W0, W1)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> setup =
          (Map<String, Object>)
              Json.parse(Files.readString(app.liveDir().resolve(w + ".json")), w + ".json");
      assertThat(setup.get("transport")).isEqualTo("udp");
      assertThat((String) setup.get("channel")).startsWith("aeron:udp?endpoint=127.0.0.1:");
      assertThat((String) setup.get("replyChannel")).startsWith("aeron:udp?endpoint=127.0.0.1:");
    }
    app.awaitReads(app.reads() + 1_000);

    for (String victim : List.of(W0, W1)) {
      long old = app.workerPids(REGISTERS).get(victim);
      Path ownDriver = udpWorkerAeronDir(old, victim);
      assertThat(ownDriver).as("the worker's own media driver").isDirectory();
      int restored = app.restores(victim);
      long readsAtKill = app.reads();
      long killed = System.nanoTime();
      assertThat(ProcessHandle.of(old).orElseThrow().destroyForcibly()).isTrue();
      app.printStall("UDP", List.of(victim), readsAtKill, killed);
      app.await(
          "a new process for " + victim + " after killing pid " + old,
          60,
          () -> {
            Long now = app.workerPids(REGISTERS).get(victim);
            return now != null && now > 0 && now != old && ProcessHandle.of(now).isPresent();
          });
      app.await(
          "worker " + victim + " restoring its state after killing pid " + old,
          60,
          () -> app.restores(victim) > restored);
      app.awaitReads(app.reads() + 1_000);
      app.await(
          "the killed worker's media driver directory removed", 30, () -> !Files.exists(ownDriver));
    }
    Map<String, Long> last = app.workerPids(REGISTERS);
    assertOk(app.disable(REGISTERS), "\"state\": \"disabled\"");
    app.awaitReads(app.reads() + 1_000); // in the host again, on the state the workers sent back
    for (String w : List.of(W0, W1)) {
      Path ownDriver = udpWorkerAeronDir(last.get(w), w);
      app.await("stopped worker " + w + "'s directory removed", 30, () -> !Files.exists(ownDriver));
    }

    LiveApp.Result end = app.stop();
    assertThat(end.exit()).as(end.log()).isZero();
    assertThat(end.log()).contains(" wrong=0 failed=0");
    assertThat(end.log())
        .as("the host resent what the restarted workers had not applied")
        .contains("worker " + W0 + " is back (applied up to ")
        .contains("worker " + W1 + " is back (applied up to ");
  }

  /**
   * Void writes keep flowing to a partition whose worker was SIGKILLed: the host keeps them pending
   * and sends them again to the restarted worker; none is lost or applied twice. How long the
   * writes stall after the kill is printed (a figure, not a check).
   */
  @Test
  void writesToAKilledWorkerAreKeptAndNoneIsLostOverIpc() throws Exception {
    writesToAKilledWorkerAreKeptAndNoneIsLost("ipc");
  }

  @Test
  void writesToAKilledWorkerAreKeptAndNoneIsLostOverUdp() throws Exception {
    writesToAKilledWorkerAreKeptAndNoneIsLost("udp");
  }

  private void writesToAKilledWorkerAreKeptAndNoneIsLost(String transport) throws Exception {
    app = LiveApp.start(dir, "-Dcompartment.live.transport=" + transport);
    app.awaitReads(1_000);
    assertOk(app.enable(REGISTERS, 2), "\"transport\": \"" + transport + "\"");
    app.awaitReads(app.reads() + 500);
    Files.createFile(dir.resolve("writes-only"));
    long writes = app.writes();
    app.await("writes only", 60, () -> app.writes() > writes + 100_000);
    for (String victim : List.of(W0, W1)) {
      long old = app.workerPids(REGISTERS).get(victim);
      int restored = app.restores(victim);
      long writesAtKill = app.writes();
      long killed = System.nanoTime();
      assertThat(ProcessHandle.of(old).orElseThrow().destroyForcibly()).isTrue();
      app.await("50,000 more writes", 60, () -> app.writes() > writesAtKill + 50_000);
      long resumedMs = (System.nanoTime() - killed) / 1_000_000;
      app.await(
          "worker " + victim + " restoring its state", 60, () -> app.restores(victim) > restored);
      app.await("the worker answering", 60, () -> app.resent(victim) > 0);
      System.out.printf(
          "LIVE %s: writes only; SIGKILL of %s -> 50000 more writes after %d ms (worker restored"
              + " after %d ms)%n",
          transport.toUpperCase(), victim, resumedMs, (System.nanoTime() - killed) / 1_000_000);
      app.await("more writes", 60, () -> app.writes() > writesAtKill + 100_000);
    }
    Files.delete(dir.resolve("writes-only"));
    app.awaitReads(app.reads() + 2_000); // every register read, and checked, after the kills
    assertOk(app.disable(REGISTERS), "\"state\": \"disabled\"");
    app.awaitReads(app.reads() + 1_000);

    LiveApp.Result end = app.stop();
    assertThat(end.exit()).as(end.log()).isZero();
    assertThat(end.log()).contains(" wrong=0 failed=0");
  }

  @Test
  void aTakenUdpPortFailsTheEnableNamingThePortAndTheHostServesOn() throws Exception {
    try (DatagramChannel held = DatagramChannel.open()) {
      int port = 0;
      for (int p = 47_311; p < 47_411 && port == 0; p++) {
        try {
          held.bind(new InetSocketAddress("127.0.0.1", p));
          port = p;
        } catch (IOException taken) {
          // try the next
        }
      }
      assertThat(port).as("a free port to hold").isPositive();
      app =
          LiveApp.start(
              dir,
              "-Dcompartment.live.transport=udp",
              "-Dcompartment.live.udp.ports=" + port + "-" + port);
      app.awaitReads(1_000);
      HttpResponse<String> r = app.enable(REGISTERS, 1);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
      assertThat(r.body())
          .contains("no free UDP port on 127.0.0.1")
          .contains("compartment.live.udp.ports=" + port + "-" + port)
          .contains("taken by another process: " + port + " (")
          .contains("the compartment keeps running in the host");
      assertThat(app.status().get("live")).isEqualTo(false);
      app.awaitReads(app.reads() + 1_000);
    }
    LiveApp.Result end = app.stop();
    assertThat(end.exit()).as(end.log()).isZero();
    assertThat(end.log()).contains(" wrong=0 failed=0");
  }

  @Test
  void aStateTooLargeForTheMachinesMemoryIsRefusedBeforeAnyWorkerStartsAndTheHostServesOn()
      throws Exception {
    // a terabyte per entry: no machine has room for the registers' workers
    app = LiveApp.start(dir, "-Dcompartment.live.memory.entry.bytes=1000000000000");
    app.awaitReads(1_000);
    HttpResponse<String> r = app.enable(REGISTERS, 2);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
    assertThat(r.body())
        .contains("its workers would need about")
        .contains("this machine has available")
        .contains("compartment.live.memory.check=false")
        .contains("the compartment keeps running in the host");
    assertThat(app.status().get("live")).isEqualTo(false);
    app.awaitReads(app.reads() + 1_000);
    LiveApp.Result end = app.stop();
    assertThat(end.exit()).as(end.log()).isZero();
    assertThat(end.log()).contains(" wrong=0 failed=0").doesNotContain("worker Registers");
  }

  /** A UDP worker's own media driver directory (AeronDirCleaner's naming, default base). */
  private static Path udpWorkerAeronDir(long pid, String workerId) {
    Path base =
        Files.isDirectory(Path.of("/dev/shm"))
            ? Path.of("/dev/shm")
            : Path.of(System.getProperty("java.io.tmpdir"));
    return base.resolve("compartment-aeron-" + pid + "-" + workerId);
  }

  /**
   * Agent option live.idle=spin (set as -Dcompartment.live.idle): the worker's setup file carries
   * it, the worker busy-spins, the host's reply poller and its callers spin; calls are answered
   * right, and a killed spinning worker comes back with its state.
   */
  @Test
  void spinningWorkersServeEveryCallAndComeBackAfterAKill() throws Exception {
    app = LiveApp.start(dir, "-Dcompartment.live.idle=spin");
    app.awaitReads(1_000);
    assertOk(app.enable(REGISTERS, 1), "\"idle\": \"spin\"");
    @SuppressWarnings("unchecked")
    Map<String, Object> setup =
        (Map<String, Object>)
            Json.parse(Files.readString(app.liveDir().resolve(W0 + ".json")), W0 + ".json");
    assertThat(setup.get("idle")).isEqualTo("spin");
    app.awaitReads(app.reads() + 1_000);
    long old = app.workerPids(REGISTERS).get(W0);
    int restored = app.restores(W0);
    assertThat(ProcessHandle.of(old).orElseThrow().destroyForcibly()).isTrue();
    app.await("worker " + W0 + " restoring its state", 60, () -> app.restores(W0) > restored);
    app.awaitReads(app.reads() + 1_000);
    assertOk(app.disable(REGISTERS), "\"state\": \"disabled\"");
    app.awaitReads(app.reads() + 500);

    LiveApp.Result end = app.stop();
    assertThat(end.exit()).as(end.log()).isZero();
    assertThat(end.log()).contains(" wrong=0 failed=0");
  }

  // ------------------------------------------------------------------ toggles

  @Test
  void togglingUnderLoadAnswersEveryRequestAndKeepsEveryReadRight() throws Exception {
    app = LiveApp.start(dir);
    app.awaitReads(1_000);
    for (int n : new int[] {1, 2, 3, 1}) {
      assertOk(app.enable(REGISTERS, n), "\"partitions\": " + n);
      app.awaitReads(app.reads() + 500); // calls flow through the workers
      assertOk(app.disable(REGISTERS), "\"state\": \"disabled\"");
      app.awaitReads(app.reads() + 500); // and through the host again
    }
    assertThat(app.status().get("live")).isEqualTo(false);

    LiveApp.Result end = app.stop();
    assertThat(end.exit()).as(end.log()).isZero();
    assertThat(end.log()).contains(" wrong=0 failed=0");
  }

  // ------------------------------------------------------------------ bad input

  @Test
  void garbageOnAWorkersCallStreamIsReportedAsAFaultAndTheWorkerServesOn() throws Exception {
    app = LiveApp.start(dir);
    app.awaitReads(1_000);
    assertOk(app.enable(REGISTERS, 1), "\"partitions\": 1");
    app.awaitReads(app.reads() + 500);
    long pid = app.workerPids(REGISTERS).get(W0);

    @SuppressWarnings("unchecked")
    Map<String, Object> setup =
        (Map<String, Object>)
            Json.parse(Files.readString(app.liveDir().resolve(W0 + ".json")), W0 + ".json");
    String aeronDir = (String) setup.get("aeronDir");
    int callStream = ((Long) setup.get("callStream")).intValue();
    try (EmbeddedTransport transport =
        EmbeddedTransport.launch(
            new TransportContext().embeddedDriver(false).aeronDirectoryName(aeronDir))) {
      MessagePublisher garbage =
          transport.publisher(MessageChannel.of((String) setup.get("channel"), callStream));
      garbage.awaitConnected(TimeUnit.SECONDS.toNanos(10));
      offer(garbage, new byte[] {1, 2, 3, 4, 5}); // shorter than a frame header
      byte[] unknownType = new byte[64];
      Arrays.fill(unknownType, (byte) 0x5A);
      unknownType[0] = 99;
      offer(garbage, unknownType);
      Random random = new Random(42);
      for (int i = 0; i < 300; i++) {
        byte[] noise = new byte[1 + random.nextInt(300)];
        random.nextBytes(noise);
        offer(garbage, noise);
      }
    }

    app.await(
        "the worker's faults in the host's log",
        30,
        () ->
            app.log().contains("ERROR worker " + W0 + ": dropped a frame of 5 bytes")
                && app.log().contains("ERROR worker " + W0 + ": dropped a frame type 99"));
    assertThat(app.workerLog(W0))
        .contains("dropped a frame of 5 bytes (shorter than the 28-byte header)")
        .contains("unknown type");
    app.awaitReads(app.reads() + 1_000);
    assertThat(app.workerPids(REGISTERS).get(W0)).as("the same worker process").isEqualTo(pid);
    assertOk(app.disable(REGISTERS), "\"state\": \"disabled\"");

    LiveApp.Result end = app.stop();
    assertThat(end.exit()).as(end.log()).isZero();
    assertThat(end.log()).contains(" wrong=0 failed=0");
  }

  private static void offer(MessagePublisher publisher, byte[] bytes) {
    assertThat(publisher.offer(new UnsafeBuffer(bytes), 0, bytes.length)).isPositive();
  }

  @Test
  void aMessageCarryingAClassTheWireDoesNotKnowIsRefusedToItsCallerAlone() throws Exception {
    app = LiveApp.start(dir);
    app.awaitReads(1_000);
    assertOk(app.enable("Shelf#1", 2), "\"partitions\": 2");
    Files.createFile(dir.resolve("stranger")); // the application now puts a Stranger on the shelf
    Path outcome = dir.resolve("stranger.out");
    app.await("the application's stranger.out", 30, () -> Files.exists(outcome));
    assertThat(Files.readString(outcome))
        .startsWith("java.lang.IllegalStateException: compartment Shelf#1: a call of put cannot")
        .contains("cannot be routed")
        .contains("io.compartment.scenarios.strangers.Stranger")
        .contains("not registered");
    assertThat(app.compartment("Shelf#1").get("refusedCalls")).isEqualTo(1L);
    app.awaitReads(app.reads() + 1_000);
    assertOk(app.disable("Shelf#1"), "\"state\": \"disabled\"");

    LiveApp.Result end = app.stop();
    assertThat(end.exit()).as(end.log()).isZero();
    assertThat(end.log()).contains(" wrong=0 failed=0");
  }

  @Test
  void aWorkerThatCannotStartFailsTheEnableWithItsReasonAndTheHostServesOn() throws Exception {
    // workers inherit compartment.jvm.flags: this one makes every worker JVM refuse to start
    app = LiveApp.start(dir, "-Dcompartment.jvm.flags=-XX:+NoSuchFlag");
    app.awaitReads(1_000);
    for (int n : new int[] {2, 1}) {
      HttpResponse<String> r = app.enable(REGISTERS, n);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
      assertThat(r.body())
          .contains("enable Registers#1 failed: worker " + W0 + " died 5 times")
          .contains("Unrecognized VM option 'NoSuchFlag'")
          .contains("the compartment keeps running in the host");
      assertThat(app.status().get("live")).isEqualTo(false);
      app.awaitReads(app.reads() + 1_000);
    }
    assertThat(app.log()).contains("[compartment] ERROR worker " + W0 + " failed: ");

    LiveApp.Result end = app.stop();
    assertThat(end.exit()).as(end.log()).isZero();
    assertThat(end.log()).contains(" wrong=0 failed=0");
  }

  @Test
  void aWorkerLostToACorruptStateFileFailsItsCallsAtOnceAndNoReadComesBackWrong() throws Exception {
    // the supervisor gives the worker up at its 2nd death in 30 s (5 by default): a shorter test
    app = LiveApp.start(dir, "-Dcompartment.worker.restart.limit=2");
    app.awaitReads(1_000);
    assertOk(app.enable(REGISTERS, 2), "\"partitions\": 2");
    app.awaitReads(app.reads() + 1_000);

    Path cmap = app.liveDir().resolve(W0 + ".cmap");
    overwriteWithGarbage(cmap);
    long pid = app.workerPids(REGISTERS).get(W0);
    assertThat(ProcessHandle.of(pid).orElseThrow().destroyForcibly()).isTrue();
    app.await(
        "worker " + W0 + " FAILED",
        90,
        () -> "FAILED".equals(app.worker(REGISTERS, W0).get("state")));
    app.await(
        "the host's log of the failed worker",
        10,
        () -> app.log().contains("[compartment] ERROR worker " + W0 + " failed: "));

    assertThat(app.workerLog(W0))
        .contains("[compartment-worker] cannot start: ")
        .contains(cmap + ": corrupt or truncated map file");
    assertThat(app.log())
        .contains("[compartment] ERROR worker " + W0 + " failed: worker " + W0 + " died 2 times")
        .contains(cmap + ": corrupt or truncated map file");

    // calls of the lost partition fail at once, not after the reply timeout (30 s); the other
    // partition's calls still go to their worker
    long failed = app.failedCalls();
    app.await("calls of the lost partition failing", 10, () -> app.failedCalls() >= failed + 3);
    long routed = (Long) app.compartment(REGISTERS).get("routedCalls");
    app.await(
        "calls routed to " + W1,
        30,
        () -> (Long) app.compartment(REGISTERS).get("routedCalls") > routed + 1_000);

    // disable cannot bring the lost partition home: it says so at once, and stays enabled
    long start = System.nanoTime();
    HttpResponse<String> off = app.disable(REGISTERS);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(off.statusCode()).as(off.body()).isEqualTo(409);
    assertThat(off.body())
        .contains("cannot disable Registers#1: worker " + W0 + " failed")
        .contains("cannot be collected");
    assertThat(app.compartment(REGISTERS).get("state")).isEqualTo("enabled");

    // the host is not taken down: it ends on request, and no read returned a wrong value
    LiveApp.Result end = app.stop();
    assertThat(end.log()).contains(" wrong=0 failed=").doesNotContain("WRONG READ");
    assertThat(end.exit()).as("failed calls, no wrong read; output:%n%s", end.log()).isEqualTo(2);
  }

  @Test
  void aHostPausedLongerThanAeronsTimeoutsNeverAnswersAReadWrong() throws Exception {
    // a pause beyond the Aeron client's service interval (its driver's client liveness timeout,
    // 10 s by default, 3 s here) makes the application's Aeron client close itself on waking: its
    // streams to the workers are closed for good (a GC pause, SIGSTOP or a debugger does this)
    app =
        LiveApp.start(
            dir, "-Daeron.client.liveness.timeout=3s", "-Dcompartment.live.reply.timeout.ms=2000");
    app.awaitReads(1_000);
    assertOk(app.enable(REGISTERS, 1), "\"partitions\": 1");
    app.awaitReads(app.reads() + 1_000);
    signal("STOP", app.pid());
    Thread.sleep(5_000);
    signal("CONT", app.pid());
    app.await(
        "the application's Aeron client closing after the pause",
        30,
        () ->
            app.log().contains("ConductorServiceTimeoutException")
                || app.log().contains("ClientTimeoutException"));
    long reads = app.reads();
    app.await("reads after the pause", 30, () -> app.reads() > reads + 1);

    // calls of the compartment may fail now, but none runs in the host on its stale state
    LiveApp.Result end = app.stop();
    assertThat(end.log()).contains(" wrong=0 ").doesNotContain("WRONG READ");
    assertThat(end.exit()).as(end.log()).isIn(0, 2);
  }

  private static void signal(String name, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  /** Garbage over every byte of the file, length kept (the file stays mapped by its worker). */
  private static void overwriteWithGarbage(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      long size = ch.size();
      ByteBuffer junk = ByteBuffer.allocate(1 << 16);
      Arrays.fill(junk.array(), (byte) 0x5A);
      for (long at = 0; at < size; ) {
        junk.clear().limit((int) Math.min(junk.capacity(), size - at));
        at += ch.write(junk, at);
      }
    }
  }

  private static void assertOk(HttpResponse<String> r, String expected) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains(expected);
  }

  // ------------------------------------------------------------------ the application

  /** One run of LiveTarget under the agent, with its control endpoint. */
  static final class LiveApp {
    private static final String RESTORED = "restored its state as of call";
    private static final Pattern RESTARTED =
        Pattern.compile("worker (\\S+) restarted \\(pid \\d+, (\\d+) ms\\)");
    private static final Pattern PROGRESS =
        Pattern.compile("PROGRESS reads=(\\d+) wrong=(\\d+) failed=(\\d+) writes=(\\d+)");

    record Result(int exit, String log) {}

    private final Path dir;
    private final Process process;
    private final Path log;
    private String base;
    private String token;

    private LiveApp(Path dir, Process process, Path log) {
      this.dir = dir;
      this.process = process;
      this.log = log;
    }

    static LiveApp start(Path dir, String... jvmArgs) throws Exception {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(List.of(jvmArgs));
      cmd.add("-Dcompartment.live.dir=" + dir.resolve("live"));
      cmd.add("-javaagent:" + AgentRun.agentJar() + "=report=" + dir.resolve("report.json"));
      cmd.addAll(
          List.of("-cp", AgentRun.applicationClassPath(), "io.compartment.scenarios.LiveTarget"));
      cmd.add(dir.toString());
      Path log = dir.resolve("app.log");
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      LiveApp app = new LiveApp(dir, p, log);
      Path discovery =
          Path.of(
              System.getProperty("java.io.tmpdir"),
              "compartment-" + System.getProperty("user.name").replaceAll("[^A-Za-z0-9_.-]", "_"),
              p.pid() + ".json");
      app.await("the discovery file " + discovery, 30, () -> Files.exists(discovery));
      @SuppressWarnings("unchecked")
      Map<String, Object> d = (Map<String, Object>) Json.parse(Files.readString(discovery), "d");
      app.base = "http://" + d.get("host") + ":" + d.get("port");
      app.token = (String) d.get("token");
      return app;
    }

    long pid() {
      return process.pid();
    }

    Path liveDir() {
      return dir.resolve("live");
    }

    String log() {
      try {
        return Files.readString(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    String workerLog(String workerId) throws IOException {
      return Files.readString(liveDir().resolve(workerId + ".log"), StandardCharsets.UTF_8);
    }

    /** How often the worker has restored its state from its Chronicle Map file so far. */
    int restores(String workerId) {
      try {
        Path file = liveDir().resolve(workerId + ".log");
        if (!Files.exists(file)) return 0;
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int n = 0;
        for (int at = text.indexOf(RESTORED); at >= 0; at = text.indexOf(RESTORED, at + 1)) n++;
        return n;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The application's latest progress line: {reads, wrong, failed, writes}. */
    private long[] progress() {
      Matcher m = PROGRESS.matcher(log());
      long[] last = {0, 0, 0, 0};
      while (m.find()) {
        for (int i = 0; i < 4; i++) last[i] = Long.parseLong(m.group(i + 1));
      }
      return last;
    }

    long writes() {
      return progress()[3];
    }

    /** How many frames the host has sent again to a worker after its hellos, in all. */
    long resent(String workerId) {
      Matcher m =
          Pattern.compile(
                  "worker "
                      + Pattern.quote(workerId)
                      + " is back \\(applied up to \\d+\\); resent (\\d+)")
              .matcher(log());
      long n = 0;
      while (m.find()) n += Long.parseLong(m.group(1));
      return n;
    }

    long reads() {
      return progress()[0];
    }

    /** Calls (reads and writes) that threw. */
    long failedCalls() {
      return progress()[2];
    }

    /**
     * Prints how long after a worker kill the application needed to make 200 more reads (reads of a
     * killed partition wait for its new worker) and how long the restart took. A figure for the
     * report, not a check: the machine's load decides it as much as the code does.
     */
    void printStall(String transport, List<String> victims, long readsAtKill, long killedNanos)
        throws InterruptedException {
      awaitReads(readsAtKill + 200);
      long resumedMs = (System.nanoTime() - killedNanos) / 1_000_000;
      String restarts = "";
      Matcher m = RESTARTED.matcher(log());
      while (m.find()) restarts = m.group(1) + " " + m.group(2) + " ms";
      System.out.printf(
          "LIVE %s: SIGKILL of %s -> 200 more reads after %d ms (last restart: %s)%n",
          transport, victims, resumedMs, restarts);
    }

    /** Waits until the application has made {@code n} reads, each checked. */
    void awaitReads(long n) throws InterruptedException {
      await("the application's read number " + n, 60, () -> reads() >= n);
    }

    void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (!condition.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "no " + what + " within " + seconds + " s; application output:\n" + tail());
        }
        if (!process.isAlive()) {
          throw new AssertionError(
              "the application exited ("
                  + process.exitValue()
                  + ") while waiting for "
                  + what
                  + "; output:\n"
                  + tail());
        }
        Thread.sleep(50);
      }
    }

    private String tail() {
      String all = log();
      return all.length() <= 8_000 ? all : "..." + all.substring(all.length() - 8_000);
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
      HttpRequest r =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(Duration.ofSeconds(120))
              .header("Authorization", "Bearer " + token)
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body))
              .build();
      return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> enable(String compartment, int partitions) throws Exception {
      return send("POST", path(compartment) + "/enable", "{\"partitions\": " + partitions + "}");
    }

    HttpResponse<String> disable(String compartment) throws Exception {
      return send("POST", path(compartment) + "/disable", null);
    }

    private static String path(String compartment) {
      return "/api/compartments/" + URLEncoder.encode(compartment, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> status() {
      try {
        HttpResponse<String> r = send("GET", "/api/status", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return (Map<String, Object>) Json.parse(r.body(), "status");
      } catch (Exception e) {
        throw new IllegalStateException("GET /api/status: " + e, e);
      }
    }

    /** The enabled compartment's status, or an empty map when it is not enabled. */
    @SuppressWarnings("unchecked")
    Map<String, Object> compartment(String id) {
      for (Object c : (List<Object>) status().get("compartments")) {
        Map<String, Object> m = (Map<String, Object>) c;
        if (id.equals(m.get("compartment"))) return m;
      }
      return Map.of();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> worker(String compartment, String workerId) {
      for (Object w : (List<Object>) compartment(compartment).getOrDefault("workers", List.of())) {
        Map<String, Object> m = (Map<String, Object>) w;
        if (workerId.equals(m.get("id"))) return m;
      }
      return Map.of();
    }

    /** Worker id to pid, as the status endpoint lists them. */
    @SuppressWarnings("unchecked")
    Map<String, Long> workerPids(String compartment) {
      Map<String, Long> out = new LinkedHashMap<>();
      for (Object w : (List<Object>) compartment(compartment).getOrDefault("workers", List.of())) {
        Map<String, Object> m = (Map<String, Object>) w;
        out.put((String) m.get("id"), (Long) m.get("pid"));
      }
      return out;
    }

    /** Asks the application to stop and waits for it. */
    Result stop() throws Exception {
      Files.createFile(dir.resolve("stop"));
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        destroy();
        throw new AssertionError("the application did not stop in 90 s; output:\n" + tail());
      }
      return new Result(process.exitValue(), log());
    }

    /** Kills the application if it still runs; its workers follow it within a second. */
    void destroy() throws InterruptedException {
      if (process.isAlive()) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
