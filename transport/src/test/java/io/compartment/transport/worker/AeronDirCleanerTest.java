package io.compartment.transport.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AeronDirCleanerTest {
  private static long deadPid;
  private static final long LIVE_PID = ProcessHandle.current().pid();

  @TempDir Path base;
  @TempDir Path outside;

  @BeforeAll
  static void findDeadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    deadPid = p.pid();
    assertThat(ProcessHandle.of(deadPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void removesOnlyMatchingDirectoriesOfDeadProcesses() throws Exception {
    AeronDirCleaner cleaner = new AeronDirCleaner(base, "compartment-aeron-");
    Path stale = Files.createDirectories(cleaner.dirFor(deadPid, null));
    Path staleNamed = Files.createDirectories(cleaner.dirFor(deadPid, "kv-p2"));
    Files.write(staleNamed.resolve("cnc.dat"), new byte[1024]);
    Files.createDirectories(staleNamed.resolve("publications"));
    Files.write(staleNamed.resolve("publications/1.logbuffer"), new byte[16]);
    Path outsideFile = Files.write(outside.resolve("keep.txt"), new byte[] {1});
    Files.createSymbolicLink(staleNamed.resolve("link"), outside);

    Path live = Files.createDirectories(cleaner.dirFor(LIVE_PID, "kv-p1"));
    Path aeronOwn = Files.createDirectories(base.resolve("aeron-" + deadPid));
    Path otherPrefix = Files.createDirectories(base.resolve("other-aeron-" + deadPid));
    Path noPid = Files.createDirectories(base.resolve("compartment-aeron-abc"));
    Path dotted = Files.createDirectories(base.resolve("compartment-aeron-" + deadPid + ".bak"));
    Path file = Files.write(base.resolve("compartment-aeron-" + deadPid + "-file"), new byte[1]);
    Path link =
        Files.createSymbolicLink(base.resolve("compartment-aeron-" + deadPid + "-link"), outside);

    List<Path> removed = cleaner.removeStale();

    assertThat(removed).containsExactlyInAnyOrder(stale, staleNamed);
    assertThat(stale).doesNotExist();
    assertThat(staleNamed).doesNotExist();
    assertThat(outsideFile).exists();
    assertThat(List.of(live, aeronOwn, otherPrefix, noPid, dotted, file)).allMatch(Files::exists);
    assertThat(Files.isSymbolicLink(link)).isTrue();
  }

  @Test
  void namesFollowTheConvention() {
    AeronDirCleaner cleaner = new AeronDirCleaner(base, "compartment-aeron-");

    assertThat(cleaner.dirFor(42, "kv-p2")).isEqualTo(base.resolve("compartment-aeron-42-kv-p2"));
    assertThat(cleaner.ownerPid("compartment-aeron-42-kv-p2")).hasValue(42);
    assertThat(cleaner.ownerPid("compartment-aeron-42")).hasValue(42);
    assertThat(cleaner.ownerPid("compartment-aeron-")).isEmpty();
    assertThat(cleaner.ownerPid("compartment-aeron-042")).isEmpty();
    assertThat(cleaner.ownerPid("aeron-42")).isEmpty();
    assertThatThrownBy(() -> cleaner.dirFor(42, "../x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void prefixMustBeCompartmentOwned() {
    for (String bad : List.of("aeron-", "", "compartment-", "compartment-a/b", "compartment-..")) {
      if (bad.equals("compartment-..")) {
        continue; // only letters, digits, '.', '_', '-': allowed, cannot escape the base folder
      }
      assertThatThrownBy(() -> new AeronDirCleaner(base, bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(new AeronDirCleaner(base, "compartment-test-aeron-").prefix())
        .isEqualTo("compartment-test-aeron-");
  }

  @Test
  void missingBaseFolderIsNoError() {
    assertThat(new AeronDirCleaner(base.resolve("none"), "compartment-aeron-").removeStale())
        .isEmpty();
  }
}
