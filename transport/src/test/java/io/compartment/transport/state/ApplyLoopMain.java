package io.compartment.transport.state;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Child JVM for {@link KillRecoveryTest}: opens the store, checks it, prints {@code OPEN ...}, then
 * applies {@link KillModel} batches forever, printing {@code SEQ <n>} every 100 batches, until it
 * is killed. Exits if its stdin closes (the parent died).
 */
public final class ApplyLoopMain {
  private ApplyLoopMain() {}

  public static void main(final String[] args) {
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

    final long start = System.nanoTime();
    final PartitionStore store = PartitionStore.open(Path.of(args[0]), KillModel.context());
    final long openMs = (System.nanoTime() - start) / 1_000_000;
    final String problem = KillModel.verify(store);
    System.out.println(
        "OPEN outcome="
            + store.openOutcome()
            + " seq="
            + store.lastAppliedSeq()
            + " replayed="
            + store.replayedJournal()
            + " ms="
            + openMs
            + " verify="
            + (problem == null ? "ok" : problem.replace(' ', '_')));
    System.out.flush();
    final StateBatch batch = new StateBatch();
    for (long s = store.lastAppliedSeq() + 1; ; s++) {
      if (s == 0) {
        continue;
      }
      store.apply(s, KillModel.batch(s, batch));
      if (s % 100 == 0) {
        System.out.println("SEQ " + s);
        System.out.flush();
      }
    }
  }
}
