package io.compartment.transport.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Deterministic workload for the kill test: batch {@code s} (from 1) puts 8 keys {@code b<s>:<i>},
 * overwrites {@code hot:<s % 4>} and {@code last}, and removes the 8 keys of batch {@code s - 5}.
 * The state after batch {@code S} is therefore known exactly, so a partial batch shows up.
 */
final class KillModel {
  static final int KEYS_PER_BATCH = 8;
  static final int KEPT_BATCHES = 5;
  static final int HOT_KEYS = 4;

  private KillModel() {}

  static PartitionStore.Context context() {
    return new PartitionStore.Context().entries(20_000).averageKeySize(12).averageValueSize(260);
  }

  static StateBatch batch(final long s, final StateBatch batch) {
    batch.reset();
    for (int i = 0; i < KEYS_PER_BATCH; i++) {
      batch.put(key(s, i), value(s, i));
    }
    batch.put(hotKey((int) (s % HOT_KEYS)), value(s, 99));
    batch.put(bytes("last"), ByteBuffer.allocate(8).putLong(s).array());
    if (s - KEPT_BATCHES >= 1) {
      for (int i = 0; i < KEYS_PER_BATCH; i++) {
        batch.remove(key(s - KEPT_BATCHES, i));
      }
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
    final long expectedSize =
        KEYS_PER_BATCH * Math.min(last, KEPT_BATCHES) + 1 + Math.min(last, HOT_KEYS);
    if (store.size() != expectedSize) {
      return "seq " + last + ": size " + store.size() + ", expected " + expectedSize;
    }
    for (long s = Math.max(1, last - KEPT_BATCHES + 1); s <= last; s++) {
      for (int i = 0; i < KEYS_PER_BATCH; i++) {
        if (!Arrays.equals(store.get(key(s, i)), value(s, i))) {
          return "seq " + last + ": key b" + s + ":" + i + " missing or wrong";
        }
      }
    }
    for (long s = Math.max(1, last - HOT_KEYS + 1); s <= last; s++) {
      if (!Arrays.equals(store.get(hotKey((int) (s % HOT_KEYS))), value(s, 99))) {
        return "seq " + last + ": hot key of batch " + s + " missing or wrong";
      }
    }
    final byte[] lastValue = store.get(bytes("last"));
    if (lastValue == null || ByteBuffer.wrap(lastValue).getLong() != last) {
      return "seq " + last + ": key 'last' does not say " + last;
    }
    return null;
  }

  static byte[] key(final long s, final int i) {
    return bytes("b" + s + ":" + i);
  }

  static byte[] hotKey(final int j) {
    return bytes("hot:" + j);
  }

  static byte[] value(final long s, final int i) {
    final byte[] v = new byte[50 + (int) ((s * 31 + i * 17) % 400)];
    Arrays.fill(v, (byte) (s + i));
    ByteBuffer.wrap(v).putLong(s);
    return v;
  }

  static byte[] bytes(final String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
