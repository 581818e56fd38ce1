package io.compartment.transport.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerSpecTest {
  @Test
  void commandHasFlagsAgentPropertiesClassPathMainAndArguments() {
    WorkerSpec spec =
        new WorkerSpec("kv-p2", "com.example.Main")
            .jvmFlags(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED"))
            .fastStart(true)
            .javaAgent(Paths.get("/opt/agent.jar"), "mode=worker,partition=2")
            .systemProperty("a", "1")
            .classPath("/cp/a.jar:/cp/b.jar")
            .arguments("x", "y")
            .conclude();

    List<String> cmd = spec.command();

    assertThat(cmd.get(0))
        .isEqualTo(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    assertThat(cmd.subList(1, cmd.size()))
        .containsExactly(
            "--add-opens",
            "java.base/java.lang=ALL-UNNAMED",
            "-XX:TieredStopAtLevel=1",
            "-javaagent:/opt/agent.jar=mode=worker,partition=2",
            "-Dcompartment.worker.id=kv-p2",
            "-Da=1",
            "-cp",
            "/cp/a.jar:/cp/b.jar",
            "com.example.Main",
            "x",
            "y");
    assertThat(spec.readyLine()).isEqualTo("WORKER READY kv-p2");
    assertThat(spec.logFile().getFileName().toString()).isEqualTo("kv-p2.log");
  }

  @Test
  void defaultsComeFromTheHost() {
    WorkerSpec spec = new WorkerSpec("w1", "com.example.Main").conclude();

    assertThat(spec.classPath()).isEqualTo(System.getProperty("java.class.path"));
    assertThat(spec.jvmFlags())
        .containsExactlyElementsOf(
            WorkerSpec.splitFlags(System.getProperty(WorkerSpec.JVM_FLAGS_PROP_NAME, "")));
    assertThat(spec.fastStart()).isEqualTo(WorkerSpec.FAST_START_DEFAULT);
    assertThat(spec.workingDirectory()).isEqualTo(Path.of(System.getProperty("user.dir")));
  }

  @Test
  void flagsSplitOnWhitespace() {
    assertThat(WorkerSpec.splitFlags("  --add-exports  a=b\t-Xmx1g \n"))
        .containsExactly("--add-exports", "a=b", "-Xmx1g");
    assertThat(WorkerSpec.splitFlags("")).isEmpty();
  }

  @Test
  void concludeRejectsBadSettings() {
    assertThatThrownBy(() -> new WorkerSpec("../x", "a.B").conclude())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("worker id");
    assertThatThrownBy(() -> new WorkerSpec("w", "not a class").conclude())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("main class");
    assertThatThrownBy(() -> new WorkerSpec("w", "a.B").systemProperty("a=b", "c").conclude())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("system property");
    assertThatThrownBy(() -> new WorkerSpec("w", "a.B").logTailLines(0).conclude())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("logTailLines");
  }
}
