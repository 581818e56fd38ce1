package io.compartment.demo.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.analyzer.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A demo run in a child JVM under the real agent jar, and its report. */
final class DemoRun {
  final String output;
  final Map<String, Object> report;

  private DemoRun(String output, Map<String, Object> report) {
    this.output = output;
    this.report = report;
  }

  static Path agentJar() {
    Path jar =
        Path.of(
            System.getProperty("compartment.agent.jar", "../agent/target/compartment-agent.jar"));
    assertThat(jar).as("the shaded agent jar, built before demo-apps").exists();
    return jar.toAbsolutePath();
  }

  static Path demoJar() {
    Path jar = Path.of("target/compartment-demo-apps.jar");
    assertThat(jar).as("the demo jar, built by package").exists();
    return jar.toAbsolutePath();
  }

  @SuppressWarnings("unchecked")
  static DemoRun run(Path dir, String demo, int seconds) throws Exception {
    // the structure of the trace only: no live toggle
    return run(dir, demo, seconds, "-Dcompartment.demo.live=false");
  }

  /** Runs {@code demo} with extra JVM options (system properties) before the main class. */
  static DemoRun run(Path dir, String demo, int seconds, String... jvmOptions) throws Exception {
    return run(dir, demo, List.of(jvmOptions), List.of("--duration", Integer.toString(seconds)));
  }

  /** Runs {@code demo} with JVM options and demo options (after the demo's name). */
  static DemoRun run(Path dir, String demo, List<String> jvmOptions, List<String> demoOptions)
      throws Exception {
    Path report = dir.resolve(demo + ".json");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + agentJar() + "=report=" + report));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", demoJar().toString(), "io.compartment.demo.DemoMain", demo));
    cmd.addAll(demoOptions);
    Path log = dir.resolve(demo + ".log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("demo " + demo + " did not finish");
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("DEMO_RESULT name=" + demo + " correct=true");
    assertThat(report).as(output).exists();
    return new DemoRun(
        output, (Map<String, Object>) Json.parse(Files.readString(report), report.toString()));
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> service(String name) {
    return ((List<Object>) report.get("services"))
        .stream()
            .map(s -> (Map<String, Object>) s)
            .filter(s -> s.get("service").equals(name))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no service " + name + " in " + report));
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> handler(String service, String name) {
    return ((List<Object>) service(service).get("handlers"))
        .stream()
            .map(h -> (Map<String, Object>) h)
            .filter(h -> h.get("handler").equals(name))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no handler " + name + " of " + service));
  }

  /** The compartment that holds {@code handler}. */
  @SuppressWarnings("unchecked")
  Map<String, Object> compartmentOf(String service, String handler) {
    return ((List<Object>) service(service).get("compartments"))
        .stream()
            .map(c -> (Map<String, Object>) c)
            .filter(c -> ((List<Object>) c.get("handlers")).contains(handler))
            .findFirst()
            .orElseThrow(() -> new AssertionError(handler + " is in no compartment of " + service));
  }
}
