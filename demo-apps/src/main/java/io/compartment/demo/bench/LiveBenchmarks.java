package io.compartment.demo.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live-routing benchmarks of DESIGN section 7: each runs {@link LiveBenchTarget} in a child JVM
 * under the real agent jar (the service and its workers, as a user runs them), reads the lines it
 * prints, and prints one JSON object per measurement, then the {@code RESULT} and {@code RATIO}
 * lines.
 *
 * <ul>
 *   <li>{@code toggle-pause-ms-100k}: enable the store's PARTITION compartment (100,000 registers)
 *       with 2 partitions under load, read the pause, disable; repeated, median pause in ms;
 *   <li>{@code worker-restart-ms}: with the compartment enabled and load running, SIGKILL one
 *       worker; ms from the kill to the first call answered by the restarted worker's process;
 *   <li>{@code routed-rtt-vs-aeron-rtt}: round trip of a routed handler call with a return value
 *       (one outstanding, timed around the call in the service's JVM) over a raw Aeron IPC
 *       ping-pong between two JVMs (the transport's PingPong as it runs by default, busy spinning),
 *       alternating in blocks in the same JVM; ratio of the medians of the blocks' p50. The
 *       ping-pong also runs with the backoff idle strategy, and with a routed call's thread
 *       handoff, to show where the difference goes.
 * </ul>
 */
final class LiveBenchmarks {
  static final String TOGGLE = "toggle-pause-ms-100k";
  static final String RESTART = "worker-restart-ms";
  static final String RTT = "routed-rtt-vs-aeron-rtt";

  /** The agent's debug line of an enable's pause: {@code name=value} pairs (ms, or a count). */
  private static final Pattern BREAKDOWN =
      Pattern.compile("\\[compartment\\] debug \\S+ pause: (.*)$");

  private static final Pattern PART = Pattern.compile("(\\w+)=([0-9.]+)");
  private static final Pattern RESTARTED =
      Pattern.compile("\\[compartment\\] worker (\\S+) restarted \\(pid (\\d+), (\\d+) ms\\)");

  /**
   * Bytes of each ping-pong message: a routed read's call frame is 43 bytes (28-byte header, 15
   * bytes of arguments) and its reply 55 (27 bytes of result, emits and outbox).
   */
  static final int PING_LENGTH = 48;

  /** Registers loaded into the store before the toggle (the "100k"). */
  static final int TOGGLE_ENTRIES = 100_000;

  private final Path demoJar;
  private final Path agentJar;
  private final boolean quick;
  private final int reps;

  /**
   * @param reps repetitions (toggles, kill rounds, timing blocks) or 0 for each benchmark's default
   */
  LiveBenchmarks(Path demoJar, Path agentJar, boolean quick, int reps) {
    this.demoJar = demoJar;
    this.agentJar = agentJar;
    this.quick = quick;
    this.reps = reps;
  }

  private int reps(int quickReps, int fullReps) {
    return reps > 0 ? reps : quick ? quickReps : fullReps;
  }

  // ------------------------------------------------------------------ toggle-pause-ms-100k

  /** A pause breakdown as a JSON object, the agent's names without their {@code _ms}. */
  private static String json(Map<String, Double> parts) {
    StringBuilder b = new StringBuilder("{");
    for (Map.Entry<String, Double> e : parts.entrySet()) {
      if (b.length() > 1) b.append(',');
      String name =
          e.getKey().endsWith("_ms")
              ? e.getKey().substring(0, e.getKey().length() - 3)
              : e.getKey();
      b.append('"')
          .append(name)
          .append("\":")
          .append(String.format(Locale.ROOT, "%.2f", e.getValue()));
    }
    return b.append('}').toString();
  }

  void togglePause() throws Exception {
    int n = reps(3, 9);
    int rate = 10_000;
    ChildJvm.Output out =
        target(
            TOGGLE,
            "toggle",
            List.of(
                "--entries", Integer.toString(TOGGLE_ENTRIES),
                "--partitions", "2",
                "--reps", Integer.toString(n),
                "--threads", "1",
                "--rate", Integer.toString(rate)),
            // -Dcompartment.live.precopy=false on the bench measures the pause without a pre-copy
            forwarded(List.of()),
            120L + 60L * n);
    List<Map<String, Double>> breakdowns = new ArrayList<>();
    List<Map<String, String>> toggles = new ArrayList<>();
    for (String line : out.lines()) {
      Matcher m = BREAKDOWN.matcher(line);
      if (m.find()) {
        Map<String, Double> parts = new LinkedHashMap<>();
        Matcher p = PART.matcher(m.group(1));
        while (p.find()) {
          if (!p.group(1).equals("pause_ms")) {
            parts.put(p.group(1), Double.parseDouble(p.group(2)));
          }
        }
        breakdowns.add(parts);
      }
      if (line.startsWith("TOGGLE ")) toggles.add(fields(line));
    }
    require(toggles.size() == n, TOGGLE, "expected " + n + " TOGGLE lines", out);
    List<Double> pauses = new ArrayList<>();
    List<Double> enables = new ArrayList<>();
    List<Double> disablePauses = new ArrayList<>();
    for (int i = 0; i < toggles.size(); i++) {
      Map<String, String> t = toggles.get(i);
      Map<String, Double> b = i < breakdowns.size() ? breakdowns.get(i) : null;
      pauses.add(num(t, "pause_ms"));
      enables.add(num(t, "enable_ms"));
      disablePauses.add(num(t, "disable_pause_ms"));
      System.out.printf(
          Locale.ROOT,
          "{\"benchmark\":\"%s\",\"rep\":%d,\"entries\":%s,\"partitions\":%s,"
              + "\"pause_ms\":%s,\"pause_breakdown_ms\":%s,\"enable_ms\":%s,"
              + "\"enable_thread_cpu_ms\":%s,"
              + "\"first_routed_answer_ms\":%s,\"disable_pause_ms\":%s,\"disable_ms\":%s,"
              + "\"state_entries_shipped\":%s,\"routed_calls\":%s,"
              + "\"load_during_enable\":{\"threads\":1,\"max_calls_per_s\":%d,\"calls\":%s,"
              + "\"ops_per_s\":%s,\"p50_us\":%s,\"p99_us\":%s,\"max_us\":%s}}%n",
          TOGGLE,
          i + 1,
          t.get("entries"),
          t.get("partitions"),
          t.get("pause_ms"),
          b == null ? "null" : json(b),
          t.get("enable_ms"),
          t.get("enable_cpu_ms"),
          t.get("first_routed_answer_ms"),
          t.get("disable_pause_ms"),
          t.get("disable_ms"),
          t.get("state_entries"),
          t.get("routed_calls"),
          rate,
          t.get("load_calls"),
          t.get("load_ops_per_s"),
          t.get("load_p50_us"),
          t.get("load_p99_us"),
          t.get("load_max_us"));
    }
    Map<String, Double> medianBreakdown = new LinkedHashMap<>();
    for (Map<String, Double> b : breakdowns) {
      for (String k : b.keySet()) medianBreakdown.putIfAbsent(k, 0.0);
    }
    for (String k : medianBreakdown.keySet()) {
      List<Double> part = new ArrayList<>();
      for (Map<String, Double> b : breakdowns) if (b.containsKey(k)) part.add(b.get(k));
      medianBreakdown.put(k, Stats.median(part));
    }
    System.out.printf(
        Locale.ROOT,
        "{\"benchmark\":\"%s\",\"reps\":%d,\"median_pause_ms\":%.2f,\"min_pause_ms\":%.2f,"
            + "\"max_pause_ms\":%.2f,\"median_pause_breakdown_ms\":%s,"
            + "\"median_enable_ms\":%.1f,\"median_disable_pause_ms\":%.2f}%n",
        TOGGLE,
        toggles.size(),
        Stats.median(pauses),
        Stats.percentile(pauses, 0),
        Stats.percentile(pauses, 100),
        json(medianBreakdown),
        Stats.median(enables),
        Stats.median(disablePauses));
    for (int i = 0; i < toggles.size(); i++) {
      Map<String, String> t = toggles.get(i);
      // the load's figures while the enable ran (worker start and pause): calls that started then
      System.out.printf(
          Locale.ROOT,
          "RESULT name=toggle-100k-enable-r%d ops_per_s=%.0f p50_us=%.2f p99_us=%.2f%n",
          i + 1,
          num(t, "load_ops_per_s"),
          num(t, "load_p50_us"),
          num(t, "load_p99_us"));
    }
    System.out.printf(Locale.ROOT, "RATIO name=%s value=%.2f%n", TOGGLE, Stats.median(pauses));
  }

  // ------------------------------------------------------------------ worker-restart-ms

  void workerRestart() throws Exception {
    int rounds = reps(2, 4);
    int rate = 10_000;
    ChildJvm.Output out =
        target(
            RESTART,
            "restart",
            List.of(
                "--entries", Integer.toString(TOGGLE_ENTRIES),
                "--partitions", "2",
                "--reps", Integer.toString(rounds),
                "--threads", "2",
                "--rate", Integer.toString(rate)),
            List.of(),
            120L + 60L * rounds);
    Map<String, Double> supervisorMs = new HashMap<>();
    List<Map<String, String>> restarts = new ArrayList<>();
    for (String line : out.lines()) {
      Matcher m = RESTARTED.matcher(line);
      if (m.find()) supervisorMs.put(m.group(2), Double.parseDouble(m.group(3)));
      if (line.startsWith("RESTART ")) restarts.add(fields(line));
    }
    require(!restarts.isEmpty(), RESTART, "no RESTART line", out);
    List<Double> first = new ArrayList<>();
    List<Double> ready = new ArrayList<>();
    List<Double> supervised = new ArrayList<>();
    for (Map<String, String> r : restarts) {
      Double sup = supervisorMs.get(r.get("new_pid"));
      first.add(num(r, "first_answer_ms"));
      ready.add(num(r, "ready_ms"));
      if (sup != null) supervised.add(sup);
      System.out.printf(
          Locale.ROOT,
          "{\"benchmark\":\"%s\",\"rep\":%s,\"worker\":%s,\"old_pid\":%s,\"new_pid\":%s,"
              + "\"first_answer_ms\":%s,\"ready_ms\":%s,\"supervisor_restart_ms\":%s,"
              + "\"load_during_outage\":{\"threads\":%s,\"max_calls_per_s\":%d,\"calls\":%s,"
              + "\"ops_per_s\":%s,\"p50_us\":%s,\"p99_us\":%s,\"max_us\":%s}}%n",
          RESTART,
          r.get("rep"),
          r.get("worker"),
          r.get("old_pid"),
          r.get("new_pid"),
          r.get("first_answer_ms"),
          r.get("ready_ms"),
          sup == null ? "null" : String.format(Locale.ROOT, "%.0f", sup),
          r.get("load_threads"),
          rate,
          r.get("load_calls"),
          r.get("load_ops_per_s"),
          r.get("load_p50_us"),
          r.get("load_p99_us"),
          r.get("load_max_us"));
    }
    System.out.printf(
        Locale.ROOT,
        "{\"benchmark\":\"%s\",\"kills\":%d,\"median_first_answer_ms\":%.1f,"
            + "\"median_ready_ms\":%.1f,\"median_supervisor_restart_ms\":%s,"
            + "\"value\":\"first_answer_ms: from the SIGKILL, sent from the service's JVM, to the"
            + " moment a caller in that JVM has a write's answer computed by the restarted"
            + " worker's process (its pid); ready_ms: to the first status poll (every 10 ms)"
            + " showing the worker READY with one more restart; supervisor_restart_ms: the"
            + " agent's own figure, from the supervisor noticing the death to readiness\"}%n",
        RESTART,
        restarts.size(),
        Stats.median(first),
        Stats.median(ready),
        supervised.isEmpty()
            ? "null"
            : String.format(Locale.ROOT, "%.0f", Stats.median(supervised)));
    for (Map<String, String> r : restarts) {
      // the load while the partition was down: calls that started between kill and first answer
      System.out.printf(
          Locale.ROOT,
          "RESULT name=worker-restart-r%s ops_per_s=%.1f p50_us=%.2f p99_us=%.2f%n",
          r.get("rep"),
          num(r, "load_ops_per_s"),
          num(r, "load_p50_us"),
          num(r, "load_p99_us"));
    }
    System.out.printf(Locale.ROOT, "RATIO name=%s value=%.1f%n", RESTART, Stats.median(first));
  }

  // ------------------------------------------------------------------ routed-rtt-vs-aeron-rtt

  void routedRtt() throws Exception {
    int blocks = reps(3, 7);
    int calls = quick ? 20_000 : 50_000;
    int warmup = quick ? 10_000 : 20_000;
    ChildJvm.Output out =
        target(
            RTT,
            "rtt",
            List.of(
                "--entries",
                "10000",
                "--partitions",
                "1",
                "--reps",
                Integer.toString(blocks),
                "--calls",
                Integer.toString(calls),
                "--warmup",
                Integer.toString(warmup),
                "--length",
                Integer.toString(PING_LENGTH)),
            // the ping-pong runs in the service's JVM on the demo jar's own (plain) Aeron
            forwarded(List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED")),
            120L + 60L * blocks);
    Map<String, List<Map<String, String>>> byKind = new HashMap<>();
    Map<String, String> idles = null;
    for (String line : out.lines()) {
      if (line.startsWith("RTT_IDLE ")) idles = fields(line);
      if (line.startsWith("RTT ")) {
        Map<String, String> f = fields(line);
        byKind.computeIfAbsent(f.get("kind"), k -> new ArrayList<>()).add(f);
      }
    }
    require(idles != null, RTT, "no RTT_IDLE line", out);
    String liveIdle = idles.get("live_idle");
    String matched = "aeron-" + idles.get("aeron_idle");
    List<String> kinds = new ArrayList<>(List.of("routed", "aeron-handoff", "aeron-backoff"));
    kinds.add("aeron-busy");
    if (!kinds.contains(matched)) kinds.add(matched);
    for (String kind : kinds) {
      require(byKind.containsKey(kind), RTT, "no RTT line of kind " + kind, out);
      for (Map<String, String> f : byKind.get(kind)) {
        System.out.printf(
            Locale.ROOT,
            "{\"benchmark\":\"%s\",\"config\":\"%s\",\"block\":%s,\"round_trips\":%s,"
                + "\"ops_per_s\":%s,\"p50_us\":%s,\"p99_us\":%s%s}%n",
            RTT,
            kind,
            f.get("block"),
            f.get("calls"),
            f.get("ops_per_s"),
            f.get("p50_us"),
            f.get("p99_us"),
            f.containsKey("host_cpu_us_per_call")
                ? ",\"host_cpu_us_per_call\":" + f.get("host_cpu_us_per_call")
                : "");
      }
    }
    double routed = Stats.median(column(byKind.get("routed"), "p50_us"));
    double hostCpu = Stats.median(column(byKind.get("routed"), "host_cpu_us_per_call"));
    double busy = Stats.median(column(byKind.get("aeron-busy"), "p50_us"));
    double aeron = Stats.median(column(byKind.get(matched), "p50_us"));
    double backoff = Stats.median(column(byKind.get("aeron-backoff"), "p50_us"));
    double handoff = Stats.median(column(byKind.get("aeron-handoff"), "p50_us"));
    System.out.printf(
        Locale.ROOT,
        "{\"benchmark\":\"%s\",\"blocks\":%d,\"round_trips_per_block\":%d,"
            + "\"message_bytes\":%d,\"live_idle\":\"%s\",\"aeron_idle\":\"%s\","
            + "\"median_routed_p50_us\":%.2f,\"median_routed_host_cpu_us_per_call\":%.2f,"
            + "\"median_aeron_p50_us\":%.2f,\"median_aeron_busy_p50_us\":%.2f,"
            + "\"median_aeron_backoff_p50_us\":%.2f,"
            + "\"median_aeron_handoff_p50_us\":%.2f,\"ratio\":%.2f,\"ratio_vs_busy\":%.2f,"
            + "\"ratio_vs_backoff\":%.2f,\"ratio_vs_handoff\":%.2f,"
            + "\"routed\":\"RegisterStore.read(long) routed to 1 worker, timed around the call"
            + " in the service's JVM, the agent's threads idling as live.idle says\","
            + "\"aeron\":\"the transport's PingPong between the same JVM and a child JVM on one"
            + " media driver, both sides idling as aeron_idle (the kind of live.idle); busy and"
            + " backoff: the same with those idle strategies; handoff: aeron_idle, with a routed"
            + " call's threads (the caller waits on a future that a poller thread completes)\"}%n",
        RTT,
        blocks,
        calls,
        PING_LENGTH,
        liveIdle,
        idles.get("aeron_idle"),
        routed,
        hostCpu,
        aeron,
        busy,
        backoff,
        handoff,
        routed / aeron,
        routed / busy,
        routed / backoff,
        routed / handoff);
    String[][] results = {
      {"routed-rtt", "routed"},
      {"aeron-ipc-rtt", matched},
      {"aeron-ipc-rtt-busy", "aeron-busy"},
      {"aeron-ipc-rtt-backoff", "aeron-backoff"},
      {"aeron-ipc-rtt-handoff", "aeron-handoff"}
    };
    for (String[] r : results) {
      List<Map<String, String>> rows = byKind.get(r[1]);
      System.out.printf(
          Locale.ROOT,
          "RESULT name=%s ops_per_s=%.0f p50_us=%.2f p99_us=%.2f%n",
          r[0],
          Stats.median(column(rows, "ops_per_s")),
          Stats.median(column(rows, "p50_us")),
          Stats.median(column(rows, "p99_us")));
    }
    System.out.printf(
        Locale.ROOT,
        "IDLE name=%s live_idle=%s aeron_idle=%s ratio_vs_busy=%.3f%n",
        RTT,
        liveIdle,
        idles.get("aeron_idle"),
        routed / busy);
    System.out.printf(Locale.ROOT, "RATIO name=%s value=%.1f%n", RTT, routed / aeron);
  }

  // ------------------------------------------------------------------ helpers

  /** {@code flags}, then the -Dcompartment.live.* settings given to the bench. */
  private static List<String> forwarded(List<String> flags) {
    List<String> all = new ArrayList<>(flags);
    all.addAll(ChildJvm.liveSettings());
    return all;
  }

  private ChildJvm.Output target(
      String bench, String mode, List<String> args, List<String> jvmFlags, long timeoutSeconds)
      throws Exception {
    List<String> all = new ArrayList<>();
    all.add(mode);
    all.addAll(args);
    ChildJvm.Output out =
        ChildJvm.run(
            demoJar,
            agentJar,
            mode.equals("toggle") ? "debug=true" : "",
            jvmFlags,
            LiveBenchTarget.class.getName(),
            all,
            timeoutSeconds,
            line -> {
              if (line.startsWith("PROGRESS ")
                  || line.startsWith("TARGET ")
                  || line.startsWith("TOGGLE ")
                  || line.startsWith("RESTART ")
                  || line.startsWith("RTT ")) {
                System.err.println("bench " + bench + ": " + line);
              }
            });
    require(out.exitCode() == 0, bench, "the target JVM exited with " + out.exitCode(), out);
    return out;
  }

  private static void require(boolean ok, String bench, String what, ChildJvm.Output out) {
    if (ok) return;
    List<String> lines = out.lines();
    throw new IllegalStateException(
        bench
            + ": "
            + what
            + "; the target's last lines:\n"
            + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
  }

  static Map<String, String> fields(String line) {
    Map<String, String> m = new HashMap<>();
    for (String part : line.trim().split("\\s+")) {
      int eq = part.indexOf('=');
      if (eq > 0) m.put(part.substring(0, eq), part.substring(eq + 1));
    }
    return m;
  }

  private static double num(Map<String, String> m, String key) {
    String v = m.get(key);
    if (v == null) throw new IllegalStateException("no " + key + " in " + m);
    return Double.parseDouble(v);
  }

  private static List<Double> column(List<Map<String, String>> rows, String key) {
    List<Double> out = new ArrayList<>();
    for (Map<String, String> r : rows) out.add(num(r, key));
    return out;
  }
}
