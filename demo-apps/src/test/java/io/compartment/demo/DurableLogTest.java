package io.compartment.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableLogTest {
  @TempDir Path dir;

  @Test
  void recordsReachThisProcesssFileBeforeAppendReturns() throws Exception {
    DurableLog log = new DurableLog(dir.toString(), "acceptor-0", false);

    log.append("7 1 42");
    log.append("8 1 43");

    Path file = dir.resolve("acceptor-0." + ProcessHandle.current().pid() + ".log");
    assertThat(Files.readAllLines(file)).containsExactly("7 1 42", "8 1 43");
    assertThat(log.records()).isEqualTo(2);
  }

  @Test
  void aLogThatCannotBeWrittenFailsTheCallerNamingTheDirectory() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("file"), "x");
    DurableLog log = new DurableLog(notADirectory.toString(), "participant-1", true);

    assertThatThrownBy(() -> log.append("prepared 1"))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("participant-1")
        .hasMessageContaining(notADirectory.toString());
  }
}
