package io.compartment.transport.state;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Child JVM for {@link KillRecoveryTest}: opens the store, checks it, prints {@code OPEN ...}, then
 * applies {@link KillModel} batches forever, printing {@code SEQ <n>} every 100 batches, until it
 * is killed. With a second argument {@code hold-segment-lock} it applies batch 1, then holds the
 * write lock of the segment of key {@code last} until killed. With {@code block-in-recovery} it
 * stops inside Chronicle's recovery at its first corruption report, prints {@code RECOVERING
 * <report>} and waits there to be killed. Exits if its stdin closes (the parent died).
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

    final String mode = args.length > 1 ? args[1] : "";
    final PartitionStore.Context context = KillModel.context();
    if (mode.equals("block-in-recovery")) {
      context.corruptionListener(
          report -> {
            System.out.println("RECOVERING " + report.replace('\n', ' '));
            System.out.flush();
            while (true) {
              try {
                Thread.sleep(1_000);
              } catch (final InterruptedException ignore) {
                // wait to be killed
              }
            }
          });
    }
    final long start = System.nanoTime();
    final PartitionStore store = PartitionStore.open(Path.of(args[0]), context);
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
    if (mode.equals("hold-segment-lock")) {
      // take a segment's write lock and keep it until killed, as a death inside a put would
      store.apply(1, KillModel.batch(1, batch));
      store.map().queryContext(KillModel.bytes("last")).writeLock().lock();
      System.out.println("LOCKED");
      System.out.flush();
      while (true) {
        try {
          Thread.sleep(1_000);
        } catch (final InterruptedException ignore) {
          // keep holding
        }
      }
    }
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
