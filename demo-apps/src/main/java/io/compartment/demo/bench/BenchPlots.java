package io.compartment.demo.bench;

import java.awt.Color;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * PNG plots of a benchmark run's JSON lines (DESIGN section 7): for each demo measured by the
 * {@code demo} benchmark, {@code throughput-<demo>.png} (ops/s against partitions per compartment:
 * compartmentalized, the monolith, and the model's bound) and {@code latency-<demo>.png} (p50 and
 * p99 against throughput, one point per client count, per configuration); for each demo of the
 * {@code scaling} benchmark, {@code throughput-<demo>-cluster.png}. Other lines (RESULT, RATIO,
 * other benchmarks, log text) are ignored.
 *
 * <p>Every figure is a median over repetitions. Where a configuration was measured at several
 * client counts, its throughput is that of the client count with the highest median: the peak.
 *
 * <p>{@code java -cp compartment.demo.jar io.compartment.demo.bench.BenchPlots [--from FILE] [--out
 * DIR]} reads a saved bench output (standard input without {@code --from}) and writes the plots
 * into {@code DIR} (default {@code bench-plots}).
 */
public final class BenchPlots {
  static final String DEFAULT_OUT = "bench-plots";

  private static final Color COMPARTMENTALIZED = LinePlot.color(0);
  private static final Color MONOLITH = LinePlot.color(1);
  private static final Color BOUND = LinePlot.color(2);

  private BenchPlots() {}

  /** Writes the plots of {@code jsonLines} into {@code outDir}; returns the files written. */
  static List<Path> render(List<String> jsonLines, Path outDir) throws IOException {
    Map<String, LinePlot> plots = plots(jsonLines);
    List<Path> written = new ArrayList<>();
    if (plots.isEmpty()) return written;
    Files.createDirectories(outDir);
    for (Map.Entry<String, LinePlot> e : plots.entrySet()) {
      Path file = outDir.resolve(e.getKey());
      e.getValue().write(file);
      written.add(file);
    }
    return written;
  }

  /** The plots of {@code jsonLines} by file name, in the order they are written. */
  static Map<String, LinePlot> plots(List<String> jsonLines) {
    Map<String, List<Map<String, Object>>> demo = new TreeMap<>();
    Map<String, List<Map<String, Object>>> scaling = new TreeMap<>();
    for (String line : jsonLines) {
      Map<String, Object> r = record(line);
      if (r == null || !(r.get("demo") instanceof String name)) continue;
      Object benchmark = r.get("benchmark");
      if ("demo".equals(benchmark)) {
        String key = name + (Boolean.TRUE.equals(r.get("cluster")) ? "-cluster" : "");
        demo.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
      } else if ("scaling".equals(benchmark)) {
        scaling.computeIfAbsent(name, k -> new ArrayList<>()).add(r);
      }
    }
    Map<String, LinePlot> plots = new LinkedHashMap<>();
    for (Map.Entry<String, List<Map<String, Object>>> e : demo.entrySet()) {
      List<Map<String, Object>> records = e.getValue();
      String name = (String) records.get(0).get("demo");
      String where =
          Boolean.TRUE.equals(records.get(0).get("cluster")) ? "emulated cluster" : "one machine";
      plots.put(
          "throughput-" + fileName(e.getKey()) + ".png", demoThroughput(name, where, records));
      LinePlot latency = latency(name, where, records);
      if (latency != null) plots.put("latency-" + fileName(e.getKey()) + ".png", latency);
    }
    for (Map.Entry<String, List<Map<String, Object>>> e : scaling.entrySet()) {
      String file = "throughput-" + fileName(e.getKey()) + "-cluster.png";
      // a demo benchmark run on the emulated cluster took this name already
      if (plots.containsKey(file)) file = file.replace(".png", "-scaling.png");
      plots.put(file, scalingThroughput(e.getKey(), e.getValue()));
    }
    return plots;
  }

  private static Map<String, Object> record(String line) {
    String t = line.strip();
    if (!t.startsWith("{")) return null;
    try {
      return MiniJson.object(MiniJson.parse(t));
    } catch (IllegalArgumentException | ClassCastException e) {
      return null;
    }
  }

