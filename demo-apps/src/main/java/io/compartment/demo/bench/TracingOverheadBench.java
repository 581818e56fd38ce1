package io.compartment.demo.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code tracing-vs-none}: the KV demo's handler throughput with the agent tracing at its default
 * settings, against the same driver without the agent, in one invocation. Each round runs both
 * sides as fresh child JVMs, alternating which goes first; each side's figure is the median of its
 * rounds' medians, and the ratio is of those medians.
 */
final class TracingOverheadBench {
  private final Path demoJar;
  private final Path agentJar;
  private final int rounds;
  private final int iterations;

  TracingOverheadBench(Path demoJar, Path agentJar, boolean quick) {
    this.demoJar = demoJar;
    this.agentJar = agentJar;
    this.rounds = quick ? 3 : 7;
    this.iterations = quick ? 6 : 12;
  }

  void run() throws Exception {
    List<Double> none = new ArrayList<>();
    List<Double> traced = new ArrayList<>();
    List<Double> noneNanosPerOp = new ArrayList<>();
    List<Double> tracedNanosPerOp = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      boolean agentFirst = round % 2 == 1;
      for (int side = 0; side < 2; side++) {
        boolean withAgent = (side == 0) == agentFirst;
        List<Double> iterations = measure(withAgent);
        double median = Stats.median(iterations);
        (withAgent ? traced : none).add(median);
        for (double opsPerSecond : iterations) {
          (withAgent ? tracedNanosPerOp : noneNanosPerOp).add(1e9 / opsPerSecond);
        }
        System.err.printf(
            Locale.ROOT,
            "bench tracing-vs-none: round %d/%d %s %.0f ops/s%n",
            round + 1,
            rounds,
            withAgent ? "agent" : "none",
            median);
      }
    }
    print("kv-handlers-none", none, noneNanosPerOp);
    print("kv-handlers-tracing", traced, tracedNanosPerOp);
    double ratio = Stats.median(traced) / Stats.median(none);
    System.out.printf(
        Locale.ROOT,
        "{\"benchmark\":\"tracing-vs-none\",\"ratio\":%.4f,"
            + "\"rounds\":%d,\"iterationsPerRun\":%d}%n",
        ratio,
        rounds,
        iterations);
    System.out.printf(
        Locale.ROOT,
        "RESULT name=kv-handlers-none ops_per_s=%.0f p50_us=%.4f" + " p99_us=%.4f%n",
        Stats.median(none),
        Stats.median(noneNanosPerOp) / 1e3,
        Stats.percentile(noneNanosPerOp, 99) / 1e3);
    System.out.printf(
        Locale.ROOT,
        "RESULT name=kv-handlers-tracing ops_per_s=%.0f p50_us=%.4f" + " p99_us=%.4f%n",
        Stats.median(traced),
        Stats.median(tracedNanosPerOp) / 1e3,
        Stats.percentile(tracedNanosPerOp, 99) / 1e3);
    System.out.printf(Locale.ROOT, "RATIO name=tracing-vs-none value=%.3f%n", ratio);
  }

  private void print(String name, List<Double> medians, List<Double> nanosPerOp) {
    StringBuilder sb = new StringBuilder();
    for (double m : medians) sb.append(sb.length() == 0 ? "" : ",").append(Math.round(m));
    System.out.printf(
        Locale.ROOT,
        "{\"benchmark\":\"tracing-vs-none\",\"config\":\"%s\","
            + "\"ops_per_s\":%.0f,\"round_medians\":[%s],\"p50_ns_per_op\":%.1f}%n",
        name,
        Stats.median(medians),
        sb,
        Stats.median(nanosPerOp));
  }

  private List<Double> measure(boolean withAgent) throws Exception {
    ChildJvm.Output out =
        ChildJvm.run(
            demoJar,
            withAgent ? agentJar : null,
            "",
            "io.compartment.demo.kv.KvThroughput",
            List.of(
                "--seconds", "1", "--iterations", Integer.toString(iterations), "--warmup", "2"),
            iterations * 10L + 60);
    List<Double> iterations = new ArrayList<>();
    for (String line : out.lines()) {
      if (line.startsWith("ITERATION ")) {
        iterations.add(Double.parseDouble(value(line, "ops_per_s")));
      }
    }
    if (out.exitCode() != 0 || iterations.isEmpty()) {
      throw new IllegalStateException(
          "KvThroughput "
              + (withAgent ? "with" : "without")
              + " the agent failed (exit "
              + out.exitCode()
              + "): "
              + String.join("\n", out.lines()));
    }
    // two warm-up seconds (JIT, and with the agent the first recorded calls before sampling
    // thins out) are not measured: the steady state is what a long-running service sees
    return iterations;
  }

  static String value(String line, String key) {
    for (String part : line.split("\\s+")) {
      if (part.startsWith(key + "=")) return part.substring(key.length() + 1);
    }
    throw new IllegalArgumentException("no " + key + "= in: " + line);
  }
}
