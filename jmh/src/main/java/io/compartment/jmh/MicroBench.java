package io.compartment.jmh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code ./compartment bench micro [--quick]}: runs {@link TracingCostBench} in JMH forks in three
 * configurations (no agent; the agent at default settings, {@code sample=adaptive}; the agent with
 * {@code sample=all}), alternating the configurations' order from round to round, and prints one
 * JSON object per result, then the {@code RESULT} and {@code RATIO} lines of DESIGN section 7.
 * JMH's own progress goes to standard error.
 *
 * <p>The agent jar comes from {@code -Dcompartment.agent.jar}. {@code --quick}: one round of short
 * iterations; {@code --tiny}: the shortest run that still measures every configuration, for tests.
 * Exits 1 when a benchmark failed or a fork of an agent configuration was not traced.
 */
public final class MicroBench {
  static final List<String> CONFIGS = List.of("none", "adaptive", "all");

  private record Plan(
      String mode, int rounds, int warmups, int warmupMs, int measurements, int measurementMs) {}

  /** One benchmark in one configuration: its figures per round. */
  private static final class Cell {
    final String name;
    final String config;
    final String method;
    final int k;
    final List<Double> means = new ArrayList<>();
    final List<Double> p50s = new ArrayList<>();
    final List<Double> p99s = new ArrayList<>();
    final List<Long> samples = new ArrayList<>();
    final List<String> evidence = new ArrayList<>();

    Cell(String name, String config, String method, int k) {
      this.name = name;
      this.config = config;
      this.method = method;
      this.k = k;
    }

    /**
     * Nanoseconds per handler call: the median over rounds of the median batch. Not the mean: on a
     * shared machine a batch that the scheduler interrupts weighs more in the mean than the work.
     */
    double nanos() {
      return median(p50s);
    }
  }

  private MicroBench() {}

  public static void main(String[] args) throws Exception {
    Plan plan = new Plan("full", 3, 3, 1000, 4, 1000);
    for (String a : args) {
      switch (a) {
        case "--quick" -> plan = new Plan("quick", 1, 3, 300, 3, 300);
        case "--tiny" -> plan = new Plan("tiny", 1, 1, 100, 1, 200);
        case "-h", "--help" -> {
          System.err.println(
              "usage: java -Dcompartment.agent.jar=AGENT.jar -jar compartment-jmh.jar"
                  + " [--quick|--tiny]");
          return;
        }
        default -> {
          System.err.println("compartment-jmh: unexpected argument '" + a + "'");
          System.exit(2);
        }
      }
    }
    String agent = System.getProperty("compartment.agent.jar");
    if (agent == null || !Files.isRegularFile(Path.of(agent))) {
      System.err.println(
          "compartment-jmh: -Dcompartment.agent.jar must name the built agent jar (got "
              + agent
              + ")");
      System.exit(2);
    }
    try {
      run(plan, Path.of(agent).toAbsolutePath());
    } catch (Exception e) {
      System.err.println("compartment-jmh: failed: " + e.getMessage());
      System.exit(1);
    }
  }

