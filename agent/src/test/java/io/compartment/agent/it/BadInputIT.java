package io.compartment.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input gets one clear message naming the problem and where it is, and the application runs to
 * its end regardless.
 */
class BadInputIT {
  private static final String BAD = "io.compartment.scenarios.BadAnnotations";
  private static final String KV = "io.compartment.scenarios.MappedKv";
  @TempDir Path dir;

  @Test
  void handlerWithoutParametersAndStaticStateAreReportedAndTheAppRuns() throws Exception {
    AgentRun run = AgentRun.run(dir, "", BAD);
    assertThat(run.exitCode).as(run.output).isZero();
    assertThat(run.output).contains("SCENARIOS DONE ticks=500");
    assertThat(run.output)
        .contains("[compartment] ERROR")
        .contains(BAD + ".tick()")
        .contains("@Handler needs at least one parameter");
    assertThat(run.output).contains("globalCounter").contains("static");
    assertThat(run.handler(BAD, "put").get("class")).isEqualTo("PARTITIONABLE");
    assertThat(run.service(BAD).get("warnings").toString()).contains("tick()");
  }

  @Test
  void unknownAgentOptionIsNamedWithTheKnownOnesAndTheAppRuns() throws Exception {
    AgentRun run = AgentRun.run(dir, "colour=blue", BAD);
    assertThat(run.exitCode).isZero();
    assertThat(run.output)
        .contains("unknown agent option 'colour'")
        .contains("known options:")
        .contains("SCENARIOS DONE");
    assertThat(run.report).exists();
  }

  @Test
  void mappingFileNamingMissingClassFieldAndMethodIsReportedPerName() throws Exception {
    Path mapping = dir.resolve("bad-names.json");
    Files.writeString(
        mapping,
        "{\"services\": [\n"
            + "  {\"class\": \"com.example.Missing\", \"handlers\": [\"x\"]},\n"
            + "  {\"class\": \""
            + KV
            + "\", \"state\": [\"data\", \"nosuchfield\"],"
            + " \"handlers\": [\"get\", \"put\", \"nosuchmethod\"], \"emit\": [\"outbox\"]}\n]}");
    AgentRun run = AgentRun.run(dir, "config=" + mapping, KV);
    assertThat(run.exitCode).isZero();
    assertThat(run.output)
        .contains("services[0]: class com.example.Missing not found")
        .contains("services[1]: state field \"nosuchfield\" not found")
        .contains("services[1]: handler method \"nosuchmethod\" not found")
        .contains("SCENARIOS DONE");
    // the valid names of the entry still apply
    assertThat(run.handler(KV, "put").get("class")).isEqualTo("PARTITIONABLE");
  }

  @Test
  void malformedMappingFileIsReportedWithLineAndColumnAndTheAppRuns() throws Exception {
    Path mapping = dir.resolve("malformed.json");
    Files.writeString(mapping, "{\"services\": [\n  {\"class\": \"x\",, }\n]}");
    AgentRun run = AgentRun.run(dir, "config=" + mapping, KV);
    assertThat(run.exitCode).isZero();
    assertThat(run.output)
        .contains("[compartment] ERROR mapping file " + mapping + ":2:")
        .contains("SCENARIOS DONE");
  }

  @Test
  void killSwitchInstallsNothingAndTheAppRuns() throws Exception {
    AgentRun run = AgentRun.run(dir, "mode=off", BAD);
    assertThat(run.exitCode).isZero();
    assertThat(run.output).contains("mode=off").contains("SCENARIOS DONE");
    assertThat(run.report).doesNotExist();
  }
}
