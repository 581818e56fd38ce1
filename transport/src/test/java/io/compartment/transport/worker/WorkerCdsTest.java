package io.compartment.transport.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerCdsTest {
  @TempDir Path dir;

  @Test
  void withoutAnArchiveALaunchWritesAPartFileOfItsOwn() {
    Path archive = dir.resolve("w.jsa");
    List<String> a = WorkerCds.flags(archive);
    List<String> b = WorkerCds.flags(archive);
    assertThat(a).containsAll(WorkerCds.UNLOCK);
    String at = a.get(a.size() - 1);
    assertThat(at).startsWith("-XX:ArchiveClassesAtExit=" + archive + ".").endsWith(".part");
    assertThat(b.get(b.size() - 1)).isNotEqualTo(at);
  }

  @Test
  void aSettledPartFileBecomesTheArchiveAndAFreshOneIsLeftAlone() throws Exception {
    Path archive = dir.resolve("w.jsa");
    Path settled = dir.resolve("w.jsa.aaaa.part");
    Path fresh = dir.resolve("w.jsa.bbbb.part");
    Files.write(settled, new byte[] {1, 2, 3});
    Files.setLastModifiedTime(
        settled, FileTime.fromMillis(System.currentTimeMillis() - 2 * WorkerCds.SETTLED_MS));
    Files.write(fresh, new byte[] {4});
    List<String> flags = WorkerCds.flags(archive);
    assertThat(flags).contains("-XX:SharedArchiveFile=" + archive);
    assertThat(archive).exists();
    assertThat(settled).doesNotExist();
    assertThat(fresh).exists();
  }

  @Test
  void archivesAreKeyedByWhatDecidesTheClasses() {
    assertThat(WorkerCds.archiveFor("a.jar")).isEqualTo(WorkerCds.archiveFor("a.jar"));
    assertThat(WorkerCds.archiveFor("a.jar")).isNotEqualTo(WorkerCds.archiveFor("b.jar"));
  }

  /** A corrupt or foreign archive costs the JVM its check, never its start. */
  @Test
  void aJvmStartsWithACorruptArchive() throws Exception {
    Path archive = dir.resolve("w.jsa");
    byte[] garbage = new byte[64 * 1024];
    new java.util.Random(1).nextBytes(garbage);
    Files.write(archive, garbage);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(WorkerCds.flags(archive));
    assertThat(cmd).contains("-XX:SharedArchiveFile=" + archive);
    cmd.add("-version");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  /** A JDK without a base archive refuses -XX:ArchiveClassesAtExit: its workers get no archive. */
  @Test
  void withoutABaseArchiveWorkersAreStartedWithoutOne() throws Exception {
    assertThat(WorkerCds.enabled()).as("this JDK maps its base archive").isTrue();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xshare:off");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(PrintEnabled.class.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).isEqualTo("enabled=false");
  }

  /** Prints {@link WorkerCds#enabled()} in a child JVM. */
  static final class PrintEnabled {
    public static void main(String[] args) {
      System.out.println("enabled=" + WorkerCds.enabled());
    }
  }
}
