package io.compartment.transport.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Child JVMs open a store of some 40,000 entries ({@link BulkModel}) and are SIGKILLed at random
 * moments of that open: while the map is created, while it is recovered after the previous owner's
 * death, while the journal is replayed. Every later open must succeed and find exactly the state
 * after batch {@code lastAppliedSeq()}, which never goes back behind a batch a child reported as
 * applied. The kills are spread over the whole time an open takes, measured first; how many of them
 * landed inside an open is printed. {@code -Dcompartment.test.kills=N} runs N kills per test
 * (default 5).
 */
class ReopenKillTest {
  private static final int KILLS = Integer.getInteger("compartment.test.kills", 5);
  private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(60);

  /** {@link ReopenLoopMain}, named without loading it here. */
  private static final String CHILD_MAIN = "io.compartment.transport.state.ReopenLoopMain";

  @TempDir static Path classesDir;
  private static String childClassPath;

  @TempDir Path dir;

  private final long seed = System.nanoTime();
  private final Random random = new Random(seed);
  private long lastSeenSeq;

  @BeforeAll
  static void snapshotClasses() throws IOException, InterruptedException {
    childClassPath = ChildJvm.snapshotClassPath(classesDir, CHILD_MAIN);
  }

  @Test
  void killsAtRandomMomentsOfReopenLoseNothing() throws Exception {
    final Path file = PartitionStore.path(dir, "svc-r", 0);
    // fill every slot, then die while applying
    ChildJvm child = ChildJvm.start(childClassPath, CHILD_MAIN, file.toString());
    try {
      child.expectLine("OPENING");
      assertThat(child.expectLine("OPEN ")).contains("outcome=CREATED").contains("verify=ok");
      awaitSeq(child, BulkModel.SLOTS + 10);
    } finally {
      child.kill();
    }
    seen(child.rest());
    // one whole recovery, to learn how long an open takes
    long openUs;
    child = ChildJvm.start(childClassPath, CHILD_MAIN, file.toString());
    try {
      child.expectLine("OPENING");
      final String open = child.expectLine("OPEN ");
      checkOpenLine(open, "RECOVERED");
      openUs = field(open, "us");
      awaitSeq(child, lastSeenSeq + 5);
    } finally {
      child.kill();
    }
    seen(child.rest());

    int killedInOpen = 0;
    for (int k = 0; k < KILLS; k++) {
      child = ChildJvm.start(childClassPath, CHILD_MAIN, file.toString());
      final long delayUs;
      final boolean alive;
      try {
        child.expectLine("OPENING");
        delayUs = (long) (random.nextDouble() * openUs * 1.5);
        sleepUs(delayUs);
        alive = child.isAlive();
      } finally {
        child.kill();
      }
      final List<String> rest = child.rest();
      assertThat(alive).as("child alive until killed; output %s", child.otherOutput()).isTrue();
      final String open = seen(rest);
      if (open == null) {
        killedInOpen++;
      } else {
        // one slow open on a loaded machine must not spread the later kills past the open
        openUs = Math.min(openUs, field(open, "us"));
      }
    }

    final long t0 = System.nanoTime();
    try (PartitionStore store =
        assertTimeoutPreemptively(
            OPEN_TIMEOUT, () -> PartitionStore.open(file, BulkModel.context()))) {
      final long reopenMs = (System.nanoTime() - t0) / 1_000_000;
      assertThat(store.openOutcome()).isEqualTo(PartitionStore.OpenOutcome.RECOVERED);
      assertThat(BulkModel.verify(store)).isNull();
      assertThat(store.lastAppliedSeq()).isGreaterThanOrEqualTo(lastSeenSeq);
      System.out.printf(
          "PartitionStore: %d kills at random moments in [0, 1.5 x %d ms (shortest open seen)]"
              + " after a child started"
              + " to reopen a store of %d entries; %d landed before it had opened and checked the"
              + " store; final reopen %d ms,"
              + " seq %d (last reported %d); seed %d%n",
          KILLS,
          openUs / 1_000,
          store.size(),
          killedInOpen,
          reopenMs,
          store.lastAppliedSeq(),
          lastSeenSeq,
          seed);
    }
  }