  private static String fileName(String s) {
    return s.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static double num(Map<String, Object> r, String key) {
    return r.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private static double median(List<Map<String, Object>> records, String key) {
    List<Double> values = new ArrayList<>();
    for (Map<String, Object> r : records) {
      double v = num(r, key);
      if (!Double.isNaN(v)) values.add(v);
    }
    return Stats.median(values);
  }

  private static <K extends Comparable<K>> TreeMap<K, List<Map<String, Object>>> by(
      List<Map<String, Object>> records, java.util.function.Function<Map<String, Object>, K> key) {
    return records.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.toList()));
  }

  /** The peak over client counts of the median over repetitions of {@code key}. */
  private static double peak(List<Map<String, Object>> records, String key) {
    double best = Double.NaN;
    for (List<Map<String, Object>> atClients : by(records, r -> num(r, "clients")).values()) {
      double m = median(atClients, key);
      if (!Double.isNaN(m) && !(m <= best)) best = m;
    }
    return best;
  }

  private static boolean isMonolith(Map<String, Object> r) {
    return "monolith".equals(r.get("config")) || num(r, "partitions") == 0;
  }

  private static LinePlot demoThroughput(
      String demo, String where, List<Map<String, Object>> records) {
    List<Map<String, Object>> monolith = records.stream().filter(BenchPlots::isMonolith).toList();
    List<Map<String, Object>> split =
        records.stream().filter(r -> !isMonolith(r) && num(r, "partitions") > 0).toList();
    return throughputPlot(
        demo + ": throughput vs partitions (" + where + ")",
        by(split, r -> num(r, "partitions")),
        runs -> peak(runs, "ops_per_s"),
        peak(monolith, "ops_per_s"));
  }

  private static LinePlot scalingThroughput(String demo, List<Map<String, Object>> records) {
    TreeMap<Double, List<Map<String, Object>>> byPartitions =
        by(records, r -> num(r, "partitions"));
    byPartitions.remove(Double.NaN);
    return throughputPlot(
        demo + ": throughput vs partitions (emulated cluster)",
        byPartitions,
        runs -> median(runs, "compartmentalized_ops_per_s"),
        median(records, "monolith_ops_per_s"));
  }

  /**
   * The throughput plot of runs grouped by partition count: {@code ops} of each group, the
   * monolith, and the bound ({@code monolithOps} times the group's median {@code bound}).
   */
  private static LinePlot throughputPlot(
      String title,
      TreeMap<Double, List<Map<String, Object>>> byPartitions,
      ToDoubleFunction<List<Map<String, Object>>> ops,
      double monolithOps) {
    int n = byPartitions.size();
    double[] xs = new double[n];
    double[] ys = new double[n];
    double[] bound = new double[n];
    int i = 0;
    for (Map.Entry<Double, List<Map<String, Object>>> e : byPartitions.entrySet()) {
      xs[i] = e.getKey();
      ys[i] = ops.applyAsDouble(e.getValue());
      bound[i] = monolithOps * median(e.getValue(), "bound");
      i++;
    }
    return throughputPlot(title, xs, ys, monolithOps, bound);
  }

  private static LinePlot throughputPlot(
      String title, double[] xs, double[] ops, double monolithOps, double[] bound) {
    LinePlot plot =
        new LinePlot(title, "partitions per compartment", "throughput (ops/s)")
            .zeroY(true)
            .integerX(true);
    plot.add("compartmentalized", COMPARTMENTALIZED, false, LinePlot.Marker.CIRCLE, xs, ops);
    plot.addHorizontal("monolith", MONOLITH, false, monolithOps);
    boolean anyBound = false;
    for (double b : bound) anyBound |= Double.isFinite(b);
    if (anyBound) plot.add("model bound", BOUND, true, LinePlot.Marker.TRIANGLE, xs, bound);
    return plot;
  }

