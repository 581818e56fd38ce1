package io.compartment.demo.bench;

import io.compartment.demo.LatencyHistogram;
import io.compartment.transport.aeron.EmbeddedTransport;
import io.compartment.transport.aeron.MessageChannel;
import io.compartment.transport.aeron.MessagePublisher;
import io.compartment.transport.aeron.MessageSubscriber;
import io.compartment.transport.aeron.PingPong;
import io.compartment.transport.aeron.TransportContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The bench target JVM of the live benchmarks: runs under the real agent jar, loads a {@link
 * RegisterStore} with {@code --entries} registers through its handlers (so the agent traces them),
 * waits until the agent's report offers the store's PARTITION compartment, then, with load running,
 * toggles it, kills its workers or times routed calls, through the agent's MBean {@code
 * io.compartment:type=Agent} in this JVM. Prints one line per measurement ({@code TOGGLE}, {@code
 * RESTART}, {@code RTT}, each {@code key=value} pairs) for {@link BenchMain}'s benchmarks to read;
 * {@code PROGRESS} lines say what it is doing.
 *
 * <pre>
 * LiveBenchTarget toggle|restart|rtt [--entries N] [--partitions P] [--reps R] [--rate CALLS_PER_S]
 *     [--threads T] [--calls N] [--warmup N] [--length BYTES]
 * </pre>
 */
public final class LiveBenchTarget {
  private static final String AGENT = "io.compartment:type=Agent";
  private static final String SERVICE = RegisterStore.class.getName();
  private static final long HOST = ProcessHandle.current().pid();

  private final RegisterStore store = new RegisterStore();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
  private final Map<String, String> options;
  private final int entries;
  private String compartment;
  private boolean confirmed;

