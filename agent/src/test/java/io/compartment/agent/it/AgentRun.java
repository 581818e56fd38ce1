package io.compartment.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.analyzer.json.Json;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a child JVM under the real shaded agent jar, with a class path of only the
 * test classes and the api jar: what a user's application looks like to the agent.
 */
final class AgentRun {
  final int exitCode;
  final String output;
  final Path report;

  private AgentRun(int exitCode, String output, Path report) {
    this.exitCode = exitCode;
    this.output = output;
    this.report = report;
  }

  static Path agentJar() {
    String configured = System.getProperty("compartment.agent.jar");
    Path jar = configured != null ? Path.of(configured) : Path.of("target/compartment-agent.jar");
    assertThat(jar).as("the shaded agent jar (built by mvn package)").exists();
    return jar.toAbsolutePath();
  }

  /** Test classes and the api: the application's class path, without the agent's libraries. */
  static String applicationClassPath() {
    List<String> entries = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (e.endsWith("test-classes")
          || e.contains("compartment-api")
          || e.endsWith("api" + File.separator + "target" + File.separator + "classes")) {
        entries.add(e);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  static AgentRun run(Path dir, String agentOptions, String mainClass, String... args)
      throws IOException, InterruptedException {
    Path report = dir.resolve("report.json");
    String options = "report=" + report + (agentOptions.isEmpty() ? "" : "," + agentOptions);
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + agentJar() + "=" + options,
                "-cp",
                applicationClassPath(),
                mainClass));
    cmd.addAll(Arrays.asList(args));
    Path log = dir.resolve("output.txt");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("child JVM did not finish in 120 s: " + cmd);
    }
    return new AgentRun(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8), report);
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> reportJson() throws IOException {
    assertThat(report).as("report written at exit; output was:%n%s", output).exists();
    return (Map<String, Object>) Json.parse(Files.readString(report), report.toString());
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> service(String name) throws IOException {
    List<Object> services = (List<Object>) reportJson().get("services");
    return services.stream()
        .map(s -> (Map<String, Object>) s)
        .filter(s -> s.get("service").equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no service " + name + " in the report"));
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> handler(String service, String handler) throws IOException {
    List<Object> handlers = (List<Object>) service(service).get("handlers");
    return handlers.stream()
        .map(h -> (Map<String, Object>) h)
        .filter(h -> h.get("handler").equals(handler))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no handler " + handler + " of " + service));
  }

  @SuppressWarnings("unchecked")
  List<Map<String, Object>> compartments(String service) throws IOException {
    return (List<Map<String, Object>>) (List<?>) service(service).get("compartments");
  }
}
