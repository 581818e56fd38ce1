package io.compartment.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent keeps summaries, not a log: a run twenty times longer leaves a trace of about the same
 * size.
 */
class BoundedTraceIT {
  @TempDir Path shortDir;
  @TempDir Path longDir;

  @Test
  void traceSizeDoesNotGrowWithTheLengthOfTheRun() throws Exception {
    AgentRun shortRun = AgentRun.run(shortDir, "", "io.compartment.scenarios.Scenarios", "2000");
    AgentRun longRun = AgentRun.run(longDir, "", "io.compartment.scenarios.Scenarios", "40000");
    assertThat(shortRun.exitCode).as(shortRun.output).isZero();
    assertThat(longRun.exitCode).as(longRun.output).isZero();
    long shortSize = Files.size(shortDir.resolve("report.trace.json"));
    long longSize = Files.size(longDir.resolve("report.trace.json"));
    // counts gain digits and distinct-key counts grow up to their cap; nothing else may grow
    assertThat((double) longSize).isLessThan(shortSize * 1.15);
    assertThat(
            ((Number)
                    longRun
                        .handler("io.compartment.scenarios.Accounts", "deposit")
                        .get("invocations"))
                .longValue())
        .isEqualTo(40000);
  }
}
