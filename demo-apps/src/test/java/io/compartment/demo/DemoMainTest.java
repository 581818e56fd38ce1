package io.compartment.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DemoMainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return DemoMain.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String[] outLines() {
    return out.toString(StandardCharsets.UTF_8).split("\\R");
  }

  @Test
  void endsWithTheDemoResultLineAndExitsZeroWhenCorrect() {
    int status = run("voting", "--ops", "2000", "--seed", "5");
    String[] lines = outLines();
    assertThat(status).isZero();
    assertThat(lines[lines.length - 1])
        .matches(
            "DEMO_RESULT name=voting correct=true ops=2000 ops_per_s=\\d+ concurrency=\\d+ p50_us=[0-9.]+ p99_us=[0-9.]+");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void stopsAtTheDurationWhenItComesFirst() {
    int status = run("kv", "--duration", "0.3", "--ops", "1000000000");
    String[] lines = outLines();
    assertThat(status).isZero();
    assertThat(lines[lines.length - 1]).startsWith("DEMO_RESULT name=kv correct=true ops=");
  }

  @Test
  void unknownDemoIsAUsageErrorNamingItAndTheValidDemos() {
    assertThat(run("paxos")).isEqualTo(2);
    String message = err.toString(StandardCharsets.UTF_8);
    assertThat(message.lines()).hasSize(1);
    assertThat(message).contains("paxos", "kv|voting|twopc|multipaxos");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void badOptionsAreUsageErrors() {
    assertThat(run("kv", "--speed", "3")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--speed", "kv|voting|twopc|multipaxos");
    err.reset();
    assertThat(run("kv", "--duration", "soon")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("soon", "--duration");
    err.reset();
    assertThat(run("kv", "--ops")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--ops");
    err.reset();
    assertThat(run("twopc", "--ops", "0")).isEqualTo(2);
    err.reset();
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("kv|voting|twopc|multipaxos");
  }
}
