package io.compartment.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service described only by a mapping file behaves exactly as an annotated one. */
class MappingFileIT {
  private static final String KV = "io.compartment.scenarios.MappedKv";
  @TempDir Path dir;

  @Test
  void serviceDescribedOnlyByAMappingFileIsTracedAndClassified() throws Exception {
    Path mapping = dir.resolve("mapping.json");
    Files.writeString(
        mapping,
        "{\"services\": [{\"class\": \""
            + KV
            + "\", \"state\": [\"data\"],"
            + " \"handlers\": [\"get\", \"put\"], \"emit\": [\"outbox\"]}]}");
    AgentRun run = AgentRun.run(dir, "config=" + mapping, KV);
    assertThat(run.exitCode).as(run.output).isZero();
    for (String h : new String[] {"get", "put"}) {
      Map<String, Object> handler = run.handler(KV, h);
      assertThat(handler.get("class")).as(h).isEqualTo("PARTITIONABLE");
      assertThat(handler.get("partitionKey")).as(h).isEqualTo("arg0.key");
    }
    assertThat(run.service(KV).get("state").toString()).contains("data");
  }
}
