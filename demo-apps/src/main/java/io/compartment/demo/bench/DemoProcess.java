package io.compartment.demo.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of a demo under the agent, as the demo benchmarks use it: the demo's live script measures
 * the monolith over one window, enables the inferred plan with {@code partitions} partitions or
 * replicas per compartment, and measures again over a second window, with the same clients; the
 * figures come from its {@code DEMO_RESULT} line and the bound from its report's profile.
 */
final class DemoProcess {
  /**
   * Which compartments a run enables: {@code profiled} (default), only those the report's profile
   * recommends scaling, as the optimizer would; {@code inferred}, every scalable one, as the demo
   * does for its audience. Set with {@code -Dcompartment.bench.enable}.
   */
  static final String ENABLE = System.getProperty("compartment.bench.enable", "profiled");

  /** How long one run may take before it is stopped, in seconds. */
  static final long TIMEOUT_S = 600;

  /** The settings of a run. */
  record Settings(
      String demo,
      int partitions,
      Integer window,
      double warmupSeconds,
      double windowSeconds,
      double settleSeconds,
      boolean walSync,
      EmulatedCluster.Shares cluster) {}

  /**
   * What one run measured. Latencies are in microseconds, NaN where the run measured none.
   *
   * @param concurrency requests the clients kept outstanding together
   * @param enabled compartments the plan enabled (0: the profile found none worth scaling, and the
   *     second window measured the monolith again)
   * @param bound the profile's bound on the speed-up with {@code partitions}
   * @param processes processes capped on the emulated cluster (0 without it)
   * @param cpu on the emulated cluster, CPU time used and throttled over the run in ms by role
   *     ({@link EmulatedCluster#cpuByRole}); empty without it
   */
  record Figures(
      double monolithOpsPerS,
      double monolithP50Us,
      double monolithP99Us,
      double compartmentalizedOpsPerS,
      double compartmentalizedP50Us,
      double compartmentalizedP99Us,
      double pauseMs,
      long concurrency,
      int enabled,
      double bound,
      int processes,
      Map<String, long[]> cpu) {}

  private DemoProcess() {}

  static Figures run(Path demoJar, Path agentJar, Settings s) throws Exception {
    Path dir = Files.createTempDirectory("compartment-bench-" + s.demo() + "-");
    try {
      return run(demoJar, agentJar, s, dir);
    } finally {
      try (var files = Files.list(dir)) { // the report and the agent's trace beside it
        for (Path f : files.toList()) Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    }
  }

  private static Figures run(Path demoJar, Path agentJar, Settings s, Path dir) throws Exception {
    Path report = dir.resolve(s.demo() + ".json");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-javaagent:" + agentJar + "=report=" + report);
    cmd.addAll(ChildJvm.liveSettings());
    cmd.add("-Dcompartment.demo.partitions=" + s.partitions());
    cmd.add("-Dcompartment.demo.window.s=" + s.windowSeconds());
    cmd.add("-Dcompartment.demo.warmup.s=" + s.warmupSeconds());
    cmd.add("-Dcompartment.demo.settle.s=" + s.settleSeconds());
    cmd.add("-Dcompartment.demo.wal.sync=" + s.walSync());
    cmd.add("-Dcompartment.demo.enable=" + ENABLE);
    if (s.window() != null) cmd.add("-Dcompartment.demo.window=" + s.window());
    cmd.add("-jar");
    cmd.add(demoJar.toString());
    cmd.add(s.demo());
    cmd.add("--duration");
    // the live script keeps the workload going until it is done, however long enabling takes
    cmd.add(Double.toString(s.warmupSeconds() + s.windowSeconds() * 2 + s.settleSeconds()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> output = new ArrayList<>();
    int processes = 0;
    Map<String, long[]> cpu = Map.of();
    EmulatedCluster cluster = s.cluster() == null ? null : new EmulatedCluster(s.cluster());
    try {
      if (cluster != null) cluster.adopt(p);
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) output.add(line);
      }
      if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
        throw new IOException(s.demo() + " did not finish in " + TIMEOUT_S + " s");
      }
      if (cluster != null) {
        processes = cluster.processes();
        cpu = cluster.cpuByRole();
      }
    } finally {
      p.destroyForcibly();
      if (cluster != null) cluster.close();
    }
    Map<String, String> result = resultLine(output);
    if (p.exitValue() != 0 || result == null || !"true".equals(result.get("correct"))) {
      throw new IllegalStateException(
          s.demo()
              + " failed (exit "
              + p.exitValue()
              + (result == null ? ", no DEMO_RESULT line" : ", correct=" + result.get("correct"))
              + "); its last output:\n"
              + tail(output));
    }
    if (result.get("compartmentalized_ops_per_s") == null
        || result.get("compartmentalized_ops_per_s").equals("-")) {
      throw new IllegalStateException(
          s.demo()
              + " measured no compartmentalized window (was the plan enabled?); its last output:\n"
              + tail(output));
    }
    return new Figures(
        number(result, "monolith_ops_per_s"),
        number(result, "monolith_p50_us"),
        number(result, "monolith_p99_us"),
        number(result, "compartmentalized_ops_per_s"),
        number(result, "compartmentalized_p50_us"),
        number(result, "compartmentalized_p99_us"),
        number(result, "pause_ms"),
        (long) number(result, "concurrency"),
        (int) number(result, "enabled"),
        speedupAt(Files.readString(report), s.partitions()),
        processes,
        cpu);
  }

