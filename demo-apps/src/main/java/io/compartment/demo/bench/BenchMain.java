package io.compartment.demo.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./compartment bench NAME|all [--quick]}: runs benchmarks and prints one JSON object per
 * result, then the {@code RESULT} and {@code RATIO} lines of DESIGN section 7.
 */
public final class BenchMain {
  private static final List<String> BENCHMARKS = List.of("tracing-vs-none");

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    String name = null;
    boolean quick = false;
    for (String a : args) {
      switch (a) {
        case "--quick" -> quick = true;
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
    new TracingOverheadBench(demoJar, agentJar, quick).run();
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
    System.err.println("usage: ./compartment bench NAME|all [--quick]");
    System.err.println("  benchmarks: " + String.join(", ", BENCHMARKS));
    System.err.println("  --quick   short runs (all of them in a few minutes on 2 cores)");
    System.err.println(
        "  Live routing benchmarks (routed-rtt-vs-aeron-rtt, <demo>-p<N>-vs-monolith,"
            + " toggle-pause-ms-100k, worker-restart-ms) are not built yet;"
            + " the demos print their live figures.");
  }
}
