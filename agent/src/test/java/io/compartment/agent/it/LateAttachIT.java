package io.compartment.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;
import io.compartment.analyzer.json.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent attached to a running JVM (agentmain) retransforms classes already in use. */
class LateAttachIT {
  @TempDir Path dir;

  @Test
  @SuppressWarnings("unchecked")
  void agentAttachedToARunningJvmTracesClassesLoadedBeforeIt() throws Exception {
    Path go = dir.resolve("go");
    Path report = dir.resolve("report.json");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                AgentRun.applicationClassPath(),
                "io.compartment.scenarios.LateAttachTarget",
                go.toString())
            .redirectErrorStream(true)
            .start();
    StringBuilder output = new StringBuilder();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("READY");

    VirtualMachine vm = VirtualMachine.attach(Long.toString(p.pid()));
    try {
      vm.loadAgent(AgentRun.agentJar().toString(), "report=" + report);
    } finally {
      vm.detach();
    }
    Files.createFile(go);
    String line;
    while ((line = out.readLine()) != null) output.append(line).append('\n');
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output.toString()).isZero();
    assertThat(output).contains("SCENARIOS DONE");
    assertThat(report).as(output.toString()).exists();

    Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(report), "r");
    Map<String, Object> accounts =
        ((List<Map<String, Object>>) json.get("services"))
            .stream()
                .filter(s -> s.get("service").equals("io.compartment.scenarios.Accounts"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("Accounts not traced:\n" + output));
    Map<String, Object> deposit =
        ((List<Map<String, Object>>) accounts.get("handlers"))
            .stream().filter(h -> h.get("handler").equals("deposit")).findFirst().orElseThrow();
    assertThat(deposit.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(deposit.get("partitionKey")).isEqualTo("arg0.account");
  }
}