  private static void run(Plan plan, Path agentJar) throws Exception {
    Map<String, Cell> cells = new LinkedHashMap<>();
    Path evidence = Files.createTempDirectory("compartment-jmh");
    try {
      for (int round = 0; round < plan.rounds(); round++) {
        for (int i = 0; i < CONFIGS.size(); i++) {
          String config = CONFIGS.get((i + round) % CONFIGS.size());
          System.err.printf(
              Locale.ROOT,
              "bench micro: round %d/%d, configuration %s%n",
              round + 1,
              plan.rounds(),
              config);
          Collection<RunResult> results = runConfig(plan, agentJar, config, evidence);
          List<String> lines = drain(evidence);
          for (RunResult rr : results) {
            String method = method(rr.getParams().getBenchmark());
            int k =
                rr.getParams().getParamsKeys().contains("k")
                    ? Integer.parseInt(rr.getParams().getParam("k"))
                    : 0;
            String name = name(method, k, config);
            Cell cell = cells.computeIfAbsent(name, n -> new Cell(n, config, method, k));
            Result<?> r = rr.getPrimaryResult();
            // JMH's figures are per invocation: a batch of handler calls
            double batch = batch(method);
            cell.means.add(r.getScore() / batch);
            cell.p50s.add(r.getStatistics().getPercentile(50) / batch);
            cell.p99s.add(r.getStatistics().getPercentile(99) / batch);
            cell.samples.add(r.getStatistics().getN());
            String key = "config=" + config + " method=" + method + " k=" + (k == 0 ? "-" : k);
            String found =
                lines.stream().filter(l -> l.startsWith(key + " ")).findFirst().orElse(null);
            if (found == null) {
              throw new IllegalStateException(
                  "no evidence line from the fork of " + name + " (expected '" + key + " ...')");
            }
            if (!config.equals("none") && !found.contains(" instrumented=true ")) {
              throw new IllegalStateException("the fork of " + name + " was not traced: " + found);
            }
            cell.evidence.add(found);
          }
        }
      }
    } finally {
      try (Stream<Path> files = Files.list(evidence)) {
        for (Path f : files.toList()) Files.deleteIfExists(f);
      }
      Files.deleteIfExists(evidence);
    }
    if (cells.size() != CONFIGS.size() * 5) {
      throw new IllegalStateException("expected 15 results, got " + cells.keySet());
    }
    print(plan, cells);
  }

  private static Collection<RunResult> runConfig(
      Plan plan, Path agentJar, String config, Path evidence) throws Exception {
    List<String> jvmArgs = new ArrayList<>();
    // set, not inherited: JMH otherwise hands the forks this JVM's own flags
    jvmArgs.add("-Xmx512m");
    jvmArgs.add("-D" + AgentCheck.CONFIG_PROPERTY + "=" + config);
    jvmArgs.add("-D" + AgentCheck.EVIDENCE_PROPERTY + "=" + evidence);
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(TracingCostBench.class.getName() + "\\.")
            .forks(1)
            .threads(1)
            .warmupIterations(plan.warmups())
            .warmupTime(TimeValue.milliseconds(plan.warmupMs()))
            .measurementIterations(plan.measurements())
            .measurementTime(TimeValue.milliseconds(plan.measurementMs()))
            .shouldFailOnError(true)
            .jvmArgs(jvmArgs.toArray(String[]::new));
    if (!config.equals("none")) {
      // quiet: no control endpoint, no report; default settings but for sample=all
      String opts = "control=off" + (config.equals("all") ? ",sample=all" : "");
      options = options.jvmArgsAppend("-javaagent:" + agentJar + "=" + opts);
    }
    Runner runner =
        new Runner(
            options.build(),
            OutputFormatFactory.createFormatInstance(System.err, VerboseMode.NORMAL));
    return runner.run();
  }