  /** p50 (solid) and p99 (dashed) against throughput per configuration; null without latencies. */
  private static LinePlot latency(String demo, String where, List<Map<String, Object>> records) {
    TreeMap<String, List<Map<String, Object>>> byConfig =
        new TreeMap<>(
            Comparator.comparing((String c) -> !c.equals("monolith"))
                .thenComparingDouble(BenchPlots::partitionsOf)
                .thenComparing(Comparator.naturalOrder()));
    for (Map<String, Object> r : records) {
      String config =
          r.get("config") instanceof String s
              ? s
              : isMonolith(r) ? "monolith" : "p" + (long) num(r, "partitions");
      byConfig.computeIfAbsent(config, k -> new ArrayList<>()).add(r);
    }
    double lo = Double.POSITIVE_INFINITY, hi = 0;
    List<Object[]> series = new ArrayList<>();
    int index = 0;
    for (Map.Entry<String, List<Map<String, Object>>> e : byConfig.entrySet()) {
      TreeMap<Double, List<Map<String, Object>>> byClients =
          by(e.getValue(), r -> num(r, "clients"));
      int n = byClients.size();
      double[] xs = new double[n];
      double[] p50 = new double[n];
      double[] p99 = new double[n];
      int i = 0;
      for (List<Map<String, Object>> rs : byClients.values()) {
        xs[i] = median(rs, "ops_per_s");
        p50[i] = median(rs, "p50_us");
        p99[i] = median(rs, "p99_us");
        for (double v : new double[] {p50[i], p99[i]}) {
          if (v > 0 && Double.isFinite(v)) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
          }
        }
        i++;
      }
      series.add(new Object[] {e.getKey(), index++, xs, p50, p99});
    }
    if (hi == 0) return null;
    LinePlot plot =
        new LinePlot(
                demo + ": latency vs throughput (" + where + ")",
                "throughput (ops/s)",
                "latency (µs)")
            .zeroX(true)
            // p99 far above p50: both legible on a log axis
            .logY(hi / lo > 30)
            .zeroY(hi / lo <= 30);
    for (Object[] s : series) {
      int i = (int) s[1];
      Color c = LinePlot.color(i);
      LinePlot.Marker m = LinePlot.marker(i);
      plot.add(s[0] + " p50", c, false, m, (double[]) s[2], (double[]) s[3]);
      plot.add(s[0] + " p99", c, true, m, (double[]) s[2], (double[]) s[4]);
    }
    return plot;
  }

  private static double partitionsOf(String config) {
    if (config.matches("p\\d+")) return Double.parseDouble(config.substring(1));
    return config.equals("monolith") ? 0 : Double.MAX_VALUE;
  }

  // ---------------------------------------------------------------------------------------------

  public static void main(String[] args) {
    int status = run(args, System.in, System.out, System.err);
    if (status != 0) System.exit(status);
  }

  /** {@link #main}, with its streams given; returns the exit status. */
  static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
    Path from = null;
    Path outDir = Path.of(DEFAULT_OUT);
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--from", "--out" -> {
          if (i + 1 >= args.length) {
            err.println("bench plots: " + a + " needs a value");
            usage(err);
            return 2;
          }
          Path p = Path.of(args[++i]);
          if (a.equals("--from")) from = p;
          else outDir = p;
        }
        case "-h", "--help" -> {
          usage(out);
          return 0;
        }
        default -> {
          err.println("bench plots: unexpected argument '" + a + "'");
          usage(err);
          return 2;
        }
      }
    }
    String source = from == null ? "standard input" : from.toString();
    List<String> lines;
    try {
      if (from == null) {
        lines =
            new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))
                .lines()
                .toList();
      } else {
        lines = Files.readAllLines(from, StandardCharsets.UTF_8);
      }
    } catch (NoSuchFileException e) {
      err.println("bench plots: no such file: " + source);
      return 2;
    } catch (IOException | java.io.UncheckedIOException e) {
      err.println("bench plots: cannot read " + source + ": " + e.getMessage());
      return 2;
    }
    try {
      List<Path> written = render(lines, outDir);
      if (written.isEmpty()) {
        err.println(
            "bench plots: "
                + source
                + " has no records to plot (JSON lines of the 'demo' or 'scaling' benchmark)");
        return 1;
      }
      written.forEach(p -> out.println(p));
      return 0;
    } catch (IOException e) {
      err.println("bench plots: cannot write the plots into " + outDir + ": " + e.getMessage());
      return 1;
    }
  }

  private static void usage(PrintStream s) {
    s.println("usage: BenchPlots [--from FILE] [--out DIR]");
    s.println("  --from FILE  a saved './compartment bench' output (default: standard input)");
    s.println("  --out DIR    where the PNG files go (default: " + DEFAULT_OUT + ")");
  }
}
