package io.compartment.transport.state;

import static io.compartment.transport.state.KillModel.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionStoreTest {
  @TempDir Path dir;

  private static PartitionStore.Context small() {
    return new PartitionStore.Context().entries(1_000).averageKeySize(8).averageValueSize(32);
  }

  @Test
  void roundTrip() {
    final long t0 = System.nanoTime();
    try (PartitionStore store = PartitionStore.open(dir.resolve("p.cmap"), small())) {
      System.out.printf("PartitionStore: create %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      assertThat(store.openOutcome()).isEqualTo(PartitionStore.OpenOutcome.CREATED);
      assertThat(store.lastAppliedSeq()).isEqualTo(PartitionStore.NULL_SEQ);
      assertThat(store.size()).isZero();
      assertThat(store.get(bytes("a"))).isNull();

      store.put(bytes("a"), bytes("1"));
      store.put(bytes("b"), new byte[0]);
      assertThat(store.get(bytes("a"))).isEqualTo(bytes("1"));
      assertThat(store.get(bytes("b"))).isEmpty();
      assertThat(store.containsKey(bytes("b"))).isTrue();
      assertThat(store.size()).isEqualTo(2);

      store.apply(7, new StateBatch().put(bytes("c"), bytes("3")).remove(bytes("a")));
      assertThat(store.lastAppliedSeq()).isEqualTo(7);
      assertThat(store.get(bytes("a"))).isNull();
      assertThat(store.get(bytes("c"))).isEqualTo(bytes("3"));
      assertThat(store.size()).isEqualTo(2);

      final Map<String, String> seen = new HashMap<>();
      store.forEach((k, v) -> seen.put(new String(k), new String(v)));
      assertThat(seen).containsOnly(Map.entry("b", ""), Map.entry("c", "3"));

      assertThat(store.remove(bytes("b"))).isTrue();
      assertThat(store.remove(bytes("b"))).isFalse();
      assertThat(store.size()).isEqualTo(1);

      final long s0 = System.nanoTime();
      store.sync();
      System.out.printf(
          "PartitionStore: sync (msync journal and map) %d us%n", (System.nanoTime() - s0) / 1_000);
      store.apply(8, new StateBatch()); // empty batch only advances the seq
      assertThat(store.lastAppliedSeq()).isEqualTo(8);
      assertThatThrownBy(() -> store.apply(8, new StateBatch()))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.put(new byte[0], bytes("x")))
          .isInstanceOf(IllegalArgumentException.class);

      store.clear();
      assertThat(store.size()).isZero();
      assertThat(store.lastAppliedSeq()).isEqualTo(PartitionStore.NULL_SEQ);
    }
  }

  @Test
  void reopenAfterCloseKeepsDataAndSeq() {
    final Path file = dir.resolve("p.cmap");
    try (PartitionStore store = PartitionStore.open(file, small())) {
      store.apply(41, new StateBatch().put(bytes("k1"), bytes("v1")).put(bytes("k2"), bytes("v2")));
      store.put(bytes("k3"), bytes("v3"));
    }
    final long t0 = System.nanoTime();
    try (PartitionStore store = PartitionStore.open(file, small())) {
      System.out.printf(
          "PartitionStore: reopen after clean close %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      assertThat(store.openOutcome()).isEqualTo(PartitionStore.OpenOutcome.REOPENED);
      assertThat(store.replayedJournal()).isFalse();
      assertThat(store.lastAppliedSeq()).isEqualTo(41);
      assertThat(store.size()).isEqualTo(3);
      assertThat(store.get(bytes("k2"))).isEqualTo(bytes("v2"));
      assertThat(store.get(bytes("k3"))).isEqualTo(bytes("v3"));
    }
  }

  @Test
  void forcedRecoveryAfterCleanCloseKeepsEverything() {
    final Path file = dir.resolve("p.cmap");
    try (PartitionStore store = PartitionStore.open(file, small())) {
      store.apply(3, new StateBatch().put(bytes("k1"), bytes("v1")).put(bytes("k2"), bytes("v2")));
    }
    try (PartitionStore store = PartitionStore.open(file, small().forceRecovery(true))) {
      assertThat(store.openOutcome()).isEqualTo(PartitionStore.OpenOutcome.REOPENED);
      assertThat(store.recoveredCorruptions()).isZero();
      assertThat(store.lastAppliedSeq()).isEqualTo(3);
      assertThat(store.size()).isEqualTo(2);
      assertThat(store.get(bytes("k1"))).isEqualTo(bytes("v1"));
    }
  }

  @Test
  void journalRecordNewerThanMapIsReplayedOnOpen() {
    final Path file = dir.resolve("p.cmap");
    try (PartitionStore store = PartitionStore.open(file, small())) {
      store.apply(1, new StateBatch().put(bytes("x"), bytes("old")).put(bytes("gone"), bytes("1")));
    }
    // as if the process died after journaling batch 2 but before (or while) applying it
    try (BatchJournal journal = new BatchJournal(file)) {
      assertThat(journal.readLatest().seq()).isEqualTo(1);
      journal.write(2, new StateBatch().put(bytes("x"), bytes("new")).remove(bytes("gone")));
    }
    try (PartitionStore store = PartitionStore.open(file, small())) {
      assertThat(store.replayedJournal()).isTrue();
      assertThat(store.lastAppliedSeq()).isEqualTo(2);
      assertThat(store.get(bytes("x"))).isEqualTo(bytes("new"));
      assertThat(store.get(bytes("gone"))).isNull();
      store.apply(3, new StateBatch().put(bytes("y"), bytes("3")));
    }
    try (PartitionStore store = PartitionStore.open(file, small())) {
      assertThat(store.replayedJournal()).isFalse();
      assertThat(store.lastAppliedSeq()).isEqualTo(3);
      assertThat(store.size()).isEqualTo(2);
      store.apply(4, new StateBatch());
    }
    // an empty batch is journaled too: the newest record is always the last applied batch
    try (BatchJournal journal = new BatchJournal(file)) {
      assertThat(journal.readLatest().seq()).isEqualTo(4);
    }
  }

  @Test
  void batchLargerThanAJournalSlotGrowsIt() throws Exception {
    final Path file = dir.resolve("p.cmap");
    final byte[] big = new byte[40_000];
    Arrays.fill(big, (byte) 7);
    try (PartitionStore store = PartitionStore.open(file, small())) {
      store.apply(1, new StateBatch().put(bytes("x"), bytes("1")));
      store.apply(2, new StateBatch().put(bytes("a"), big).put(bytes("b"), big));
    }
    assertThat(Files.size(BatchJournal.slotPaths(file)[1]))
        .isGreaterThan(BatchJournal.MIN_SLOT_CAPACITY);
    try (BatchJournal journal = new BatchJournal(file)) {
      final BatchJournal.Entry latest = journal.readLatest();
      assertThat(latest.seq()).isEqualTo(2);
      assertThat(latest.batch().size()).isEqualTo(2);
      assertThat(latest.batch().value(1)).isEqualTo(big);
    }
    try (PartitionStore store = PartitionStore.open(file, small())) {
      assertThat(store.get(bytes("b"))).isEqualTo(big);
      store.apply(3, new StateBatch().remove(bytes("a")));
    }
  }

  @Test
  void tornJournalRecordIsIgnored() throws Exception {
    final Path file = dir.resolve("p.cmap");
    try (PartitionStore store = PartitionStore.open(file, small())) {
      store.apply(1, new StateBatch().put(bytes("x"), bytes("v1")));
    }
    try (BatchJournal journal = new BatchJournal(file)) {
      journal.readLatest();
      journal.write(2, new StateBatch().put(bytes("x"), bytes("v2")).put(bytes("y"), bytes("y")));
    }
    // batch 2 went to slot 1: damage its last byte, as a death before the write finished would
    final Path slot = BatchJournal.slotPaths(file)[1];
    final byte[] record = Files.readAllBytes(slot);
    final int last =
        BatchJournal.HEADER_LENGTH
            + ByteBuffer.wrap(record, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt()
            - 1;
    record[last] ^= 0x5A;
    Files.write(slot, record);
    try (PartitionStore store = PartitionStore.open(file, small())) {
      assertThat(store.replayedJournal()).isFalse();
      assertThat(store.lastAppliedSeq()).isEqualTo(1);
      assertThat(store.get(bytes("x"))).isEqualTo(bytes("v1"));
      assertThat(store.get(bytes("y"))).isNull();
    }
  }

  @Test
  void journalOffStillWritesSeqAfterChanges() {
    final Path file = dir.resolve("p.cmap");
    final PartitionStore.Context ctx = small().journal(false);
    try (PartitionStore store = PartitionStore.open(file, ctx)) {
      store.apply(5, new StateBatch().put(bytes("k"), bytes("v")));
    }
    try (BatchJournal journal = new BatchJournal(file)) {
      assertThat(journal.readLatest()).isNull();
    }
    try (PartitionStore store = PartitionStore.open(file, ctx)) {
      assertThat(store.lastAppliedSeq()).isEqualTo(5);
      assertThat(store.get(bytes("k"))).isEqualTo(bytes("v"));
    }
  }

  @Test
  void bulkLoadOf100kEntries() {
    final int n = 100_000;
    final Map<byte[], byte[]> entries = new IdentityHashMap<>(2 * n);
    for (int i = 0; i < n; i++) {
      final byte[] value = new byte[100];
      ByteBuffer.wrap(value).putInt(i);
      entries.put(bytes("key-" + i), value);
    }
    final PartitionStore.Context ctx =
        new PartitionStore.Context().entries(120_000).averageKeySize(10).averageValueSize(100);
    // the first load includes JIT warm-up of Chronicle's code; the second shows the steady rate
    for (final String name : new String[] {"cold", "warm"}) {
      final Path file = dir.resolve(name + ".cmap");
      try (PartitionStore store = PartitionStore.open(file, ctx)) {
        final long t0 = System.nanoTime();
        store.putAll(entries);
        final long loadNs = System.nanoTime() - t0;
        store.apply(100, new StateBatch());
        System.out.printf(
            "PartitionStore: putAll %d entries (10 B keys, 100 B values), %s JVM: %d ms"
                + " (%.0f k entries/s), file %d MiB%n",
            n, name, loadNs / 1_000_000, n / (loadNs / 1e6), file.toFile().length() >> 20);
        assertThat(store.size()).isEqualTo(n);
      }
    }
    final long t0 = System.nanoTime();
    try (PartitionStore store = PartitionStore.open(dir.resolve("cold.cmap"), ctx)) {
      final long openMs = (System.nanoTime() - t0) / 1_000_000;
      final AtomicLong count = new AtomicLong();
      final long t1 = System.nanoTime();
      store.forEach((k, v) -> count.incrementAndGet());
      System.out.printf(
          "PartitionStore: reopen %d entries %d ms, forEach %d ms%n",
          n, openMs, (System.nanoTime() - t1) / 1_000_000);
      assertThat(count.get()).isEqualTo(n);
      assertThat(store.lastAppliedSeq()).isEqualTo(100);
      assertThat(ByteBuffer.wrap(store.get(bytes("key-99999"))).getInt()).isEqualTo(99_999);
    }
    // what a reopen after a process death costs at this size: recovery reads the whole file
    final long t2 = System.nanoTime();
    try (PartitionStore store =
        PartitionStore.open(dir.resolve("cold.cmap"), ctx.forceRecovery(true))) {
      System.out.printf(
          "PartitionStore: reopen %d entries with recovery %d ms%n",
          n, (System.nanoTime() - t2) / 1_000_000);
      assertThat(store.size()).isEqualTo(n);
      assertThat(store.recoveredCorruptions()).isZero();
    }
  }

  @Test
  void oversizedEntryIsRejectedBeforeTheBatchTouchesTheStore() {
    final Path file = dir.resolve("p.cmap");
    try (PartitionStore store = PartitionStore.open(file, small())) {
      final long max = store.maxEntrySize();
      System.out.printf("PartitionStore: max entry (8 B keys, 32 B values) %d bytes%n", max);
      store.apply(1, new StateBatch().put(bytes("a"), bytes("1")));
      final byte[] fits = new byte[(int) max - 2];
      final StateBatch tooBig =
          new StateBatch().put(bytes("b"), bytes("2")).put(bytes("big"), new byte[(int) max]);
      assertThatThrownBy(() -> store.apply(2, tooBig))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("exceeds this map's maximum");
      assertThatThrownBy(() -> store.put(bytes("big"), new byte[(int) max]))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(store.lastAppliedSeq()).isEqualTo(1);
      assertThat(store.get(bytes("b"))).isNull();
      store.apply(2, new StateBatch().put(bytes("ok"), fits));
      assertThat(store.get(bytes("ok"))).hasSize(fits.length);
    }
    try (PartitionStore store = PartitionStore.open(file, small())) {
      assertThat(store.lastAppliedSeq()).isEqualTo(2);
      assertThat(store.size()).isEqualTo(2);
    }
    try (PartitionStore store = PartitionStore.open(dir.resolve("d.cmap"))) {
      System.out.printf(
          "PartitionStore: max entry with default sizes %d bytes%n", store.maxEntrySize());
    }
  }

  @Test
  void applyRate() {
    final int batches = 30_000;
    final byte[][] keys = new byte[1_000][];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = bytes("key-" + i);
    }
    final byte[] value = new byte[100];
    // alternate, and report only the last round of each: the first ones are JIT warm-up
    final boolean[] rounds = {true, false, true, false, true, false};
    for (int round = 0; round < rounds.length; round++) {
      final boolean journal = rounds[round];
      final PartitionStore.Context ctx =
          new PartitionStore.Context()
              .entries(2_000)
              .averageKeySize(8)
              .averageValueSize(100)
              .journal(journal);
      final Path file = dir.resolve("rate-" + round + ".cmap");
      try (PartitionStore store = PartitionStore.open(file, ctx)) {
        final StateBatch batch = new StateBatch();
        final long t0 = System.nanoTime();
        for (int s = 1; s <= batches; s++) {
          batch.reset();
          for (int i = 0; i < 10; i++) {
            batch.put(keys[(s * 10 + i) % keys.length], value);
          }
          store.apply(s, batch);
        }
        final long ns = System.nanoTime() - t0;
        if (round >= rounds.length - 2) {
          System.out.printf(
              "PartitionStore: apply, batches of 10 puts (100 B values), journal %s: %.1f us/batch%n",
              journal ? "on " : "off", ns / 1e3 / batches);
        }
        assertThat(store.lastAppliedSeq()).isEqualTo(batches);
      }
      PartitionStore.open(file, ctx).delete();
    }
  }

  @Test
  void twoPartitionsSideBySide() {
    final Path p0 = PartitionStore.path(dir, "acceptor#1", 0);
    final Path p1 = PartitionStore.path(dir, "acceptor#1", 1);
    assertThat(p0.getParent()).isEqualTo(dir.resolve("acceptor_1"));
    assertThat(p1.getFileName()).hasToString("partition-00001.cmap");
    try (PartitionStore s0 = PartitionStore.open(p0, small());
        PartitionStore s1 = PartitionStore.open(p1, small())) {
      s0.apply(1, new StateBatch().put(bytes("k"), bytes("zero")));
      s1.apply(9, new StateBatch().put(bytes("k"), bytes("one")).put(bytes("j"), bytes("1")));
      assertThat(s0.get(bytes("k"))).isEqualTo(bytes("zero"));
      assertThat(s1.get(bytes("k"))).isEqualTo(bytes("one"));
      assertThat(s0.size()).isEqualTo(1);
      assertThat(s1.size()).isEqualTo(2);
    }
    try (PartitionStore s0 = PartitionStore.open(p0, small());
        PartitionStore s1 = PartitionStore.open(p1, small())) {
      assertThat(s0.lastAppliedSeq()).isEqualTo(1);
      assertThat(s1.lastAppliedSeq()).isEqualTo(9);
      assertThat(s1.get(bytes("j"))).isEqualTo(bytes("1"));
    }
  }

  @Test
  void secondOpenOfSameFileIsRefused() {
    final Path file = dir.resolve("p.cmap");
    try (PartitionStore store = PartitionStore.open(file, small())) {
      assertThatThrownBy(() -> PartitionStore.open(file, small()))
          .isInstanceOf(StateStoreException.class)
          .hasMessageContaining(file.getFileName().toString())
          .hasMessageContaining("already open");
      assertThat(store.isClosed()).isFalse();
    }
  }

  @Test
  void deleteRemovesAllFiles() throws Exception {
    final Path file = dir.resolve("sub").resolve("p.cmap");
    final PartitionStore store = PartitionStore.open(file, small());
    store.apply(1, new StateBatch().put(bytes("k"), bytes("v")));
    store.delete();
    assertThat(store.isClosed()).isTrue();
    assertThatThrownBy(store::size).isInstanceOf(IllegalStateException.class);
    try (var listing = Files.list(file.getParent())) {
      assertThat(listing).isEmpty();
    }
    try (PartitionStore again = PartitionStore.open(file, small())) {
      assertThat(again.openOutcome()).isEqualTo(PartitionStore.OpenOutcome.CREATED);
      assertThat(again.size()).isZero();
    }
  }

  @Test
  void contextDefaultsAndValidation() {
    final PartitionStore.Context ctx = new PartitionStore.Context();
    assertThat(ctx.entries()).isEqualTo(PartitionStore.Context.ENTRIES_DEFAULT);
    assertThat(ctx.journal()).isTrue();
    assertThat(ctx.moveCorruptAside()).isFalse();
    assertThat(ctx.forceRecovery()).isFalse();
    assertThat(ctx.averageKeySize()).isEqualTo(PartitionStore.Context.AVERAGE_KEY_SIZE_DEFAULT);
    assertThat(ctx.averageValueSize()).isEqualTo(PartitionStore.Context.AVERAGE_VALUE_SIZE_DEFAULT);
    assertThatThrownBy(() -> new PartitionStore.Context().entries(0).conclude())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PartitionStore.Context().averageValueSize(-1).conclude())
        .isInstanceOf(IllegalArgumentException.class);
  }
}
