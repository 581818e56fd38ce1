package io.compartment.demo.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./compartment bench NAME|all [--quick] [--reps N]}: runs benchmarks and prints one JSON
 * object per result, then the {@code RESULT} and {@code RATIO} lines of DESIGN section 7.
 */
public final class BenchMain {
  private static final List<String> BENCHMARKS =
      List.of(
          "tracing-vs-none",
          LiveBenchmarks.TOGGLE,
          LiveBenchmarks.RESTART,
          LiveBenchmarks.RTT,
          "scaling",
          "micro");

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    String name = null;
    boolean quick = false;
    int reps = 0;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--quick" -> quick = true;
        case "--reps" -> {
          try {
            reps = Integer.parseInt(i + 1 < args.length ? args[++i] : "");
          } catch (NumberFormatException e) {
            reps = 0;
          }
          if (reps < 1) {
            System.err.println("compartment bench: --reps needs a whole number of at least 1");
            System.exit(2);
          }
        }
        case "-h", "--help" -> {
          usage();
          return;
        }
        default -> {
          if (a.startsWith("-") || name != null) {
            System.err.println("compartment bench: unexpected argument '" + a + "'");
            usage();
            System.exit(2);
          }
          name = a;
        }
      }
    }
    if (name == null) {
      usage();
      System.exit(2);
    }
    if (!name.equals("all") && !BENCHMARKS.contains(name)) {
      System.err.println(
          "compartment bench: unknown benchmark '"
              + name
              + "'; known: all, "
              + String.join(", ", BENCHMARKS));
      System.exit(2);
    }
    Path demoJar = jar("compartment.demo.jar");
    Path agentJar = jar("compartment.agent.jar");
    LiveBenchmarks live = new LiveBenchmarks(demoJar, agentJar, quick, reps);
    List<String> failed = new ArrayList<>();
    for (String b : name.equals("all") ? BENCHMARKS : List.of(name)) {
      long start = System.nanoTime();
      try {
        switch (b) {
          case "tracing-vs-none" -> new TracingOverheadBench(demoJar, agentJar, quick).run();
          case LiveBenchmarks.TOGGLE -> live.togglePause();
          case LiveBenchmarks.RESTART -> live.workerRestart();
          case LiveBenchmarks.RTT -> live.routedRtt();
          case "scaling" ->
              new ScalingBench(
                      demoJar,
                      agentJar,
                      quick,
                      quick
                          ? List.of("multipaxos", "twopc")
                          : List.of("multipaxos", "twopc", "bft"))
                  .run();
          case "micro" -> MicroBenchRun.run(agentJar, quick);
          default -> throw new IllegalStateException("no benchmark " + b);
        }
      } catch (Exception e) {
        // one failed benchmark does not stop the others; the exit status says it failed
        failed.add(b);
        System.err.println("compartment bench: " + b + " failed: " + e.getMessage());
      }
      System.out.flush();
      System.err.printf(
          Locale.ROOT, "bench %s: done in %.0f s%n", b, (System.nanoTime() - start) / 1e9);
    }
    if (!failed.isEmpty()) {
      System.err.println("compartment bench: failed: " + String.join(", ", failed));
      System.exit(1);
    }
  }

  private static Path jar(String property) {
    String p = System.getProperty(property);
    if (p == null || !Files.isRegularFile(Path.of(p))) {
      System.err.println(
          "compartment bench: -D"
              + property
              + " must name the built jar (got "
              + p
              + "); run it through ./compartment bench");
      System.exit(2);
    }
    return Path.of(p);
  }

  private static void usage() {
    System.err.println("usage: ./compartment bench NAME|all [--quick] [--reps N]");
    System.err.println("  benchmarks: " + String.join(", ", BENCHMARKS));
    System.err.println("  all       every benchmark, one after the other");
    System.err.println("  --quick   short runs (all of them in a few minutes on 2 cores)");
    System.err.println(
        "  --reps N  repetitions of the live benchmarks (toggles, rounds of two worker kills,"
            + " timing blocks) instead of their defaults");
    System.err.println(
        "  scaling   <demo>-p<N>-vs-monolith and -vs-bound on an emulated cluster: the service"
            + " and each worker capped at -Dcompartment.bench.cpus CPUs (default 0.2) with"
            + " cgroups, the clients at -Dcompartment.bench.client.cpus (0.6); needs a writable"
            + " cgroup cpu controller (root)");
  }
}
