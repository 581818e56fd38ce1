package io.compartment.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchPlotsTest {

  private static final List<String> SAMPLE =
      List.of(
          "bench scaling: emulated cluster on /sys/fs/cgroup ...",
          demo("kv", "monolith", 0, 8, 1, 50_000, 120, 900, null),
          demo("kv", "monolith", 0, 8, 2, 52_000, 118, 880, null),
          demo("kv", "monolith", 0, 8, 3, 51_000, 125, 950, null),
          demo("kv", "monolith", 0, 16, 1, 60_000, 200, 1500, null),
          demo("kv", "p2", 2, 8, 1, 70_000, 140, 1000, 1.6),
          demo("kv", "p2", 2, 8, 2, 90_000, 150, 1100, 1.6),
          demo("kv", "p2", 2, 8, 3, 80_000, 145, 1050, 1.6),
          demo("kv", "p2", 2, 16, 1, 95_000, 250, 2000, 1.6),
          demo("kv", "p4", 4, 8, 1, 110_000, 160, 1200, 2.4),
          demo("kv", "p4", 4, 16, 1, 120_000, 260, 2400, 2.4),
          scaling("multipaxos", 1, 1, 120, 118, 1.0),
          scaling("multipaxos", 2, 1, 125, 210, 1.57),
          scaling("multipaxos", 2, 2, 115, 190, 1.57),
          scaling("multipaxos", 4, 1, 121, 300, 2.5),
          "{\"benchmark\":\"toggle-pause-ms-100k\",\"demo\":\"kv\",\"pause_ms\":12}",
          "{\"benchmark\":\"demo\",\"demo\":",
          "[1,2,3]",
          "RESULT name=multipaxos-p2 ops_per_s=200 p50_us=- p99_us=-",
          "RATIO name=multipaxos-p2-vs-monolith value=1.600");

  @Test
  void writesThroughputAndLatencyPerDemoAndAClusterThroughputPerScalingDemo(@TempDir Path dir)
      throws Exception {
    List<Path> written = BenchPlots.render(SAMPLE, dir.resolve("out"));

    assertThat(written)
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "throughput-kv.png", "latency-kv.png", "throughput-multipaxos-cluster.png");
    for (Path p : written) {
      assertThat(p).isRegularFile().hasParent(dir.resolve("out"));
      BufferedImage image = ImageIO.read(p.toFile());
      assertThat(image.getWidth()).isEqualTo(LinePlot.WIDTH);
      assertThat(image.getHeight()).isEqualTo(LinePlot.HEIGHT);
      for (Color c : List.of(LinePlot.color(0), LinePlot.color(1), LinePlot.color(2))) {
        assertThat(colourPixels(image, c)).as("%s in %s", c, p).isGreaterThan(20);
      }
    }
  }

  @Test
  void throughputIsTheMedianOverRepsAtTheBusiestClientCountWithTheMonolithTimesTheBound() {
    LinePlot plot = BenchPlots.plots(SAMPLE).get("throughput-kv.png");

    assertThat(plot.title()).isEqualTo("kv: throughput vs partitions (one machine)");
    List<LinePlot.Series> series = plot.series();
    assertThat(series)
        .extracting(LinePlot.Series::name)
        .containsExactly("compartmentalized", "monolith", "model bound");
    assertThat(series.get(0).xs()).containsExactly(2, 4);
    // p2: median of 70k, 90k, 80k at 8 clients is 80k; 95k at 16 clients is the peak
    assertThat(series.get(0).ys()).containsExactly(95_000, 120_000);
    assertThat(series.get(1).horizontal()).isTrue();
    assertThat(series.get(1).ys()).containsExactly(60_000);
    assertThat(series.get(2).dashed()).isTrue();
    assertThat(series.get(2).ys()).containsExactly(60_000 * 1.6, 60_000 * 2.4);
  }

  @Test
  void latencyHasASolidP50AndADashedP99PerConfigurationOrderedByClients() {
    LinePlot plot = BenchPlots.plots(SAMPLE).get("latency-kv.png");

    List<LinePlot.Series> series = plot.series();
    assertThat(series)
        .extracting(LinePlot.Series::name)
        .containsExactly("monolith p50", "monolith p99", "p2 p50", "p2 p99", "p4 p50", "p4 p99");
    assertThat(series.get(0).dashed()).isFalse();
    assertThat(series.get(1).dashed()).isTrue();
    assertThat(series.get(1).color()).isEqualTo(series.get(0).color());
    assertThat(series.get(2).color()).isNotEqualTo(series.get(0).color());
    assertThat(series.get(0).xs()).containsExactly(51_000, 60_000);
    assertThat(series.get(0).ys()).containsExactly(120, 200);
    assertThat(series.get(1).ys()).containsExactly(900, 1500);
  }

  @Test
  void clusterThroughputComesFromTheScalingRecords() {
    LinePlot plot = BenchPlots.plots(SAMPLE).get("throughput-multipaxos-cluster.png");

    assertThat(plot.title()).isEqualTo("multipaxos: throughput vs partitions (emulated cluster)");
    List<LinePlot.Series> series = plot.series();
    assertThat(series.get(0).xs()).containsExactly(1, 2, 4);
    assertThat(series.get(0).ys()).containsExactly(118, 190, 300);
    // the monolith's median over all four runs (nearest rank: the lower middle one)
    assertThat(series.get(1).ys()).containsExactly(120);
    assertThat(series.get(2).ys()).containsExactly(120, 120 * 1.57, 120 * 2.5);
  }

  @Test
  void writesNothingForLinesWithoutRecords(@TempDir Path dir) throws Exception {
    assertThat(BenchPlots.render(List.of("RESULT name=x ops_per_s=1", "{}", "nope"), dir))
        .isEmpty();
    assertThat(BenchPlots.plots(List.of(SAMPLE.get(15)))).isEmpty();
  }

  @Test
  void mainReadsAFileAndPrintsThePlotsWritten(@TempDir Path dir) throws Exception {
    Path bench = dir.resolve("bench.txt");
    Files.write(bench, SAMPLE);
    Run r = main(null, "--from", bench.toString(), "--out", dir.resolve("plots").toString());

    assertThat(r.status).isZero();
    assertThat(r.out.lines()).hasSize(3).allMatch(l -> l.endsWith(".png"));
    assertThat(dir.resolve("plots/latency-kv.png")).isRegularFile();
  }

  @Test
  void mainReadsStandardInputWithoutFrom(@TempDir Path dir) {
    Run r = main(String.join("\n", SAMPLE.subList(11, 15)), "--out", dir.toString());

    assertThat(r.status).isZero();
    assertThat(dir.resolve("throughput-multipaxos-cluster.png")).isRegularFile();
  }

  @Test
  void mainNamesAMissingFile(@TempDir Path dir) {
    Path missing = dir.resolve("missing.txt");
    Run r = main(null, "--from", missing.toString(), "--out", dir.toString());

    assertThat(r.status).isEqualTo(2);
    assertThat(r.err).contains("no such file: " + missing);
  }

  @Test
  void mainNamesAFileWithNoRecords(@TempDir Path dir) throws Exception {
    Path bench = dir.resolve("empty-bench.txt");
    Files.writeString(bench, "RATIO name=tracing-vs-none value=0.9\n");
    Run r = main(null, "--from", bench.toString(), "--out", dir.resolve("plots").toString());

    assertThat(r.status).isEqualTo(1);
    assertThat(r.err).contains(bench.toString()).contains("no records to plot");
    assertThat(dir.resolve("plots")).doesNotExist();
  }

  @Test
  void mainRejectsAnUnknownArgument() {
    Run r = main(null, "--form", "x");

    assertThat(r.status).isEqualTo(2);
    assertThat(r.err).contains("unexpected argument '--form'").contains("usage:");
  }

  // ---------------------------------------------------------------------------------------------

  private record Run(int status, String out, String err) {}

  private static Run main(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        BenchPlots.run(
            args,
            new ByteArrayInputStream((stdin == null ? "" : stdin).getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static String demo(
      String demo,
      String config,
      int partitions,
      int clients,
      int rep,
      double ops,
      double p50,
      double p99,
      Double bound) {
    return String.format(
        java.util.Locale.ROOT,
        "{\"benchmark\":\"demo\",\"demo\":\"%s\",\"config\":\"%s\",\"partitions\":%d,"
            + "\"clients\":%d,\"rep\":%d,\"ops_per_s\":%.0f,\"p50_us\":%.1f,\"p99_us\":%.1f,"
            + "\"cluster\":false%s}",
        demo,
        config,
        partitions,
        clients,
        rep,
        ops,
        p50,
        p99,
        bound == null ? "" : ",\"bound\":" + bound);
  }

  private static String scaling(
      String demo, int partitions, int rep, double monolith, double split, double bound) {
    return String.format(
        java.util.Locale.ROOT,
        "{\"benchmark\":\"scaling\",\"demo\":\"%s\",\"partitions\":%d,\"rep\":%d,"
            + "\"monolith_ops_per_s\":%.0f,\"compartmentalized_ops_per_s\":%.0f,"
            + "\"bound\":%.3f,\"pause_ms\":12.0,\"processes\":3,\"cpus_per_process\":0.20}",
        demo,
        partitions,
        rep,
        monolith,
        split,
        bound);
  }

  private static int colourPixels(BufferedImage image, Color c) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if (LinePlotTest.isNear(image.getRGB(x, y), c)) n++;
      }
    }
    return n;
  }
}
