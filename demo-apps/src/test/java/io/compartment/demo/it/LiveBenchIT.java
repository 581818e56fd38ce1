package io.compartment.demo.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each live-routing benchmark, shortened to one repetition, runs end to end through {@code
 * BenchMain} (the entry of {@code ./compartment bench}) against the real agent jar: its service
 * JVM, worker JVMs, toggles, kills and routed calls. Only the shape of what it prints is checked
 * (well-formed RESULT and RATIO lines with positive figures), never a figure against a target: the
 * machine is shared and noisy.
 */
class LiveBenchIT {
  private static final Pattern RESULT =
      Pattern.compile(
          "^RESULT name=(\\S+) ops_per_s=([0-9.]+) p50_us=([0-9.]+) p99_us=([0-9.]+)$",
          Pattern.MULTILINE);
  private static final Pattern RATIO =
      Pattern.compile("^RATIO name=(\\S+) value=([0-9.]+)$", Pattern.MULTILINE);

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"toggle-pause-ms-100k", "worker-restart-ms", "routed-rtt-vs-aeron-rtt"})
  void aQuickRunPrintsWellFormedResultsAndItsRatio(String bench) throws Exception {
    Path log = dir.resolve(bench + ".log");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dcompartment.agent.jar=" + DemoRun.agentJar(),
                "-Dcompartment.demo.jar=" + DemoRun.demoJar(),
                "-cp",
                DemoRun.demoJar().toString(),
                "io.compartment.demo.bench.BenchMain",
                bench,
                "--quick",
                "--reps",
                "1")
            .redirectOutput(log.toFile())
            .redirectError(dir.resolve(bench + ".err").toFile())
            .start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(bench + " did not finish in 300 s: " + both(bench));
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(both(bench)).isZero();

    Matcher ratio = RATIO.matcher(out);
    assertThat(ratio.find()).as(both(bench)).isTrue();
    assertThat(ratio.group(1)).isEqualTo(bench);
    assertThat(Double.parseDouble(ratio.group(2))).as(out).isPositive();
    assertThat(ratio.find()).as("one RATIO line").isFalse();

    Matcher result = RESULT.matcher(out);
    int results = 0;
    while (result.find()) {
      results++;
      for (int g = 2; g <= 4; g++) {
        assertThat(Double.parseDouble(result.group(g))).as(result.group()).isPositive();
      }
    }
    assertThat(results).as(out).isPositive();
    // the JSON objects come first, one per line
    List<String> json = out.lines().filter(l -> l.startsWith("{")).toList();
    assertThat(json).as(out).isNotEmpty();
    assertThat(json).allSatisfy(l -> assertThat(l).endsWith("}").contains("\"benchmark\""));
  }

  private String both(String bench) throws Exception {
    return Files.readString(dir.resolve(bench + ".log"))
        + "\n--- stderr ---\n"
        + Files.readString(dir.resolve(bench + ".err"));
  }
}
