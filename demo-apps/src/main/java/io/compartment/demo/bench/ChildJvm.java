package io.compartment.demo.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the demo jar in a child JVM, optionally under the agent. */
final class ChildJvm {
  private ChildJvm() {}

  /** The lines a child printed, and its exit code. */
  record Output(int exitCode, List<String> lines) {
    String last(String prefix) {
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (lines.get(i).startsWith(prefix)) return lines.get(i);
      }
      return null;
    }
  }

  static Output run(
      Path demoJar,
      Path agentJar,
      String agentOptions,
      String mainClass,
      List<String> args,
      long timeoutSeconds)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (agentJar != null) {
      cmd.add("-javaagent:" + agentJar + (agentOptions.isEmpty() ? "" : "=" + agentOptions));
    }
    cmd.add("-cp");
    cmd.add(demoJar.toString());
    cmd.add(mainClass);
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) lines.add(line);
    }
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("child JVM did not finish in " + timeoutSeconds + " s: " + cmd);
    }
    return new Output(p.exitValue(), lines);
  }
}
