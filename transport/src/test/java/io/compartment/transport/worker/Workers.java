package io.compartment.transport.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Test helpers. */
final class Workers {
  static final String TEST_MAIN = TestWorkerMain.class.getName();
  private static Path privateClassPath;

  private Workers() {}

  /**
   * A test worker spec whose class path is a private copy of {@link TestWorkerMain}: other builds
   * running in the same working tree recompile target/ and would make children fail to load it.
   */
  static WorkerSpec spec(Path dir, String id, String... options) {
    return new WorkerSpec(id, TEST_MAIN)
        .arguments(id)
        .arguments(options)
        .classPath(privateClassPath().toString())
        .addJvmFlags("-XX:+UseSerialGC", "-Xmx64m")
        .logFile(dir.resolve(id + ".log"));
  }

  static synchronized Path privateClassPath() {
    if (privateClassPath == null) {
      try {
        Path root = Files.createTempDirectory("compartment-test-worker-cp");
        String resource = TEST_MAIN.replace('.', '/') + ".class";
        Path target = root.resolve(resource);
        Files.createDirectories(target.getParent());
        try (InputStream in = Workers.class.getClassLoader().getResourceAsStream(resource)) {
          Files.copy(in, target);
        }
        for (Path p = target; p.startsWith(root); p = p.getParent()) {
          p.toFile().deleteOnExit(); // deleted in reverse order of registration: file first
        }
        privateClassPath = root;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return privateClassPath;
  }

  /** The last lines of a worker's log, for failure messages. */
  static String logTail(Path dir, String id) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve(id + ".log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Live child processes of this JVM that run the test worker. */
  static List<ProcessHandle> liveTestWorkers() {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().map(c -> c.contains(TEST_MAIN)).orElse(false))
        .collect(Collectors.toList());
  }
}
