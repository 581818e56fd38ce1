package io.compartment.demo.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The demos deployed as two processes, a service and its clients, talking over Aeron: the shaded
 * demo jar run as a user would run it ({@code java -jar}, no agent, no JVM flags).
 */
class DemoDeploymentIT {
  private static final Pattern DEPLOYED =
      Pattern.compile(
          "this process \\(pid (\\d+)\\) runs the service; the clients process \\(pid"
              + " (\\d+)\\) over Aeron: to it (\\S+)");

  private record Run(int exitCode, String output) {}

  private static Run demo(List<String> args, java.util.function.Consumer<String> onLine)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(DemoRun.demoJar().toString());
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    StringBuilder output = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        output.append(line).append('\n');
        onLine.accept(line);
      }
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("demo finished").isTrue();
    return new Run(p.exitValue(), output.toString());
  }

  @Test
  void twoPhaseCommitRunsCorrectlyWithItsClientsInAnotherProcessOverUdp() throws Exception {
    Run run = demo(List.of("twopc", "--duration", "2", "--transport", "udp"), line -> {});

    assertThat(run.exitCode()).as(run.output()).isZero();
    Matcher m = DEPLOYED.matcher(run.output());
    assertThat(m.find()).as(run.output()).isTrue();
    assertThat(m.group(1)).as("two processes").isNotEqualTo(m.group(2));
    assertThat(m.group(3)).startsWith("aeron:udp?endpoint=");
    assertThat(run.output()).contains("DEMO_RESULT name=twopc correct=true");
    assertThat(Long.parseLong(run.output().replaceAll("(?s).*DEMO_RESULT.* ops=(\\d+).*", "$1")))
        .as("requests answered across the link")
        .isPositive();
  }

  @Test
  void aClientsProcessThatDiesIsReportedAndTheRunFails() throws Exception {
    List<Long> killed = new ArrayList<>();
    Run run =
        demo(
            List.of("kv", "--duration", "30", "--transport", "ipc"),
            line -> {
              Matcher m = DEPLOYED.matcher(line);
              if (m.find() && killed.isEmpty()) {
                long pid = Long.parseLong(m.group(2));
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                killed.add(pid);
              }
            });

    assertThat(killed).as(run.output()).hasSize(1);
    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertThat(run.output())
        .contains("VIOLATION the clients process died")
        .contains("DEMO_RESULT name=kv correct=false");
  }
}
