package io.compartment.demo.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code <demo>-p<N>-vs-monolith} and {@code <demo>-p<N>-vs-bound} on the emulated cluster: each
 * demo's benchmark ({@link DemoBench}) with its service process and every worker capped at the same
 * CPU share ({@link EmulatedCluster}). The bound is the report's profile for {@code N} ({@code
 * profile.speedupAt}): Amdahl's law over the measured cost of each compartment.
 *
 * <p>System properties: {@code compartment.bench.cpus} (CPUs per service process and worker,
 * default 0.2), {@code compartment.bench.client.cpus} (CPUs of the clients process, default 0.6)
 * and {@code compartment.bench.partitions} (partition counts, comma-separated; default 2 with
 * {@code --quick}, else 1,2,4).
 */
final class ScalingBench {
  private final Path demoJar;
  private final Path agentJar;
  private final boolean quick;
  private final List<String> demos;
  private final int reps;

  ScalingBench(Path demoJar, Path agentJar, boolean quick, List<String> demos, int reps) {
    this.demoJar = demoJar;
    this.agentJar = agentJar;
    this.quick = quick;
    this.demos = demos;
    this.reps = reps > 0 ? reps : quick ? 1 : 3;
  }

  void run() throws Exception {
    List<Integer> counts =
        BenchMain.counts(
            "-Dcompartment.bench.partitions",
            System.getProperty("compartment.bench.partitions", quick ? "2" : "1,2,4"));
    try (CpuCgroups cgroups = CpuCgroups.open()) {
      EmulatedCluster.Shares shares = EmulatedCluster.Shares.fromProperties(cgroups);
      System.err.printf(
          Locale.ROOT,
          "bench scaling: emulated cluster on %s: %.2f CPU per service process and worker,"
              + " %.2f for the clients%n",
          cgroups.describe(),
          shares.cpusPerProcess(),
          shares.clientCpus());
      List<String> lines = new ArrayList<>();
      for (String demo : demos) {
        lines.addAll(
            new DemoBench(
                    demoJar,
                    agentJar,
                    demo,
                    counts,
                    Arrays.asList((Integer) null),
                    reps,
                    DemoBench.Timing.of(quick, true),
                    shares)
                .run());
      }
      lines.forEach(System.out::println);
    }
  }
}
