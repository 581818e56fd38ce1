package io.compartment.demo.bench;

import io.compartment.demo.DemoMain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./compartment bench NAME|all [--quick] [--reps N] [--partitions LIST] [--windows LIST]
 * [--cluster]}: runs benchmarks and prints one JSON object per result, then the {@code RESULT} and
 * {@code RATIO} lines of DESIGN section 7. A demo's name runs {@link DemoBench} on it.
 */
public final class BenchMain {
  private static final List<String> DEMOS = Arrays.asList(DemoMain.names().split("\\|"));
  private static final List<String> BENCHMARKS = benchmarks();

  private static List<String> benchmarks() {
    List<String> all = new ArrayList<>();
    all.add("tracing-vs-none");
    all.add(LiveBenchmarks.TOGGLE);
    all.add(LiveBenchmarks.RESTART);
    all.add(LiveBenchmarks.RTT);
    all.add("micro");
    all.addAll(DEMOS);
    all.add("disk-fsync");
    all.add("scaling");
    return List.copyOf(all);
  }

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("plots")) { // redraw from a saved output
      System.exit(
          BenchPlots.run(
              Arrays.copyOfRange(args, 1, args.length), System.in, System.out, System.err));
    }
    String name = null;
    boolean quick = false;
    boolean cluster = false;
    int reps = 0;
    List<Integer> partitions = null;
    List<Integer> windows = null;
    Path plots = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--quick" -> quick = true;
        case "--cluster" -> cluster = true;
        case "--plots" -> {
          if (i + 1 >= args.length) {
            System.err.println("compartment bench: --plots needs a directory");
            System.exit(2);
          }
          plots = Path.of(args[++i]);
        }
        case "--partitions", "--windows" -> {
          List<Integer> list;
          try {
            list = counts(a, i + 1 < args.length ? args[++i] : "");
          } catch (IllegalArgumentException e) {
            System.err.println("compartment bench: " + e.getMessage());
            System.exit(2);
            return;
          }
          if (a.equals("--partitions")) partitions = list;
          else windows = list;
        }
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
    if ((partitions != null || windows != null || cluster) && !DEMOS.contains(name)) {
      System.err.println(
          "compartment bench: --partitions, --windows and --cluster apply to a demo's benchmark ("
              + String.join(", ", DEMOS)
              + "), not to '"
              + name
              + "'");
      System.exit(2);
    }
    ByteArrayOutputStream recorded = null;
    if (plots != null) {
      recorded = new ByteArrayOutputStream();
      System.setOut(new PrintStream(tee(System.out, recorded), true, StandardCharsets.UTF_8));
    }
    Path demoJar = jar("compartment.demo.jar");
    Path agentJar = jar("compartment.agent.jar");
    LiveBenchmarks live = new LiveBenchmarks(demoJar, agentJar, quick, reps);
    List<String> failed = new ArrayList<>();
    for (String b : name.equals("all") ? BENCHMARKS : List.of(name)) {
      long start = System.nanoTime();
      try {
        if (DEMOS.contains(b)) {
          demoBench(demoJar, agentJar, b, quick, reps, partitions, windows, cluster);
          continue;
        }
        switch (b) {
          case "tracing-vs-none" -> new TracingOverheadBench(demoJar, agentJar, quick).run();
          case LiveBenchmarks.TOGGLE -> live.togglePause();
          case LiveBenchmarks.RESTART -> live.workerRestart();
          case LiveBenchmarks.RTT -> live.routedRtt();
          case "disk-fsync" -> new DiskFsyncBench(quick).run();
          case "scaling" ->
              new ScalingBench(
                      demoJar,
                      agentJar,
                      quick,
                      quick
                          ? List.of("multipaxos", "twopc")
                          : List.of("multipaxos", "twopc", "bft"),
                      reps)
                  .run();
          case "micro" -> MicroBenchRun.run(agentJar, quick);
          default -> throw new IllegalStateException("no benchmark " + b);
        }
      } catch (Exception e) {
        // one failed benchmark does not stop the others; the exit status says it failed
        failed.add(b);
        System.err.println("compartment bench: " + b + " failed: " + e.getMessage());
      } finally {
        System.out.flush();
        System.err.printf(
            Locale.ROOT, "bench %s: done in %.0f s%n", b, (System.nanoTime() - start) / 1e9);
      }
    }
    if (plots != null) {
      writePlots(plots, recorded.toString(StandardCharsets.UTF_8));
    }
    if (!failed.isEmpty()) {
      System.err.println("compartment bench: failed: " + String.join(", ", failed));
      System.exit(1);
    }
  }

  /**
   * A demo's benchmark: with {@code --quick} one run with 2 partitions at the demo's own load; else
   * 1, 2 and 4 partitions at 1 and 4 requests outstanding per client and at the demo's own.
   */
  private static void demoBench(
      Path demoJar,
      Path agentJar,
      String demo,
      boolean quick,
      int reps,
      List<Integer> partitions,
      List<Integer> windows,
      boolean cluster)
      throws Exception {
    List<Integer> loads =
        windows != null
            ? windows
            : quick ? Arrays.asList((Integer) null) : Arrays.asList(1, 4, null);
    List<Integer> counts = partitions != null ? partitions : quick ? List.of(2) : List.of(1, 2, 4);
    try (CpuCgroups cgroups = cluster ? CpuCgroups.open() : null) {
      new DemoBench(
              demoJar,
              agentJar,
              demo,
              counts,
              loads,
              reps > 0 ? reps : 1,
              DemoBench.Timing.of(quick, cluster),
              cluster ? EmulatedCluster.Shares.fromProperties(cgroups) : null)
          .run()
          .forEach(System.out::println);
    }
  }

  /**
   * Parses a comma-separated list of whole numbers of at least 1.
   *
   * @throws IllegalArgumentException naming {@code option} and the value
   */
  static List<Integer> counts(String option, String value) {
    List<Integer> counts = new ArrayList<>();
    try {
      for (String part : value.split(",")) {
        int n = Integer.parseInt(part.trim());
        if (n < 1) throw new NumberFormatException();
        counts.add(n);
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          option
              + " needs a comma-separated list of whole numbers of at least 1 (got '"
              + value
              + "')");
    }
    return counts;
  }

  /** Saves what the benchmarks printed as {@code DIR/bench-output.txt} and draws its plots. */
  private static void writePlots(Path dir, String output) throws IOException {
    Files.createDirectories(dir);
    Path saved = dir.resolve("bench-output.txt");
    Files.writeString(saved, output, StandardCharsets.UTF_8);
    System.err.println("compartment bench: output saved to " + saved);
    List<Path> written = BenchPlots.render(List.of(output.split("\\R")), dir);
    for (Path png : written) System.err.println("compartment bench: plot " + png);
    if (written.isEmpty()) {
      System.err.println(
          "compartment bench: nothing to plot (plots come from the demo and scaling"
              + " benchmarks)");
    }
  }

  private static OutputStream tee(OutputStream a, OutputStream b) {
    return new OutputStream() {
      @Override
      public void write(int c) throws IOException {
        a.write(c);
        b.write(c);
      }

      @Override
      public void write(byte[] bytes, int off, int len) throws IOException {
        a.write(bytes, off, len);
        b.write(bytes, off, len);
      }

      @Override
      public void flush() throws IOException {
        a.flush();
        b.flush();
      }
    };
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
    System.err.println(
        "usage: ./compartment bench NAME|all [--quick] [--reps N]"
            + " [--partitions LIST] [--windows LIST] [--cluster] [--plots DIR]");
    System.err.println("  benchmarks: " + String.join(", ", BENCHMARKS));
    System.err.println("  all       every benchmark, one after the other");
    System.err.println(
        "  plots --from FILE --out DIR   redraw the plots from a saved output (--plots above)");
    System.err.println("  --quick   short runs (all of them in a few minutes on 2 cores)");
    System.err.println(
        "  --plots DIR  save the output as DIR/bench-output.txt and draw its PNG plots there"
            + " (throughput against partitions, latency against throughput)");
    System.err.println(
        "  --reps N  repetitions of the live benchmarks (toggles, rounds of two worker kills,"
            + " timing blocks), and runs per configuration of the demo benchmarks and scaling,"
            + " instead of their defaults");
    System.err.println(
        "  DEMO      one of "
            + String.join(", ", DEMOS)
            + ": the monolith and the compartmentalized service side by side in each run,"
            + " throughput and p50/p99 latency; --partitions (default 1,2,4; quick 2),"
            + " --windows: requests outstanding per client (default 1,4 and the demo's own;"
            + " quick: its own), --cluster: on the emulated cluster");
    System.err.println(
        "  disk-fsync  forced 64-byte appends per second from 1, 2, 4.. writers at once: the"
            + " disk that every process of the emulated cluster shares");
    System.err.println(
        "  scaling   <demo>-p<N>-vs-monolith and -vs-bound on an emulated cluster: the service"
            + " and each worker capped at -Dcompartment.bench.cpus CPUs (default 0.2) with"
            + " cgroups, the clients at -Dcompartment.bench.client.cpus (0.6); needs a writable"
            + " cgroup cpu controller (root)");
  }
}
