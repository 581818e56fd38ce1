package io.compartment.transport.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM applies batches in a loop and is SIGKILLed mid-run, several times. Children reopen
 * after odd rounds, the parent after even ones; each reopen must not hang and must find exactly the
 * state after batch {@code lastAppliedSeq()}.
 */
class KillRecoveryTest {
  private static final int ROUNDS = 4;
  private static final Duration LINE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration REOPEN_TIMEOUT = Duration.ofSeconds(60);

  /** {@link ApplyLoopMain}, named without loading it here. */
  private static final String CHILD_MAIN = "io.compartment.transport.state.ApplyLoopMain";

  @TempDir static Path classesDir;
  private static String childClassPath;

  @TempDir Path dir;

  @Test
  void killedWriterLeavesConsistentStateAndReopenDoesNotHang() throws Exception {
    final Path file = PartitionStore.path(dir, "svc-1", 0);
    final Random random = new Random(42);
    final List<String> opens = new ArrayList<>();
    long lastSeenSeq = 0;
    long storedSeq = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      final Child child = Child.start(file, childClassPath);
      try {
        final String open = child.expectLine("OPEN");
        opens.add(open);
        assertThat(open).as("child reopen (round %d)", round).contains("verify=ok");
        if (round > 1) {
          assertThat(open).contains("outcome=" + expectedChildOutcome(round));
        }
        final long target = seqOf(open) + 300 + random.nextInt(2_000);
        long seen;
        do {
          seen = Long.parseLong(child.expectLine("SEQ").substring(4));
        } while (seen < target);
        lastSeenSeq = seen;
        // the child holds the store: another process must be refused, not blocked
        assertThatThrownBy(() -> PartitionStore.open(file, KillModel.context()))
            .isInstanceOf(StateStoreException.class)
            .hasMessageContaining("another process");
        // the child prints every 100 batches: a short random pause (not used to synchronize
        // anything) moves the kill away from the print, to anywhere inside a batch
        Thread.sleep(random.nextInt(30));
      } finally {
        child.kill();
      }
      if (round % 2 == 0) {
        final long t0 = System.nanoTime();
        final PartitionStore store =
            assertTimeoutPreemptively(
                REOPEN_TIMEOUT, () -> PartitionStore.open(file, KillModel.context()));
        final long reopenMs = (System.nanoTime() - t0) / 1_000_000;
        try {
          assertThat(store.openOutcome()).isEqualTo(PartitionStore.OpenOutcome.RECOVERED);
          assertThat(store.lastAppliedSeq()).isGreaterThanOrEqualTo(lastSeenSeq);
          assertThat(KillModel.verify(store)).isNull();
          storedSeq = store.lastAppliedSeq();
          System.out.printf(
              "PartitionStore: reopen after SIGKILL (round %d) %d ms, seq %d (last reported %d),"
                  + " journal replayed %s, corruptions repaired %d%n",
              round,
              reopenMs,
              storedSeq,
              lastSeenSeq,
              store.replayedJournal(),
              store.recoveredCorruptions());
        } finally {
          store.close();
        }
      }
    }
    System.out.println("PartitionStore: child opens " + opens);
    assertThat(storedSeq).isGreaterThan(0);
  }

  @Test
  void segmentLockHeldByAKilledProcessIsRecovered() throws Exception {
    final Path file = PartitionStore.path(dir, "svc-2", 3);
    final Child child = Child.start(file, childClassPath, "hold-segment-lock");
    try {
      child.expectLine("LOCKED");
    } finally {
      child.kill();
    }
    // without recovery the put below spins for 60 s and then throws InterProcessDeadLockException
    final long t0 = System.nanoTime();
    try (PartitionStore store =
        assertTimeoutPreemptively(
            REOPEN_TIMEOUT, () -> PartitionStore.open(file, KillModel.context()))) {
      final long reopenMs = (System.nanoTime() - t0) / 1_000_000;
      assertThat(store.openOutcome()).isEqualTo(PartitionStore.OpenOutcome.RECOVERED);
      assertThat(store.lastAppliedSeq()).isEqualTo(1);
      assertThat(KillModel.verify(store)).isNull();
      final long t1 = System.nanoTime();
      assertTimeoutPreemptively(
          Duration.ofSeconds(20), () -> store.apply(2, KillModel.batch(2, new StateBatch())));
      System.out.printf(
          "PartitionStore: reopen after SIGKILL with a segment lock held %d ms, then a write to"
              + " that segment %d us%n",
          reopenMs, (System.nanoTime() - t1) / 1_000);
      assertThat(KillModel.verify(store)).isNull();
    }
  }

  /**
   * {@code java.class.path} with a snapshot of this package's classes in front, so that a rebuild
   * of the module running beside this test (shared working tree) cannot pull them from under a
   * child JVM. Such a rebuild may have emptied the output folders for a moment: copy again until
   * the classes the child needs are there.
   */
  @BeforeAll
  static void snapshotClasses() throws IOException, InterruptedException {
    final String pkg = PartitionStore.class.getPackageName().replace('.', '/');
    final Path target = classesDir.resolve(pkg);
    Files.createDirectories(target);
    final List<String> entries = new ArrayList<>();
    entries.add(classesDir.toString());
    entries.addAll(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      for (final String entry : entries.subList(1, entries.size())) {
        copyClasses(Path.of(entry).resolve(pkg), target);
      }
      if (Files.exists(
              target.resolve(CHILD_MAIN.substring(CHILD_MAIN.lastIndexOf('.') + 1) + ".class"))
          && Files.exists(target.resolve(PartitionStore.class.getSimpleName() + ".class"))) {
        break;
      }
      assertThat(System.nanoTime()).as("classes for the child JVM appeared").isLessThan(deadline);
      Thread.sleep(200); // waiting on a build outside this test, not on anything it started
    }
    childClassPath = String.join(File.pathSeparator, entries);
  }

  private static void copyClasses(final Path from, final Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      return;
    }
    try (Stream<Path> files = Files.list(from)) {
      for (final Path f : (Iterable<Path>) files::iterator) {
        try {
          Files.copy(
              f, to.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
        } catch (final NoSuchFileException ignore) {
          // deleted by a rebuild while listing: the next round copies it again
        }
      }
    }
  }

  private static String expectedChildOutcome(final int round) {
    // after an odd round the child itself finds the killed store; after an even one the parent
    // has recovered and closed it cleanly
    return round % 2 == 0 ? "RECOVERED" : "REOPENED";
  }

  private static long seqOf(final String openLine) {
    final int at = openLine.indexOf("seq=") + 4;
    return Long.parseLong(openLine.substring(at, openLine.indexOf(' ', at)));
  }

  /** A child JVM running {@link ApplyLoopMain}, its output read by a daemon thread. */
  private static final class Child {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> other = new ArrayList<>();

    private Child(final Process process) {
      this.process = process;
      final Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                  }
                } catch (final IOException ignore) {
                  // process gone
                }
                lines.add("EOF");
              },
              "child-output");
      reader.setDaemon(true);
      reader.start();
    }

    static Child start(final Path file, final String classPath, final String... args)
        throws IOException {
      final List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      final String flags = System.getProperty("compartment.jvm.flags", "").trim();
      if (!flags.isEmpty()) {
        command.addAll(List.of(flags.split("\\s+")));
      }
      command.addAll(
          List.of("-Xmx256m", "-XX:+UseSerialGC", "-cp", classPath, CHILD_MAIN, file.toString()));
      command.addAll(List.of(args));
      return new Child(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Next line starting with {@code prefix}, skipping others (Chronicle's warnings). */
    String expectLine(final String prefix) throws InterruptedException {
      final long deadline = System.nanoTime() + LINE_TIMEOUT.toNanos();
      while (true) {
        final String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (line == null || line.equals("EOF")) {
          throw new AssertionError(
              "child: no '"
                  + prefix
                  + "' line ("
                  + (line == null ? "timeout" : "exited")
                  + "); other output: "
                  + other);
        }
        if (line.startsWith(prefix)) {
          return line;
        }
        if (other.size() < 50) {
          other.add(line);
        }
      }
    }

    void kill() throws InterruptedException {
      process.destroyForcibly();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("child died").isTrue();
    }
  }
}
