package io.compartment.demo.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

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
    return run(
        demoJar, agentJar, agentOptions, List.of(), mainClass, args, timeoutSeconds, l -> {});
  }

  /**
   * Runs {@code mainClass} with JVM flags {@code jvmFlags} before it, handing each line the child
   * prints (standard output and error together) to {@code onLine} as it comes.
   */
  static Output run(
      Path demoJar,
      Path agentJar,
      String agentOptions,
      List<String> jvmFlags,
      String mainClass,
      List<String> args,
      long timeoutSeconds,
      Consumer<String> onLine)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (agentJar != null) {
      cmd.add("-javaagent:" + agentJar + (agentOptions.isEmpty() ? "" : "=" + agentOptions));
    }
    cmd.addAll(jvmFlags);
    cmd.add("-cp");
    cmd.add(demoJar.toString());
    cmd.add(mainClass);
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    // read on another thread, so that a child that hangs without printing still times out
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                  onLine.accept(line);
                }
              } catch (IOException closed) {
                // the child was killed
              }
            },
            "child-output");
    reader.setDaemon(true);
    reader.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      reader.join(5000);
      throw new IOException(
          "child JVM did not finish in "
              + timeoutSeconds
              + " s: "
              + cmd
              + "; its last lines:\n"
              + String.join("\n", tail(lines, 30)));
    }
    reader.join(10_000);
    return new Output(p.exitValue(), new ArrayList<>(lines));
  }

  /**
   * The agent's live-routing settings given to the bench ({@code -Dcompartment.live.*}), as flags
   * for a JVM it starts, so that a benchmark measures the service under the same settings.
   */
  static List<String> liveSettings() {
    List<String> flags = new ArrayList<>();
    for (String name : new java.util.TreeSet<>(System.getProperties().stringPropertyNames())) {
      if (name.startsWith("compartment.live.")) {
        flags.add("-D" + name + "=" + System.getProperty(name));
      }
    }
    return flags;
  }

  private static List<String> tail(List<String> lines, int n) {
    synchronized (lines) {
      return new ArrayList<>(lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
  }
}