  /** The key=value pairs of the last {@code DEMO_RESULT} line, or null. */
  static Map<String, String> resultLine(List<String> output) {
    for (int i = output.size() - 1; i >= 0; i--) {
      String line = output.get(i);
      if (!line.startsWith("DEMO_RESULT ")) continue;
      Map<String, String> values = new HashMap<>();
      for (String part : line.substring("DEMO_RESULT ".length()).split("\\s+")) {
        int eq = part.indexOf('=');
        if (eq > 0) values.put(part.substring(0, eq), part.substring(eq + 1));
      }
      return values;
    }
    return null;
  }

  /** A figure of the result line; NaN for {@code -} or a missing key. */
  static double number(Map<String, String> result, String key) {
    String v = result.get(key);
    return v == null || v.equals("-") ? Double.NaN : Double.parseDouble(v);
  }

  /** {@code profile.speedupAt[n]} of a report, for a power of two {@code n}. */
  static double speedupAt(String reportJson, int n) {
    Object profile = MiniJson.object(MiniJson.parse(reportJson)).get("profile");
    Object at = profile == null ? null : MiniJson.object(profile).get("speedupAt");
    Object value = at == null ? null : MiniJson.object(at).get(Integer.toString(n));
    if (!(value instanceof Number number)) {
      throw new IllegalStateException("the report has no profile.speedupAt entry for " + n);
    }
    return number.doubleValue();
  }

  /** {@code {"role":n,...}} of one column of {@link Figures#cpu}. */
  static String jsonCpu(Map<String, long[]> cpu, int column) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, long[]> e : cpu.entrySet()) {
      if (sb.length() > 1) sb.append(',');
      long v = e.getValue()[column];
      sb.append('"').append(e.getKey()).append("\":").append(v < 0 ? "null" : Long.toString(v));
    }
    return sb.append('}').toString();
  }

  /** A latency figure for RESULT lines: {@code -} when not measured. */
  static String us(double micros) {
    return Double.isNaN(micros) ? "-" : String.format(Locale.ROOT, "%.1f", micros);
  }

  /** A latency figure for JSON: {@code null} when not measured. */
  static String jsonUs(double micros) {
    return Double.isNaN(micros) ? "null" : String.format(Locale.ROOT, "%.1f", micros);
  }

  private static String tail(List<String> lines) {
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