  @Test
  void killsAtRandomMomentsOfCreateLeaveAFileThatOpens() throws Exception {
    final Path file = PartitionStore.path(dir, "svc-c", 0);
    final long createUs;
    ChildJvm child = ChildJvm.start(childClassPath, CHILD_MAIN, file.toString());
    try {
      child.expectLine("OPENING");
      final String open = child.expectLine("OPEN ");
      assertThat(open).contains("outcome=CREATED");
      createUs = field(open, "us");
    } finally {
      child.kill();
    }
    child.rest();
    PartitionStore.open(file, BulkModel.context()).delete();

    int killedInOpen = 0;
    for (int k = 0; k < KILLS; k++) {
      lastSeenSeq = 0;
      child = ChildJvm.start(childClassPath, CHILD_MAIN, file.toString());
      final boolean alive;
      try {
        child.expectLine("OPENING");
        sleepUs((long) (random.nextDouble() * createUs * 1.5));
        alive = child.isAlive();
      } finally {
        child.kill();
      }
      final List<String> rest = child.rest();
      assertThat(alive).as("child alive until killed; output %s", child.otherOutput()).isTrue();
      if (seen(rest) == null) {
        killedInOpen++;
      }
      final PartitionStore store =
          assertTimeoutPreemptively(
              OPEN_TIMEOUT, () -> PartitionStore.open(file, BulkModel.context()));
      try {
        assertThat(store.openOutcome())
            .isIn(PartitionStore.OpenOutcome.CREATED, PartitionStore.OpenOutcome.RECOVERED);
        assertThat(BulkModel.verify(store)).isNull();
        if (lastSeenSeq > 0) {
          assertThat(store.lastAppliedSeq()).isGreaterThanOrEqualTo(lastSeenSeq);
        }
      } finally {
        store.delete();
      }
    }
    System.out.printf(
        "PartitionStore: %d kills at random moments in [0, 1.5 x %d ms] after a child started to"
            + " create a store; %d landed before it had created and checked it; every file opened;"
            + " seed %d%n",
        KILLS, createUs / 1_000, killedInOpen, seed);
  }

  /**
   * Checks the lines a killed child printed: an {@code OPEN} line must show a correct store that
   * has not lost a batch reported before; {@code SEQ} lines raise the last reported batch.
   *
   * @return the {@code OPEN} line, or null if the child died before its open returned.
   */
  private String seen(final List<String> lines) {
    String open = null;
    for (final String line : lines) {
      if (line.startsWith("OPEN ")) {
        checkOpenLine(line, null);
        open = line;
      } else if (line.startsWith("SEQ ")) {
        lastSeenSeq = Math.max(lastSeenSeq, Long.parseLong(line.substring(4)));
      }
    }
    return open;
  }

  private void checkOpenLine(final String open, final String outcome) {
    assertThat(open).as("child's open").contains("verify=ok");
    if (outcome != null) {
      assertThat(open).contains("outcome=" + outcome);
    }
    if (lastSeenSeq > 0) {
      assertThat(field(open, "seq"))
          .as("seq after open: %s", open)
          .isGreaterThanOrEqualTo(lastSeenSeq);
    }
  }

  private void awaitSeq(final ChildJvm child, final long target) throws InterruptedException {
    long seq;
    do {
      seq = Long.parseLong(child.expectLine("SEQ ").substring(4));
      lastSeenSeq = Math.max(lastSeenSeq, seq);
    } while (seq < target);
  }

  private static long field(final String line, final String name) {
    final int at = line.indexOf(name + "=") + name.length() + 1;
    final int end = line.indexOf(' ', at);
    return Long.parseLong(end < 0 ? line.substring(at) : line.substring(at, end));
  }

  private static void sleepUs(final long us) throws InterruptedException {
    // a random delay that decides where the kill lands, not a wait for anything
    Thread.sleep(us / 1_000, (int) (us % 1_000) * 1_000);
  }
}
