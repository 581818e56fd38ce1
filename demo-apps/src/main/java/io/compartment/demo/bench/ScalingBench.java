package io.compartment.demo.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code <demo>-p<N>-vs-monolith} and {@code <demo>-p<N>-vs-bound} on the emulated cluster: the
 * demo runs under the agent with its service process and every worker capped at the same CPU share
 * ({@link EmulatedCluster}); its live script measures the monolith, enables the inferred plan with
 * {@code N} partitions or replicas per compartment, and measures again, in the same run. The bound
 * is the report's profile for {@code N} ({@code profile.speedupAt}): Amdahl's law over the measured
 * cost of each compartment. Each configuration runs {@code reps} times; ratios are of medians.
 *
 * <p>Latency is not measured here ({@code p50_us=- p99_us=-}): the demo's clients run in their own
 * process and report throughput only.
 */
final class ScalingBench {
  private static final Pattern DEMO_RESULT =
      Pattern.compile(
          "DEMO_RESULT name=(\\S+) correct=(\\S+) .*monolith_ops_per_s=(\\d+)"
              + " compartmentalized_ops_per_s=(\\d+) pause_ms=([0-9.]+)");

  private final Path demoJar;
  private final Path agentJar;
  private final List<String> demos;
  private final List<Integer> counts;
  private final int reps;
  private final double cpus;
  private final double clientCpus;
  private final double windowSeconds;
  private final double warmupSeconds;

  ScalingBench(Path demoJar, Path agentJar, boolean quick, List<String> demos) {
    this.demoJar = demoJar;
    this.agentJar = agentJar;
    this.demos = demos;
    this.counts = quick ? List.of(2) : List.of(1, 2, 4);
    this.reps = quick ? 1 : 3;
    this.cpus = Double.parseDouble(System.getProperty("compartment.bench.cpus", "0.2"));
    this.clientCpus =
        Double.parseDouble(System.getProperty("compartment.bench.client.cpus", "0.6"));
    this.windowSeconds = quick ? 3 : 5;
    this.warmupSeconds = quick ? 15 : 30;
  }

  void run() throws Exception {
    try (CpuCgroups cgroups = CpuCgroups.open()) {
      System.err.printf(
          Locale.ROOT,
          "bench scaling: emulated cluster on %s: %.2f CPU per service process and worker,"
              + " %.2f for the clients%n",
          cgroups.describe(),
          cpus,
          clientCpus);
      List<String> lines = new ArrayList<>();
      for (String demo : demos) {
        int firstLine = lines.size();
        List<Double> monolith = new ArrayList<>();
        for (int n : counts) {
          List<Double> ratios = new ArrayList<>();
          List<Double> bounds = new ArrayList<>();
          List<Double> compartmentalized = new ArrayList<>();
          for (int rep = 0; rep < reps; rep++) {
            Run r = runOnce(cgroups, demo, n);
            monolith.add(r.monolith);
            compartmentalized.add(r.compartmentalized);
            ratios.add(r.compartmentalized / r.monolith);
            bounds.add(r.bound);
            System.out.printf(
                Locale.ROOT,
                "{\"benchmark\":\"scaling\",\"demo\":\"%s\",\"partitions\":%d,\"rep\":%d,"
                    + "\"monolith_ops_per_s\":%.0f,\"compartmentalized_ops_per_s\":%.0f,"
                    + "\"bound\":%.3f,\"pause_ms\":%.1f,\"processes\":%d,"
                    + "\"cpus_per_process\":%.2f}%n",
                demo,
                n,
                rep + 1,
                r.monolith,
                r.compartmentalized,
                r.bound,
                r.pauseMs,
                r.processes,
                cpus);
          }
          double ratio = Stats.median(ratios);
          double bound = Stats.median(bounds);
          lines.add(
              String.format(
                  Locale.ROOT,
                  "RESULT name=%s-p%d ops_per_s=%.0f p50_us=- p99_us=-",
                  demo,
                  n,
                  Stats.median(compartmentalized)));
          lines.add(
              String.format(
                  Locale.ROOT, "RATIO name=%s-p%d-vs-monolith value=%.3f", demo, n, ratio));
          lines.add(
              String.format(
                  Locale.ROOT, "RATIO name=%s-p%d-vs-bound value=%.3f", demo, n, ratio / bound));
        }
        lines.add(
            firstLine,
            String.format(
                Locale.ROOT,
                "RESULT name=%s-monolith ops_per_s=%.0f p50_us=- p99_us=-",
                demo,
                Stats.median(monolith)));
      }
      lines.forEach(System.out::println);
    }
  }

  private record Run(
      double monolith, double compartmentalized, double bound, double pauseMs, int processes) {}

  private Run runOnce(CpuCgroups cgroups, String demo, int n) throws Exception {
    Path dir = Files.createTempDirectory("compartment-scaling-");
    Path report = dir.resolve(demo + ".json");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-javaagent:" + agentJar + "=report=" + report);
    cmd.add("-Dcompartment.demo.partitions=" + n);
    cmd.add("-Dcompartment.demo.window.s=" + windowSeconds);
    // a JVM capped at a fraction of a CPU compiles slowly: measure the monolith once it is warm
    cmd.add("-Dcompartment.demo.warmup.s=" + warmupSeconds);
    cmd.add("-jar");
    cmd.add(demoJar.toString());
    cmd.add(demo);
    cmd.add("--duration");
    cmd.add(Double.toString(warmupSeconds + windowSeconds * 2));
    System.err.printf(
        Locale.ROOT, "bench scaling: %s with %d partitions per compartment ...%n", demo, n);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> output = new ArrayList<>();
    int processes;
    try (EmulatedCluster cluster = new EmulatedCluster(cgroups, cpus, clientCpus)) {
      cluster.adopt(p);
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) output.add(line);
      }
      if (!p.waitFor(600, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(demo + " did not finish in 600 s");
      }
      processes = cluster.processes();
    }
    Matcher m = DEMO_RESULT.matcher(String.join("\n", output));
    if (p.exitValue() != 0 || !m.find() || !m.group(2).equals("true")) {
      throw new IllegalStateException(
          demo + " on the emulated cluster failed (exit " + p.exitValue() + "):\n" + tail(output));
    }
    double bound = speedupAt(Files.readString(report), n);
    try (var files = Files.list(dir)) { // the report and the agent's trace beside it
      for (Path f : files.toList()) Files.delete(f);
    }
    Files.delete(dir);
    return new Run(
        Double.parseDouble(m.group(3)),
        Double.parseDouble(m.group(4)),
        bound,
        Double.parseDouble(m.group(5)),
        processes);
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

  private static String tail(List<String> lines) {
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
