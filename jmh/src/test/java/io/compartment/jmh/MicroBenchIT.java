package io.compartment.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The micro-benchmark jar, run as {@code ./compartment bench micro} runs it but with the shortest
 * iterations ({@code --tiny}), against the real agent jar. Checks the shape of what it prints and
 * that the agent configurations really traced the fixture; never a figure against a target.
 */
class MicroBenchIT {
  private static final Pattern RESULT =
      Pattern.compile(
          "^RESULT name=(\\S+) ops_per_s=([0-9.]+) p50_us=([0-9.]+) p99_us=([0-9.]+)$",
          Pattern.MULTILINE);
  private static final Pattern RATIO =
      Pattern.compile("^RATIO name=(\\S+) value=(-?[0-9.]+)$", Pattern.MULTILINE);

  @TempDir Path dir;

  @Test
  void aTinyRunPrintsEveryResultAndRatioAndTracesUnderTheAgent() throws Exception {
    Run run =
        run(
            "micro",
            List.of(
                "-Dcompartment.agent.jar=" + agentJar(),
                "-cp",
                jmhJar().toString(),
                "io.compartment.jmh.MicroBench",
                "--tiny"));
    assertThat(run.exit).as(run.all()).isZero();

    List<String> expected = new ArrayList<>();
    for (String config : List.of("none", "adaptive", "all")) {
      expected.add("micro-call-" + config);
      expected.add("micro-call-state-" + config);
      for (int k : new int[] {1, 8, 64}) expected.add("micro-access-k" + k + "-" + config);
    }
    Map<String, Double> results = new LinkedHashMap<>();
    Matcher m = RESULT.matcher(run.out);
    while (m.find()) {
      for (int g = 2; g <= 4; g++) {
        assertThat(Double.parseDouble(m.group(g))).as(m.group()).isPositive();
      }
      results.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    assertThat(results.keySet()).as(run.all()).containsExactlyInAnyOrderElementsOf(expected);

    Map<String, Double> ratios = new LinkedHashMap<>();
    Matcher r = RATIO.matcher(run.out);
    while (r.find()) ratios.put(r.group(1), Double.parseDouble(r.group(2)));
    assertThat(ratios.keySet())
        .as(run.all())
        .containsExactlyInAnyOrder(
            "micro-call-adaptive-vs-none",
            "micro-call-all-vs-none",
            "micro-call-state-adaptive-vs-none",
            "micro-call-state-all-vs-none",
            "micro-tracing-ns-per-call-adaptive",
            "micro-tracing-ns-per-call-all",
            "micro-ns-per-access-none",
            "micro-ns-per-access-adaptive",
            "micro-ns-per-access-all");
    ratios.forEach(
        (name, value) -> {
          assertThat(value).as(name).isFinite();
          // a difference of two medians may be below zero within noise; the rest may not
          if (!name.startsWith("micro-tracing-ns-per-call-"))
            assertThat(value).as(name).isPositive();
        });

    // one JSON object per result, before the plain lines; under the agent each one says the
    // fork's handler advice counted calls of the fixture the agent rewrote
    List<String> json = run.out.lines().filter(l -> l.startsWith("{")).toList();
    assertThat(json).hasSize(expected.size() + 1);
    assertThat(json)
        .allSatisfy(l -> assertThat(l).endsWith("}").contains("\"benchmark\":\"micro\""));
    for (String line : json) {
      if (!line.contains("\"config\":")) continue;
      if (line.contains("\"config\":\"none\"")) {
        assertThat(line).contains("\"traced\":false");
      } else {
        assertThat(line).contains("\"traced\":true").doesNotContain("\"handler_calls\":-1");
        Matcher calls = Pattern.compile("\"handler_calls\":(\\d+)").matcher(line);
        assertThat(calls.find()).as(line).isTrue();
        assertThat(Long.parseLong(calls.group(1))).as(line).isPositive();
      }
    }
  }

  @Test
  void aForkThatShouldBeTracedButIsNotFailsTheRun() throws Exception {
    // the agent is attached but installs nothing (mode=off): the fixture runs untransformed
    Run run =
        run(
            "untraced",
            List.of(
                "-cp",
                jmhJar().toString(),
                "org.openjdk.jmh.Main",
                "TracingCostBench.stateless",
                "-f",
                "1",
                "-wi",
                "0",
                "-i",
                "1",
                "-r",
                "100ms",
                "-foe",
                "true",
                "-jvmArgs",
                "-Dcompartment.jmh.config=adaptive -javaagent:" + agentJar() + "=mode=off"));
    assertThat(run.exit).as(run.all()).isNotZero();
    assertThat(run.all()).contains("did not transform io.compartment.jmh.fixture.MicroService");
  }

  private record Run(int exit, String out, String err) {
    String all() {
      return out + "\n--- stderr ---\n" + err;
    }
  }

  private Run run(String name, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(args);
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    Process p =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(name + " did not finish in 300 s: " + Files.readString(err));
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static Path agentJar() {
    return jar("compartment.agent.jar");
  }

  private static Path jmhJar() {
    return jar("compartment.jmh.jar");
  }

  private static Path jar(String property) {
    String p = System.getProperty(property);
    assertThat(p).as("-D" + property + " (set by failsafe)").isNotNull();
    Path jar = Path.of(p);
    assertThat(jar).as("run mvn verify: the jar is built at package").isRegularFile();
    return jar;
  }
}
