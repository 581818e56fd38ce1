package io.compartment.transport.worker;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Test helpers. */
final class Workers {
  static final String TEST_MAIN = TestWorkerMain.class.getName();

  private Workers() {}

  static WorkerSpec spec(Path dir, String id, String... options) {
    return new WorkerSpec(id, TEST_MAIN)
        .arguments(id)
        .arguments(options)
        .addJvmFlags("-Xshare:auto", "-XX:+UseSerialGC", "-Xmx64m")
        .logFile(dir.resolve(id + ".log"));
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