  private LiveBenchTarget(Map<String, String> options) {
    this.options = options;
    this.entries = intOption("entries", 100_000);
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: LiveBenchTarget toggle|restart|rtt [--option value]...");
      System.exit(2);
    }
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) throw new IllegalArgumentException("bad option " + args[i]);
      options.put(args[i].substring(2), args[i + 1]);
    }
    LiveBenchTarget t = new LiveBenchTarget(options);
    t.prepare();
    switch (args[0]) {
      case "toggle" -> t.toggle();
      case "restart" -> t.restart();
      case "rtt" -> t.rtt();
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
    System.out.flush();
    // the agent stops the workers at exit
    System.exit(0);
  }

  // ------------------------------------------------------------------ setup

  /** Fills the store through its handlers and waits for the agent to offer its compartment. */
  private void prepare() throws Exception {
    ObjectName agent = new ObjectName(AGENT);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!server().isRegistered(agent)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "no Compartment agent in this JVM (run it with -javaagent)");
      }
      Thread.sleep(20);
    }
    long t0 = System.nanoTime();
    for (long k = 0; k < entries; k++) store.write(k, k);
    for (long k = 0; k < Math.min(entries, 20_000); k++) store.read(k);
    progress("loaded %d registers in %.0f ms", entries, (System.nanoTime() - t0) / 1e6);
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String last = "";
    while (System.nanoTime() < deadline) {
      last = (String) server().getAttribute(agent, "Report");
      for (Object s : MiniJson.array(MiniJson.object(MiniJson.parse(last)).get("services"))) {
        Map<String, Object> service = MiniJson.object(s);
        if (!SERVICE.equals(service.get("service"))) continue;
        for (Object c : MiniJson.array(service.get("compartments"))) {
          Map<String, Object> comp = MiniJson.object(c);
          List<Object> handlers = MiniJson.array(comp.get("handlers"));
          if (handlers.contains("write") && handlers.contains("read")) {
            if ("PARTITION".equals(comp.get("plan"))) {
              compartment = (String) comp.get("id");
              confirmed = Boolean.TRUE.equals(comp.get("confirmed"));
              System.out.printf(
                  Locale.ROOT,
                  "TARGET compartment=%s plan=PARTITION routes=%s confirmed=%s host_pid=%d%n",
                  compartment,
                  String.valueOf(comp.get("routes")).replace(' ', '_'),
                  confirmed,
                  HOST);
              return;
            }
          }
        }
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "the agent's report did not offer a PARTITION compartment of " + SERVICE + ": " + last);
  }

  // ------------------------------------------------------------------ toggle-pause-ms-100k

  private void toggle() throws Exception {
    int reps = intOption("reps", 5);
    int partitions = intOption("partitions", 2);
    Load load = new Load(intOption("threads", 1), intOption("rate", 10_000));
    load.start();
    Thread.sleep(1000);
    for (int rep = 1; rep <= reps; rep++) {
      load.window();
      long c0 = load.completed.get();
      long cpu0 = threads.getCurrentThreadCpuTime();
      long up0 = runtime.getUptime();
      long t0 = System.nanoTime();
      Map<String, Object> on = enable(partitions);
      long t1 = System.nanoTime();
      long up1 = runtime.getUptime();
      long cpu1 = threads.getCurrentThreadCpuTime();
      long c1 = load.completed.get();
      LatencyHistogram during = load.window();
      long routedAt = load.awaitServedByOtherThan(Set.of(HOST), t1, 30_000);
      Thread.sleep(500);
      long t2 = System.nanoTime();
      Map<String, Object> off = disable();
      long t3 = System.nanoTime();
      double seconds = (t1 - t0) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "TOGGLE rep=%d entries=%d partitions=%d pause_ms=%.3f enable_ms=%.1f"
              + " disable_pause_ms=%.3f disable_ms=%.1f state_entries=%d routed_calls=%d"
              + " first_routed_answer_ms=%.1f load_calls=%d load_ops_per_s=%.0f load_p50_us=%.2f"
              + " load_p99_us=%.2f load_max_us=%.1f enable_cpu_ms=%.1f enable_uptime_ms=%d-%d%n",
          rep,
          entries,
          partitions,
          number(on, "pauseMs"),
          (t1 - t0) / 1e6,
          number(off, "pauseMs"),
          (t3 - t2) / 1e6,
          (long) number(on, "stateEntries"),
          (long) number(off, "routedCalls"),
          routedAt < 0 ? -1 : (routedAt - t1) / 1e6,
          c1 - c0,
          (c1 - c0) / seconds,
          during.percentileNanos(50) / 1e3,
          during.percentileNanos(99) / 1e3,
          during.maxNanos() / 1e3,
          (cpu1 - cpu0) / 1e6,
          up0,
          up1);
      System.out.flush();
      Thread.sleep(300);
    }
    load.stop();
  }

  // ------------------------------------------------------------------ worker-restart-ms

  private void restart() throws Exception {
    int rounds = intOption("reps", 2);
    int partitions = intOption("partitions", 2);
    Load load = new Load(intOption("threads", 2), intOption("rate", 10_000));
    load.start();
    Thread.sleep(500);
    int rep = 0;
    for (int round = 1; round <= rounds; round++) {
      enable(partitions);
      load.awaitServedByOtherThan(Set.of(HOST), System.nanoTime(), 30_000);
      Thread.sleep(500);
      for (int w = 0; w < Math.min(2, partitions); w++) {
        rep++;
        Map<String, Object> victim = awaitAllReady(w);
        long oldPid = (long) number(victim, "pid");
        int restarts0 = (int) number(victim, "restarts");
        Set<Long> known = new HashSet<>(workerPids());
        known.add(HOST);
        load.window();
        long c0 = load.completed.get();
        long killWall = System.currentTimeMillis();
        long kill = System.nanoTime();
        if (!ProcessHandle.of(oldPid).map(ProcessHandle::destroyForcibly).orElse(false)) {
          throw new IllegalStateException("cannot kill worker pid " + oldPid);
        }
        long ready = -1;
        long newPid = -1;
        long deadline = kill + TimeUnit.SECONDS.toNanos(60);
        long nextStatus = 0;
        long first = -1;
        while (System.nanoTime() < deadline && (first < 0 || ready < 0)) {
          long now = System.nanoTime();
          if (first < 0) first = load.firstServedByOtherThan(known, kill);
          if (ready < 0 && now >= nextStatus) {
            nextStatus = now + TimeUnit.MILLISECONDS.toNanos(10);
            Map<String, Object> s = worker(w);
            if (s != null
                && "READY".equals(s.get("state"))
                && (int) number(s, "restarts") == restarts0 + 1) {
              ready = System.nanoTime();
              newPid = (long) number(s, "pid");
            }
          }
          Thread.sleep(1);
        }
        if (first < 0 || ready < 0) {
          throw new IllegalStateException(
              "worker "
                  + w
                  + " (pid "
                  + oldPid
                  + ") was not back within 60 s: "
                  + server().getAttribute(new ObjectName(AGENT), "Status"));
        }
        long c1 = load.completed.get();
        LatencyHistogram outage = load.window();

        System.out.printf(
            Locale.ROOT,
            "RESTART rep=%d worker=%d old_pid=%d new_pid=%d first_answer_ms=%.1f ready_ms=%.1f"
                + " load_calls=%d load_ops_per_s=%.0f load_p50_us=%.2f load_p99_us=%.2f"
                + " load_max_us=%.1f load_threads=%d kill_epoch_ms=%d%n",
            rep,
            w,
            oldPid,
            newPid,
            (first - kill) / 1e6,
            (ready - kill) / 1e6,
            c1 - c0,
            (c1 - c0) / ((Math.max(first, ready) - kill) / 1e9),
            outage.percentileNanos(50) / 1e3,
            outage.percentileNanos(99) / 1e3,
            outage.maxNanos() / 1e3,
            load.threads.length,
            killWall);
        System.out.flush();
        Thread.sleep(300);
      }
      disable();
    }
    load.stop();
  }

  private Map<String, Object> awaitAllReady(int w) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Map<String, Object> c = compartmentStatus();
      boolean all = c != null;
      if (c != null) {
        for (Object o : MiniJson.array(c.get("workers"))) {
          all &= "READY".equals(MiniJson.object(o).get("state"));
        }
      }
      if (all) return MiniJson.object(MiniJson.array(c.get("workers")).get(w));
      Thread.sleep(10);
    }
    throw new IllegalStateException("the workers were not all READY within 60 s");
  }

  private List<Long> workerPids() throws Exception {
    List<Long> pids = new ArrayList<>();
    for (Object o : MiniJson.array(compartmentStatus().get("workers"))) {
      pids.add((long) number(MiniJson.object(o), "pid"));
    }
    return pids;
  }

  private Map<String, Object> worker(int w) throws Exception {
    Map<String, Object> c = compartmentStatus();
    if (c == null) return null;
    List<Object> workers = MiniJson.array(c.get("workers"));
    return w < workers.size() ? MiniJson.object(workers.get(w)) : null;
  }

  private Map<String, Object> compartmentStatus() throws Exception {
    String status = (String) server().getAttribute(new ObjectName(AGENT), "Status");
    for (Object c : MiniJson.array(MiniJson.object(MiniJson.parse(status)).get("compartments"))) {
      Map<String, Object> m = MiniJson.object(c);
      if (compartment.equals(m.get("compartment"))) return m;
    }
    return null;
  }

  // ------------------------------------------------------------------ routed-rtt-vs-aeron-rtt

  private void rtt() throws Exception {
    int blocks = intOption("reps", 3);
    int calls = intOption("calls", 50_000);
    int warmup = intOption("warmup", 20_000);
    int length = intOption("length", LiveBenchmarks.PING_LENGTH);
    Map<String, Object> on = enable(intOption("partitions", 1));
    // the agent's live.idle (its enable answer says which): the ping-pong idles the same way
    String liveIdle = String.valueOf(on.getOrDefault("idle", "backoff"));
    String matched = pingPongIdle(liveIdle);
    progress(
        "enabled with %s worker(s), live.idle=%s (ping-pong idle %s); timing routed calls",
        on.get("partitions"), liveIdle, matched);
    System.out.printf(Locale.ROOT, "RTT_IDLE live_idle=%s aeron_idle=%s%n", liveIdle, matched);
    SplittableRandom random = new SplittableRandom(42);
    long served = store.write(1, 1).servedBy();
    if (served == HOST) throw new IllegalStateException("the write ran in the host");
    for (int block = 1; block <= blocks; block++) {
      long[] rtt = new long[calls];
      long sink = 0;
      long start = 0;
      long cpuStart = 0;
      for (int i = -warmup; i < calls; i++) {
        if (i == 0) {
          cpuStart = processCpuNs();
          start = System.nanoTime();
        }
        long key = random.nextLong(entries);
        long t0 = System.nanoTime();
        sink += store.read(key);
        long t1 = System.nanoTime();
        if (i >= 0) rtt[i] = t1 - t0;
      }
      long elapsed = System.nanoTime() - start;
      long cpu = processCpuNs() - cpuStart;
      Arrays.sort(rtt);
      System.out.printf(
          Locale.ROOT,
          "RTT kind=routed block=%d calls=%d ops_per_s=%.0f p50_us=%.2f p99_us=%.2f max_us=%.1f"
              + " host_cpu_us_per_call=%.2f sink=%d%n",
          block,
          calls,
          calls / (elapsed / 1e9),
          rtt[calls / 2] / 1e3,
          rtt[(int) Math.min(calls - 1, (long) calls * 99 / 100)] / 1e3,
          rtt[calls - 1] / 1e3,
          cpu / 1e3 / calls,
          sink & 1);
      String handoff = handoffPingPong(calls, warmup, length, matched);
      System.out.printf(
          Locale.ROOT,
          "RTT kind=aeron-handoff block=%d calls=%d length=%d %s%n",
          block,
          calls,
          length,
          handoff);
      for (String idle : new java.util.LinkedHashSet<>(List.of("backoff", "busy", matched))) {
        String line = pingPong(calls, warmup, length, idle);
        System.out.printf(
            Locale.ROOT,
            "RTT kind=aeron-%s block=%d calls=%d length=%d %s%n",
            idle,
            block,
            calls,
            length,
            line.substring(line.indexOf("ops_per_s=")));
      }
      System.out.flush();
    }
    disable();
  }

  /**
   * CPU time of this whole JVM so far, in ns: the calling thread, the agent's reply poller and the
   * media driver's threads (the worker is another process).
   */
  private static long processCpuNs() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The transport's idle strategy of the same kind as the agent's {@code live.idle}. */
  static String pingPongIdle(String liveIdle) {
    return switch (liveIdle) {
      case "spin" -> "busy";
      case "yield" -> "yielding";
      default -> "backoff";
    };
  }

  /** One raw Aeron IPC ping-pong (the transport's own benchmark) in this JVM; its RESULT line. */
  private static String pingPong(int messages, int warmup, int length, String idle)
      throws Exception {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      PingPong.main(
          new String[] {
            "--messages", Integer.toString(messages),
            "--warmup", Integer.toString(warmup),
            "--length", Integer.toString(length),
            "--idle", idle
          });
    } finally {
      System.setOut(out);
    }
    for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("RESULT name=aeron-ipc-rtt")) return line.trim();
    }
    throw new IllegalStateException("the ping-pong printed no result: " + captured);
  }

  /**
   * The raw ping-pong again, with the thread structure of a routed call: the calling thread offers
   * and waits on a future; a poller thread, run by the transport with the idle strategy {@code
   * idle} (as the agent's reply poller runs with live.idle), takes the echo and completes the
   * future; the echoing side idles the same way, and the caller spins or yields on the future
   * before it parks unless the strategy is backoff, as a routed caller does. No codec, no handler,
   * no state file: what is left of the routed call's round trip is what those cost.
   */
  private static String handoffPingPong(int messages, int warmup, int length, String idle)
      throws Exception {
    TransportContext context =
        new TransportContext().idleStrategy(TransportContext.idleStrategyFor(idle));
    try (EmbeddedTransport transport = EmbeddedTransport.launch(context)) {
      AtomicReference<CompletableFuture<Long>> waiting = new AtomicReference<>();
      MessageSubscriber pongs =
          transport.subscriber(
              MessageChannel.ipc(PingPong.PONG_STREAM),
              (buffer, offset, len, header) -> {
                CompletableFuture<Long> f = waiting.get();
                if (f != null) f.complete(buffer.getLong(offset));
              });
      MessagePublisher pings = transport.publisher(MessageChannel.ipc(PingPong.PING_STREAM));
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "--add-exports",
                  "java.base/jdk.internal.misc=ALL-UNNAMED",
                  "-XX:+UseSerialGC",
                  "-Xmx256m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  PingPong.class.getName(),
                  "--pong",
                  transport.aeronDirectoryName(),
                  idle)
              .inheritIO()
              .start();
      try {
        long connect = TimeUnit.SECONDS.toNanos(60);
        pings.awaitConnected(connect);
        pongs.awaitConnected(connect);
        transport.start(pongs);
        UnsafeBuffer message = new UnsafeBuffer(new byte[length]);
        long[] rtt = new long[messages];
        long start = 0;
        for (int i = -warmup; i < messages; i++) {
          if (i == 0) start = System.nanoTime();
          CompletableFuture<Long> answer = new CompletableFuture<>();
          waiting.set(answer);
          message.putLong(0, i);
          long t0 = System.nanoTime();
          pings.offer(message, 0, length);
          if (!idle.equals("backoff")) {
            long until = System.nanoTime() + 2_000_000L;
            while (!answer.isDone() && System.nanoTime() < until) {
              if (idle.equals("busy")) Thread.onSpinWait();
              else Thread.yield();
            }
          }
          long echoed = answer.get(30, TimeUnit.SECONDS);
          long t1 = System.nanoTime();
          if (echoed != i) throw new IllegalStateException("echo " + echoed + " for " + i);
          if (i >= 0) rtt[i] = t1 - t0;
        }
        long elapsed = System.nanoTime() - start;
        pings.offer(message, 0, 1);
        if (!child.waitFor(30, TimeUnit.SECONDS)) child.destroyForcibly();
        Arrays.sort(rtt);
        return String.format(
            Locale.ROOT,
            "ops_per_s=%.0f p50_us=%.2f p99_us=%.2f",
            messages / (elapsed / 1e9),
            rtt[messages / 2] / 1e3,
            rtt[(int) Math.min(messages - 1, (long) messages * 99 / 100)] / 1e3);
      } finally {
        if (child.isAlive()) child.destroyForcibly();
      }
    }
  }

  // ------------------------------------------------------------------ the agent

  private Map<String, Object> enable(int count) throws Exception {
    progress("enabling %s with %d partitions", compartment, count);
    String answer;
    if (confirmed) {
      answer =
          (String)
              invoke(
                  "enable",
                  new Object[] {compartment, count},
                  new String[] {"java.lang.String", "int"});
    } else {
      // a plan that needs confirmation: enableInferred confirms it (this service has one)
      String lines = (String) invoke("enableInferred", new Object[] {count}, new String[] {"int"});
      answer = null;
      for (String line : lines.split("\n")) {
        if (line.startsWith(compartment + " ")) answer = line.substring(line.indexOf(": ") + 2);
      }
      if (answer == null) throw new IllegalStateException("enable answered: " + lines);
    }
    Map<String, Object> m = MiniJson.object(MiniJson.parse(answer));
    if (m.containsKey("error") || !"enabled".equals(m.get("state"))) {
      throw new IllegalStateException("enable failed: " + answer);
    }
    return m;
  }

  private Map<String, Object> disable() throws Exception {
    String answer =
        (String) invoke("disable", new Object[] {compartment}, new String[] {"java.lang.String"});
    return MiniJson.object(MiniJson.parse(answer));
  }

  private static Object invoke(String op, Object[] args, String[] types) throws Exception {
    try {
      return server().invoke(new ObjectName(AGENT), op, args, types);
    } catch (javax.management.MBeanException | javax.management.RuntimeMBeanException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException(op + " refused: " + cause.getMessage(), cause);
    }
  }

  private static double number(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof Double d)) throw new IllegalStateException("no number " + key + " in " + m);
    return d;
  }

  private static MBeanServer server() {
    return ManagementFactory.getPlatformMBeanServer();
  }

  private int intOption(String name, int otherwise) {
    String v = options.get(name);
    return v == null ? otherwise : Integer.parseInt(v);
  }

  private static void progress(String format, Object... args) {
    System.out.printf(Locale.ROOT, "PROGRESS " + format + "%n", args);
    System.out.flush();
  }

  // ------------------------------------------------------------------ load

  /**
   * Closed-loop callers of the store, each paced to at most its share of {@code rate} calls per
   * second (a busy service, not a saturated one: the toggle and the workers need CPU too), writes
   * and reads alternating on random registers. Records every call's latency in the current window
   * and the first time each process was seen answering a write.
   */
  private final class Load {
    final Thread[] threads;
    final long periodNanos;
    final AtomicLong completed = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final Map<Long, Long> firstAnswer = new ConcurrentHashMap<>();
    volatile LatencyHistogram window = new LatencyHistogram();

    /** The window of the call each thread is in, null between calls. */
    final AtomicReferenceArray<LatencyHistogram> inCall;

    volatile boolean stop;

    Load(int threads, int rate) {
      this.threads = new Thread[threads];
      this.inCall = new AtomicReferenceArray<>(threads);
      this.periodNanos = 1_000_000_000L * threads / Math.max(1, rate);
      for (int i = 0; i < threads; i++) {
        int index = i;
        this.threads[i] = new Thread(() -> loop(index), "bench-load-" + i);
        this.threads[i].setDaemon(true);
      }
    }

    void start() {
      for (Thread t : threads) t.start();
    }

    void stop() throws InterruptedException {
      stop = true;
      for (Thread t : threads) t.join(TimeUnit.SECONDS.toMillis(40));
    }

    /**
     * Starts a new latency window and returns the one that ends, once every call that started in it
     * has been recorded (a call counts in the window it started in), or after 2 s.
     */
    LatencyHistogram window() throws InterruptedException {
      LatencyHistogram ended = window;
      window = new LatencyHistogram();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      for (int i = 0; i < threads.length; i++) {
        while (inCall.get(i) == ended && !stop && System.nanoTime() < deadline) Thread.sleep(1);
      }
      return ended;
    }

    private void loop(int index) {
      SplittableRandom random = new SplittableRandom(17 + index);
      long next = System.nanoTime();
      boolean write = true;
      while (!stop) {
        long key = random.nextLong(entries);
        LatencyHistogram w = window;
        inCall.set(index, w);
        long t0 = System.nanoTime();
        long servedBy = -1;
        try {
          if (write) {
            servedBy = store.write(key, t0).servedBy();
          } else {
            store.read(key);
          }
        } catch (RuntimeException e) {
          inCall.set(index, null);
          failed.incrementAndGet();
          continue;
        }
        long t1 = System.nanoTime();
        w.record(t1 - t0);
        inCall.set(index, null);
        completed.incrementAndGet();
        if (servedBy > 0 && !firstAnswer.containsKey(servedBy)) firstAnswer.put(servedBy, t1);
        write = !write;
        next += periodNanos;
        long ahead = next - t1;
        if (ahead > 0) {
          LockSupport.parkNanos(ahead);
        } else if (ahead < -10_000_000L) {
          next = t1; // fell behind (a pause, a dead worker): no burst to catch up
        }
      }
    }

    /** When a write was first answered after {@code since} by a process not in {@code known}. */
    long firstServedByOtherThan(Set<Long> known, long since) {
      long first = -1;
      for (Map.Entry<Long, Long> e : firstAnswer.entrySet()) {
        if (!known.contains(e.getKey()) && e.getValue() - since >= 0) {
          if (first < 0 || e.getValue() < first) first = e.getValue();
        }
      }
      return first;
    }

    long awaitServedByOtherThan(Set<Long> known, long since, long timeoutMs)
        throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
      while (System.nanoTime() < deadline) {
        long t = firstServedByOtherThan(known, since);
        if (t >= 0) return t;
        Thread.sleep(1);
      }
      return -1;
    }
  }
}