  private static List<String> drain(Path evidence) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(evidence)) {
      for (Path f : files.sorted().toList()) {
        lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
        Files.delete(f);
      }
    }
    return lines;
  }

  private static int batch(String method) {
    return method.equals("access") ? TracingCostBench.ACCESS_CALLS : TracingCostBench.CALLS;
  }

  private static String method(String benchmark) {
    return benchmark.substring(benchmark.lastIndexOf('.') + 1);
  }

  static String name(String method, int k, String config) {
    return switch (method) {
      case "stateless" -> "micro-call-" + config;
      case "oneField" -> "micro-call-state-" + config;
      case "access" -> "micro-access-k" + k + "-" + config;
      default -> throw new IllegalStateException("unknown benchmark method " + method);
    };
  }

  private static void print(Plan plan, Map<String, Cell> cells) {
    for (Cell c : cells.values()) {
      String[] ev = c.evidence.get(c.evidence.size() - 1).split(" ");
      System.out.printf(
          Locale.ROOT,
          "{\"benchmark\":\"micro\",\"name\":\"%s\",\"config\":\"%s\",\"handler\":\"%s\","
              + "\"k\":%d,\"p50_ns_per_call\":%s,\"p99_ns_per_call\":%s,"
              + "\"round_p50s_ns\":[%s],\"round_means_ns\":[%s],\"samples\":%d,\"traced\":%s,"
              + "\"handler_calls\":%s,\"sample_mask_at_end\":%s}%n",
          c.name,
          c.config,
          c.method,
          c.k,
          fmt(c.nanos()),
          fmt(median(c.p99s)),
          list(c.p50s),
          list(c.means),
          c.samples.stream().mapToLong(Long::longValue).sum(),
          field(ev, "instrumented"),
          field(ev, "invocations"),
          field(ev, "sample_mask"));
    }
    Map<String, Double> slopes = new LinkedHashMap<>();
    for (String config : CONFIGS) {
      Cell lo = cells.get(name("access", 1, config));
      Cell hi = cells.get(name("access", 64, config));
      slopes.put(config, (hi.nanos() - lo.nanos()) / (64 - 1));
    }
    System.out.printf(
        Locale.ROOT,
        "{\"benchmark\":\"micro\",\"mode\":\"%s\",\"rounds\":%d,\"warmup\":\"%dx%d ms\","
            + "\"measurement\":\"%dx%d ms\",\"calls_per_invocation\":%d,"
            + "\"access_calls_per_invocation\":%d,\"ns_per_access\":{%s}}%n",
        plan.mode(),
        plan.rounds(),
        plan.warmups(),
        plan.warmupMs(),
        plan.measurements(),
        plan.measurementMs(),
        TracingCostBench.CALLS,
        TracingCostBench.ACCESS_CALLS,
        String.join(
            ",",
            slopes.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":" + fmt(e.getValue()))
                .toList()));
    for (Cell c : cells.values()) {
      System.out.printf(
          Locale.ROOT,
          "RESULT name=%s ops_per_s=%.0f p50_us=%.5f p99_us=%.5f%n",
          c.name,
          1e9 / c.nanos(),
          c.nanos() / 1e3,
          median(c.p99s) / 1e3);
    }
    for (String config : List.of("adaptive", "all")) {
      ratio(
          "micro-call-" + config + "-vs-none",
          cells.get(name("stateless", 0, "none")).nanos()
              / cells.get(name("stateless", 0, config)).nanos());
      ratio(
          "micro-call-state-" + config + "-vs-none",
          cells.get(name("oneField", 0, "none")).nanos()
              / cells.get(name("oneField", 0, config)).nanos());
    }
    for (String config : List.of("adaptive", "all")) {
      ratio(
          "micro-tracing-ns-per-call-" + config,
          cells.get(name("stateless", 0, config)).nanos()
              - cells.get(name("stateless", 0, "none")).nanos());
    }
    for (String config : CONFIGS) ratio("micro-ns-per-access-" + config, slopes.get(config));
  }

  private static void ratio(String name, double value) {
    // four significant digits: the ratios against no agent can be far below 0.001
    String shown =
        Double.isFinite(value) && Math.abs(value) < 1
            ? new java.math.BigDecimal(value)
                .round(new java.math.MathContext(4))
                .stripTrailingZeros()
                .toPlainString()
            : String.format(Locale.ROOT, "%.3f", value);
    System.out.println("RATIO name=" + name + " value=" + shown);
  }

  private static String field(String[] evidence, String key) {
    for (String part : evidence) {
      if (part.startsWith(key + "=")) return part.substring(key.length() + 1);
    }
    return "null";
  }

  private static String list(List<Double> values) {
    return String.join(",", values.stream().map(MicroBench::fmt).toList());
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) return Double.NaN;
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
