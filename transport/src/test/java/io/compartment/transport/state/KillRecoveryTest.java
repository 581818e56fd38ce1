package io.compartment.transport.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
      final ChildJvm child = Child.start(file, childClassPath);
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
    final ChildJvm child = Child.start(file, childClassPath, "hold-segment-lock");
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
   * A process killed inside Chronicle's recovery (here: while it reports the segment lock that an
   * earlier killed writer held) must leave a file that the next open recovers, with everything that
   * was applied. Recovery rewrites the map's hash lookup slot by slot and marks the header "not
   * ready" while it runs, so it must never run on the only copy of the map.
   */
  @Test
  void killInsideRecoveryLosesNothing() throws Exception {
    final Path file = PartitionStore.path(dir, "svc-3", 1);
    final ChildJvm writer = Child.start(file, childClassPath, "hold-segment-lock");
    try {
      writer.expectLine("LOCKED");
    } finally {
      writer.kill();
    }
    for (int attempt = 1; attempt <= 2; attempt++) {
      final ChildJvm recovering = Child.start(file, childClassPath, "block-in-recovery");
      try {
        final String line = recovering.expectLine("RECOVERING");
        assertThat(line).as("the child stopped at the segment lock's report").contains("lock");
      } finally {
        recovering.kill();
      }
    }
    try (PartitionStore store =
        assertTimeoutPreemptively(
            REOPEN_TIMEOUT, () -> PartitionStore.open(file, KillModel.context()))) {
      assertThat(store.openOutcome()).isEqualTo(PartitionStore.OpenOutcome.RECOVERED);
      assertThat(store.lastAppliedSeq()).isEqualTo(1);
      assertThat(KillModel.verify(store)).isNull();
      assertThat(store.recoveredCorruptions()).as("the held lock is still found").isPositive();
      assertTimeoutPreemptively(
          Duration.ofSeconds(20), () -> store.apply(2, KillModel.batch(2, new StateBatch())));
      assertThat(KillModel.verify(store)).isNull();
    }
  }

  @BeforeAll
  static void snapshotClasses() throws IOException, InterruptedException {
    childClassPath = ChildJvm.snapshotClassPath(classesDir, CHILD_MAIN);
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

  /** A child JVM running {@link ApplyLoopMain}. */
  private static final class Child {
    static ChildJvm start(final Path file, final String classPath, final String... args)
        throws IOException {
      final String[] all = new String[args.length + 1];
      all[0] = file.toString();
      System.arraycopy(args, 0, all, 1, args.length);
      return ChildJvm.start(classPath, CHILD_MAIN, all);
    }
  }
}
