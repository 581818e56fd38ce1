package io.compartment.demo.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each demo under the real agent jar enables its inferred plan while its clients keep the load on
 * (real worker JVMs, Aeron IPC, Chronicle Map files), runs compartmentalized, disables it again,
 * and its end-to-end check of every acknowledged request still passes: the same seeded workload
 * whose results the checker compares against the protocol's model, through the monolith and the
 * compartmentalized service in one run.
 */
class DemoLiveIT {
  private static final Pattern RESULT =
      Pattern.compile(
          "DEMO_RESULT name=(\\S+) correct=true .*monolith_ops_per_s=(\\d+)"
              + " compartmentalized_ops_per_s=(\\d+) pause_ms=([0-9.]+)");

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"twopc", "kv", "voting", "multipaxos"})
  void theDemoEnablesItsInferredPlanUnderLoadAndStaysCorrect(String demo) throws Exception {
    DemoRun run = DemoRun.run(dir, demo, 3, "-Dcompartment.demo.window.s=1");

    Matcher m = RESULT.matcher(run.output);
    assertThat(m.find()).as(run.output).isTrue();
    assertThat(Long.parseLong(m.group(3))).as("calls went through the workers").isPositive();
    assertThat(Double.parseDouble(m.group(4))).as("the pause was measured").isPositive();
    assertThat(run.output).contains("\"state\":\"enabled\"").contains("\"state\":\"disabled\"");
  }
}
