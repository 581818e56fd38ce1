package io.compartment.transport.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child JVM for {@link ReopenKillTest}: warms Chronicle Map up on a scratch file, prints {@code
 * OPENING}, opens (creates or recovers) the store at {@code args[0]}, checks it against {@link
 * BulkModel} and prints {@code OPEN outcome=... seq=... ms=... verify=...}, then applies {@link
 * BulkModel} batches forever, printing {@code SEQ <n>} after each, until it is killed. Exits if its
 * stdin closes (the parent died).
 */
public final class ReopenLoopMain {
  private ReopenLoopMain() {}

  public static void main(final String[] args) throws IOException {
    final Thread watchdog =
        new Thread(
            () -> {
              try {
                while (System.in.read() >= 0) {
                  // wait for EOF
                }
              } catch (final IOException ignore) {
                // treat as EOF
              }
              Runtime.getRuntime().halt(3);
            });
    watchdog.setDaemon(true);
    watchdog.start();

    final Path file = Path.of(args[0]);
    // the first map of a JVM generates and compiles classes (about a second): do that before the
    // open under test, so that the parent's kill lands in the open itself
    Files.createDirectories(file.getParent());
    final Path scratch = Files.createTempDirectory(file.getParent(), "warm-");
    final Path warmFile = scratch.resolve("warm.cmap");
    for (int i = 0; i < 2; i++) {
      try (PartitionStore warm = PartitionStore.open(warmFile, BulkModel.context())) {
        warm.apply(i + 1, BulkModel.batch(i + 1, new StateBatch()));
      }
    }
    PartitionStore.open(warmFile, BulkModel.context().forceRecovery(true)).delete();
    Files.delete(scratch);

    System.out.println("OPENING");
    System.out.flush();
    final long start = System.nanoTime();
    final PartitionStore store = PartitionStore.open(file, BulkModel.context());
    final long openUs = (System.nanoTime() - start) / 1_000;
    final String problem = BulkModel.verify(store);
    System.out.println(
        "OPEN outcome="
            + store.openOutcome()
            + " seq="
            + store.lastAppliedSeq()
            + " us="
            + openUs
            + " verify="
            + (problem == null ? "ok" : problem.replace(' ', '_')));
    System.out.flush();
    final StateBatch batch = new StateBatch();
    for (long s = Math.max(1, store.lastAppliedSeq() + 1); ; s++) {
      store.apply(s, BulkModel.batch(s, batch));
      System.out.println("SEQ " + s);
      System.out.flush();
    }
  }
}
