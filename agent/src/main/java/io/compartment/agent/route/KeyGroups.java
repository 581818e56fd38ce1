package io.compartment.agent.route;

import io.compartment.analyzer.trace.Values;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Maps partition keys to key groups: a fixed number of groups, each owned by one worker, so that
 * re-partitioning moves whole groups. The hash must come out the same in the host and in every
 * worker JVM, so it is computed from the key's value, never from identity hash codes: numbers by
 * value (an {@code int} slot and a {@code long} slot are one key, as in the trace), text by its
 * UTF-8 bytes, enums by class and constant name, records and lists by their parts in order, sets
 * and maps regardless of order. A key of any other class has no hash this JVM can promise another
 * JVM will agree on, and is refused with {@link UnstableKeyException}.
 */
public final class KeyGroups {
  /** Key groups per compartment by default: many more than workers, few enough to ship quickly. */
  public static final int DEFAULT_GROUPS = 256;

  private final int groups;

  public KeyGroups(int groups) {
    if (groups < 1 || Integer.bitCount(groups) != 1) {
      throw new IllegalArgumentException("key groups must be a power of two, got " + groups);
    }
    this.groups = groups;
  }

  public int groups() {
    return groups;
  }

  /** The key group of {@code key}, in {@code [0, groups)}. */
  public int groupOf(Object key) {
    return (int) (mix(stableHash(key, 0)) & (groups - 1));
  }

  /** The worker that owns {@code group} when {@code workers} share the groups round-robin. */
  public static int workerOf(int group, int workers) {
    if (workers < 1) throw new IllegalArgumentException("workers must be positive: " + workers);
    return group % workers;
  }

  /** Thrown for a key whose hash could differ between JVMs. */
  public static final class UnstableKeyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UnstableKeyException(String message) {
      super(message);
    }
  }

  static long stableHash(Object key, int depth) {
    if (depth > 8) throw new UnstableKeyException("key nested more than 8 levels deep");
    Object k = Values.normalize(key);
    if (k == null) return 0x9E3779B97F4A7C15L;
    if (k instanceof Long l) return l;
    if (k instanceof Double d) return Double.doubleToLongBits(d);
    if (k instanceof Float f) return Double.doubleToLongBits(f);
    if (k instanceof Boolean b) return b ? 1231 : 1237;
    if (k instanceof Character c) return c;
    if (k instanceof CharSequence s) return bytes(s.toString().getBytes(StandardCharsets.UTF_8));
    if (k instanceof UUID u) return u.getMostSignificantBits() * 31 + u.getLeastSignificantBits();
    if (k instanceof Enum<?> e) {
      return bytes(
          (e.getDeclaringClass().getName() + "." + e.name()).getBytes(StandardCharsets.UTF_8));
    }
    if (k instanceof byte[] b) return bytes(b);
    if (k instanceof Record r) {
      long h = bytes(r.getClass().getName().getBytes(StandardCharsets.UTF_8));
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        try {
          c.getAccessor().setAccessible(true);
          h = h * 31 + mix(stableHash(c.getAccessor().invoke(r), depth + 1));
        } catch (ReflectiveOperationException | RuntimeException e) {
          throw new UnstableKeyException(
              "record key " + r.getClass().getName() + " cannot be read: " + e);
        }
      }
      return h;
    }
    if (k instanceof List<?> list) {
      long h = 1;
      for (Object e : list) h = h * 31 + mix(stableHash(e, depth + 1));
      return h;
    }
    if (k instanceof Set<?> set) {
      long h = 0;
      for (Object e : set) h += mix(stableHash(e, depth + 1));
      return h;
    }
    if (k instanceof Map<?, ?> map) {
      long h = 0;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        h += mix(stableHash(e.getKey(), depth + 1) * 31 + stableHash(e.getValue(), depth + 1));
      }
      return h;
    }
    if (k instanceof Collection<?>) {
      throw new UnstableKeyException(
          "collection key of class " + k.getClass().getName() + " has no defined order");
    }
    throw new UnstableKeyException(
        "key of class "
            + k.getClass().getName()
            + " has no stable hash across JVMs (use numbers, text, enums, UUIDs, records or"
            + " lists of them as partition keys)");
  }

  private static long bytes(byte[] b) {
    long h = 0xCBF29CE484222325L; // FNV-1a 64
    for (byte x : b) {
      h ^= x & 0xFF;
      h *= 0x100000001B3L;
    }
    return h;
  }

  /** Finalizer of SplitMix64: spreads nearby values (consecutive slots) across groups. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
