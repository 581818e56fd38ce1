package io.compartment.demo.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./compartment bench DEMO}: the demo's closed-loop clients against the monolith and against
 * the compartmentalized service with each partition count, in one invocation. Each run is one demo
 * process under the agent that measures both, side by side ({@link DemoProcess}); each offered load
 * (requests outstanding per client, {@code compartment.demo.window}) and partition count runs
 * {@code reps} times. Prints a JSON object per configuration and run, then {@code RESULT} lines
 * (medians of throughput, p50 and p99 latency) and {@code RATIO} lines (medians of the per-run
 * ratios).
 *
 * <p>On the emulated cluster ({@link EmulatedCluster}) the ratios are the DESIGN's {@code
 * <demo>-p<N>-vs-monolith} and {@code -vs-bound}. Without it every process shares the machine's
 * cores uncapped, which measures something else: those ratios end in {@code -uncapped}.
 *
 * <p>The MultiPaxos acceptors and the 2PC participants force each log record to the disk before
 * they answer, as the real protocols must ({@code compartment.demo.wal.sync}); {@code
 * -Dcompartment.bench.wal.sync=false} measures them writing to the page cache only. Each run
 * enables the compartments the profile recommends scaling ({@link DemoProcess#ENABLE}).
 */
final class DemoBench {
  /**
   * How long each run's phases last, in seconds: before the monolith's window, each window, and
   * between enabling and the second window (new workers warming up).
   */
  record Timing(double warmupSeconds, double windowSeconds, double settleSeconds) {
    /**
     * Short runs with {@code quick}; longer ones on the emulated cluster, whose JVMs compile
     * slowly.
     */
    static Timing of(boolean quick, boolean cluster) {
      if (cluster) return quick ? new Timing(15, 3, 5) : new Timing(30, 5, 10);
      return quick ? new Timing(4, 2, 2) : new Timing(10, 4, 4);
    }
  }

  private final boolean walSync =
      Boolean.parseBoolean(System.getProperty("compartment.bench.wal.sync", "true"));
  private final Path demoJar;
  private final Path agentJar;
  private final String demo;
  private final List<Integer> partitions;
  private final List<Integer> windows;
  private final int reps;
  private final Timing timing;
  private final EmulatedCluster.Shares cluster;

  /**
   * @param windows requests outstanding per client for each offered load; a null entry is the
   *     demo's own figure
   * @param cluster the emulated cluster's shares, or null to run uncapped
   */
  DemoBench(
      Path demoJar,
      Path agentJar,
      String demo,
      List<Integer> partitions,
      List<Integer> windows,
      int reps,
      Timing timing,
      EmulatedCluster.Shares cluster) {
    this.demoJar = demoJar;
    this.agentJar = agentJar;
    this.demo = demo;
    this.partitions = List.copyOf(partitions);
    this.windows = new ArrayList<>(windows);
    this.reps = reps;
    this.timing = timing;
    this.cluster = cluster;
  }

  /** Runs every configuration, printing the JSON objects; returns the RESULT and RATIO lines. */
  List<String> run() throws Exception {
    List<String> lines = new ArrayList<>();
    for (Integer window : windows) {
      Map<String, List<double[]>> byConfig = new LinkedHashMap<>(); // ops, p50, p99
      Map<Integer, List<Double>> ratios = new LinkedHashMap<>();
      Map<Integer, List<Double>> vsBound = new LinkedHashMap<>();
      long concurrency = -1;
      for (int n : partitions) {
        for (int rep = 1; rep <= reps; rep++) {
          System.err.printf(
              Locale.ROOT,
              "bench %s: %d partitions per compartment, %s outstanding per client, run %d/%d%s"
                  + " ...%n",
              demo,
              n,
              window == null ? "the demo's own number of requests" : window + " requests",
              rep,
              reps,
              cluster == null ? "" : ", emulated cluster");
          DemoProcess.Figures f =
              DemoProcess.run(
                  demoJar,
                  agentJar,
                  new DemoProcess.Settings(
                      demo,
                      n,
                      window,
                      timing.warmupSeconds(),
                      timing.windowSeconds(),
                      timing.settleSeconds(),
                      walSync,
                      cluster));
          concurrency = f.concurrency();
          print(n, rep, f);
          byConfig
              .computeIfAbsent("monolith", k -> new ArrayList<>())
              .add(new double[] {f.monolithOpsPerS(), f.monolithP50Us(), f.monolithP99Us()});
          byConfig
              .computeIfAbsent("p" + n, k -> new ArrayList<>())
              .add(
                  new double[] {
                    f.compartmentalizedOpsPerS(),
                    f.compartmentalizedP50Us(),
                    f.compartmentalizedP99Us()
                  });
          double ratio = f.compartmentalizedOpsPerS() / f.monolithOpsPerS();
          ratios.computeIfAbsent(n, k -> new ArrayList<>()).add(ratio);
          vsBound.computeIfAbsent(n, k -> new ArrayList<>()).add(ratio / f.bound());
        }
      }
      String load = windows.size() > 1 ? "-c" + concurrency : "";
      for (Map.Entry<String, List<double[]>> e : byConfig.entrySet()) {
        List<double[]> runs = e.getValue();
        lines.add(
            String.format(
                Locale.ROOT,
                "RESULT name=%s-%s%s ops_per_s=%.0f p50_us=%s p99_us=%s",
                demo,
                e.getKey(),
                load,
                Stats.median(column(runs, 0)),
                DemoProcess.us(Stats.median(column(runs, 1))),
                DemoProcess.us(Stats.median(column(runs, 2)))));
      }
      String mode = cluster == null ? "-uncapped" : "";
      for (int n : partitions) {
        lines.add(
            String.format(
                Locale.ROOT,
                "RATIO name=%s-p%d-vs-monolith%s%s value=%.3f",
                demo,
                n,
                mode,
                load,
                Stats.median(ratios.get(n))));
        lines.add(
            String.format(
                Locale.ROOT,
                "RATIO name=%s-p%d-vs-bound%s%s value=%.3f",
                demo,
                n,
                mode,
                load,
                Stats.median(vsBound.get(n))));
      }
    }
    return lines;
  }

  private void print(int n, int rep, DemoProcess.Figures f) {
    if (cluster != null) {
      System.out.printf(
          Locale.ROOT,
          "{\"benchmark\":\"scaling\",\"demo\":\"%s\",\"partitions\":%d,\"rep\":%d,"
              + "\"clients\":%d,\"monolith_ops_per_s\":%.0f,\"compartmentalized_ops_per_s\":%.0f,"
              + "\"monolith_p50_us\":%s,\"monolith_p99_us\":%s,"
              + "\"compartmentalized_p50_us\":%s,\"compartmentalized_p99_us\":%s,"
              + "\"bound\":%.3f,\"pause_ms\":%s,\"enabled\":%d,\"processes\":%d,"
              + "\"cpus_per_process\":%.2f,"
              + "\"wal_sync\":%b,\"enable\":\"%s\",\"cpu_used_ms\":%s,\"cpu_throttled_ms\":%s}%n",
          demo,
          n,
          rep,
          f.concurrency(),
          f.monolithOpsPerS(),
          f.compartmentalizedOpsPerS(),
          DemoProcess.jsonUs(f.monolithP50Us()),
          DemoProcess.jsonUs(f.monolithP99Us()),
          DemoProcess.jsonUs(f.compartmentalizedP50Us()),
          DemoProcess.jsonUs(f.compartmentalizedP99Us()),
          f.bound(),
          DemoProcess.jsonUs(f.pauseMs()),
          f.enabled(),
          f.processes(),
          cluster.cpusPerProcess(),
          walSync,
          DemoProcess.ENABLE,
          DemoProcess.jsonCpu(f.cpu(), 0),
          DemoProcess.jsonCpu(f.cpu(), 1));
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "{\"benchmark\":\"demo\",\"demo\":\"%s\",\"config\":\"monolith\",\"partitions\":0,"
            + "\"clients\":%d,\"rep\":%d,\"ops_per_s\":%.0f,\"p50_us\":%s,\"p99_us\":%s,"
            + "\"cluster\":false,\"wal_sync\":%b}%n",
        demo,
        f.concurrency(),
        rep,
        f.monolithOpsPerS(),
        DemoProcess.jsonUs(f.monolithP50Us()),
        DemoProcess.jsonUs(f.monolithP99Us()),
        walSync);
    System.out.printf(
        Locale.ROOT,
        "{\"benchmark\":\"demo\",\"demo\":\"%s\",\"config\":\"p%d\",\"partitions\":%d,"
            + "\"clients\":%d,\"rep\":%d,\"ops_per_s\":%.0f,\"p50_us\":%s,\"p99_us\":%s,"
            + "\"bound\":%.3f,\"pause_ms\":%s,\"enabled\":%d,\"cluster\":false,"
            + "\"wal_sync\":%b}%n",
        demo,
        n,
        n,
        f.concurrency(),
        rep,
        f.compartmentalizedOpsPerS(),
        DemoProcess.jsonUs(f.compartmentalizedP50Us()),
        DemoProcess.jsonUs(f.compartmentalizedP99Us()),
        f.bound(),
        DemoProcess.jsonUs(f.pauseMs()),
        f.enabled(),
        walSync);
  }

  private static List<Double> column(List<double[]> runs, int i) {
    List<Double> values = new ArrayList<>();
    for (double[] r : runs) if (!Double.isNaN(r[i])) values.add(r[i]);
    return values;
  }
}
