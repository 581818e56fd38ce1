package io.compartment.demo.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each demo under the real agent jar, its clients in a second JVM over Aeron IPC, enables its
 * inferred plan while the clients keep the load on (real worker JVMs, Chronicle Map files), runs
 * compartmentalized, disables it again, and its end-to-end check of every acknowledged request
 * still passes.
 *
 * <p>For the demos whose answers depend on the request alone (KV: each client has its own keys;
 * voting: voters keep no state), the same seeded workload also runs through the monolith, in one
 * JVM, and every answer of the toggled run must equal the monolith's answer to the same request.
 * MultiPaxos, 2PC and BFT answers depend on how the clients' requests interleave (shared keys,
 * accounts and counters), so for them the end-to-end check is the comparison.
 */
class DemoLiveIT {
  private static final Pattern RESULT =
      Pattern.compile(
          "DEMO_RESULT name=(\\S+) correct=true ops=(\\d+) .*monolith_ops_per_s=(\\d+)"
              + " compartmentalized_ops_per_s=(\\d+) pause_ms=([0-9.]+)");

  private static final Pattern LATENCY =
      Pattern.compile(
          "monolith_p50_us=([0-9.]+) monolith_p99_us=([0-9.]+)"
              + " compartmentalized_p50_us=([0-9.]+) compartmentalized_p99_us=([0-9.]+)");

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"twopc", "kv", "voting", "multipaxos", "bft"})
  void theDemoEnablesItsInferredPlanUnderLoadAndStaysCorrect(String demo) throws Exception {
    boolean differential = demo.equals("kv") || demo.equals("voting");
    Path answers = dir.resolve(demo + "-toggled.answers");
    DemoRun run =
        DemoRun.run(
            dir,
            demo,
            List.of(
                "-Dcompartment.demo.window.s=1",
                differential ? "-Dcompartment.demo.answers=" + answers : "-Dunused=1"),
            List.of("--duration", "3"));

    Matcher m = RESULT.matcher(run.output);
    assertThat(m.find()).as(run.output).isTrue();
    assertThat(Long.parseLong(m.group(4))).as("calls went through the workers").isPositive();
    assertThat(Double.parseDouble(m.group(5))).as("the pause was measured").isPositive();
    assertThat(run.output).contains("\"state\":\"enabled\"").contains("\"state\":\"disabled\"");
    assertThat(run.output).contains("runs the service; the clients process (pid");
    Matcher latency = LATENCY.matcher(run.output);
    assertThat(latency.find()).as("both windows' latency, from the clients process").isTrue();
    for (int window : new int[] {1, 3}) {
      double p50 = Double.parseDouble(latency.group(window));
      assertThat(p50).isPositive();
      assertThat(Double.parseDouble(latency.group(window + 1))).isGreaterThanOrEqualTo(p50);
    }
    if (!differential) {
      return;
    }
    long ops = Long.parseLong(m.group(2));
    Path monolithAnswers = dir.resolve(demo + "-monolith.answers");
    DemoRun.run(
        dir,
        demo,
        List.of("-Dcompartment.demo.live=false", "-Dcompartment.demo.answers=" + monolithAnswers),
        List.of("--ops", Long.toString(ops * 2), "--transport", "memory"));

    Map<Long, String> toggled = read(answers);
    Map<Long, String> monolith = read(monolithAnswers);
    assertThat(toggled).as("answers of the toggled run").hasSize((int) ops);
    long compared = 0;
    for (Map.Entry<Long, String> e : toggled.entrySet()) {
      String expected = monolith.get(e.getKey());
      if (expected != null) {
        compared++;
        assertThat(e.getValue()).as("answer to request " + e.getKey()).isEqualTo(expected);
      }
    }
    assertThat(compared)
        .as("requests of the toggled run that the monolith answered too")
        .isGreaterThan(ops * 9 / 10);
  }

  @Test
  void theProfiledPlanEnablesOnlyWhatTheProfileRecommendsScaling() throws Exception {
    // forced logs make the acceptors nearly all of the handler time: the profile recommends
    // scaling them, and not the phase-2 collection, which stays in the host
    DemoRun run =
        DemoRun.run(
            dir,
            "multipaxos",
            List.of(
                "-Dcompartment.demo.window.s=1",
                // long enough for sampling to thin out, so that unrecorded calls are timed
                "-Dcompartment.demo.warmup.s=4",
                "-Dcompartment.demo.enable=profiled",
                "-Dcompartment.demo.wal.sync=true"),
            List.of("--duration", "6"));

    assertThat(run.output).contains("enabling the profiled plan with 2 partitions");
    assertThat(run.output).containsPattern("Acceptor#1 PARTITION[^\\n]*\"state\":\"enabled\"");
    assertThat(run.output)
        .containsPattern("Proposer#2 PARTITION: left in the host: the profile gives it [0-9.]+%");
    assertThat(run.output).doesNotContain("\"compartment\":\"Proposer#2\"");
    Matcher m = RESULT.matcher(run.output);
    assertThat(m.find()).as(run.output).isTrue();
    assertThat(Long.parseLong(m.group(4))).as("calls went through the workers").isPositive();
  }

  private static Map<Long, String> read(Path file) throws Exception {
    Map<Long, String> answers = new TreeMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int tab = line.indexOf('\t');
      answers.put(Long.parseLong(line.substring(0, tab)), line.substring(tab + 1));
    }
    return answers;
  }
}
