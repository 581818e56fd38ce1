package io.compartment.transport.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A workload with enough state that opening and recovering the map takes a while: batch {@code s}
 * (from 1) overwrites the {@value #KEYS} keys of slot {@code s % SLOTS}, each with a value naming
 * {@code s}. After batch {@code S} the store holds exactly {@code min(S, SLOTS) * KEYS} entries,
 * the keys of slot {@code m} holding the values of the last batch {@code s <= S} with {@code s %
 * SLOTS == m}.
 */
final class BulkModel {
  static final int SLOTS = 100;
  static final int KEYS = 400;

  private BulkModel() {}

  static PartitionStore.Context context() {
    return new PartitionStore.Context().entries(60_000).averageKeySize(10).averageValueSize(80);
  }

  static StateBatch batch(final long s, final StateBatch batch) {
    batch.reset();
    final int slot = (int) (s % SLOTS);
    for (int i = 0; i < KEYS; i++) {
      batch.put(key(slot, i), value(s, i));
    }
    return batch;
  }

  /**
   * @return null if the store holds exactly the state after batch {@code lastAppliedSeq()}, else
   *     what differs.
   */
  static String verify(final PartitionStore store) {
    final long last = store.lastAppliedSeq();
    if (last == PartitionStore.NULL_SEQ) {
      return store.size() == 0 ? null : "no seq but " + store.size() + " entries";
    }
    final long expectedSize = Math.min(last, SLOTS) * (long) KEYS;
    if (store.size() != expectedSize) {
      return "seq " + last + ": size " + store.size() + ", expected " + expectedSize;
    }
    int wrong = 0;
    String first = null;
    for (int slot = 0; slot < SLOTS; slot++) {
      final long s = last - Math.floorMod(last - slot, SLOTS);
      if (s < 1) {
        continue;
      }
      for (int i = 0; i < KEYS; i++) {
        if (!Arrays.equals(store.get(key(slot, i)), value(s, i))) {
          wrong++;
          if (first == null) {
            first = "s" + slot + ":" + i + " (batch " + s + ")";
          }
        }
      }
    }
    return wrong == 0
        ? null
        : "seq " + last + ": " + wrong + " keys missing or wrong, first " + first;
  }

  static byte[] key(final int slot, final int i) {
    return ("s" + slot + ":" + i).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] value(final long s, final int i) {
    final byte[] v = new byte[40 + (int) ((s * 31 + i * 17) % 80)];
    Arrays.fill(v, (byte) (s + i));
    ByteBuffer.wrap(v).putLong(s).putInt(i);
    return v;
  }
}
