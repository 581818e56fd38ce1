package io.compartment.agent.live;

import io.compartment.agent.route.StateSplit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * State in pieces small enough for one frame: a map or set is shipped as chunks of its entries,
 * anything else as one value. Chunks are built in the sender's codec size units (entries), and
 * folded back into the receiver's container.
 */
final class Shares {
  /** Entries per chunk; a chunk must also fit one Aeron message (see the frame limit check). */
  static final int ENTRIES_PER_CHUNK = 512;

  private Shares() {}

  /** True for the shapes that travel and persist entry by entry. */
  static boolean keyed(Object value) {
    return value instanceof Map<?, ?> || value instanceof Set<?>;
  }

  /** Chunks of a map's entries or a set's elements, each a new container like {@code empty}. */
  static List<Object> chunks(Object value, Supplier<Object> empty) {
    return chunks(value, empty, ENTRIES_PER_CHUNK);
  }

  /** {@link #chunks(Object, Supplier)} of at most {@code perChunk} entries each. */
  @SuppressWarnings("unchecked")
  static List<Object> chunks(Object value, Supplier<Object> empty, int perChunk) {
    List<Object> out = new ArrayList<>();
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> chunk = null;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (chunk == null || chunk.size() >= perChunk) {
          chunk = (Map<Object, Object>) empty.get();
          out.add(chunk);
        }
        chunk.put(e.getKey(), e.getValue());
      }
    } else if (value instanceof Set<?> s) {
      Set<Object> chunk = null;
      for (Iterator<?> it = s.iterator(); it.hasNext(); ) {
        if (chunk == null || chunk.size() >= perChunk) {
          chunk = (Set<Object>) empty.get();
          out.add(chunk);
        }
        chunk.add(it.next());
      }
    }
    return out;
  }

  /**
   * A shallow copy of a map or set, of the same kind as {@link StateSplit#emptyLike} gives; built
   * in one presized pass where the JDK offers one (a pause waits for it).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Object copyOf(Object value, String id) {
    if (value instanceof SortedMap<?, ?> m) return new TreeMap<>((SortedMap) m);
    if (value instanceof Map<?, ?> m) return new HashMap<>(m);
    if (value instanceof SortedSet<?> s) return new TreeSet<>((SortedSet) s);
    if (value instanceof Set<?> s) return new HashSet<>(s);
    Object copy = StateSplit.emptyLike(value);
    addAll(copy, value, id);
    return copy;
  }

  /** Adds a chunk's entries into {@code into}. */
  @SuppressWarnings("unchecked")
  static void addAll(Object into, Object chunk, String id) {
    if (into instanceof Map<?, ?> m && chunk instanceof Map<?, ?> c) {
      ((Map<Object, Object>) m).putAll(c);
    } else if (into instanceof Collection<?> m && chunk instanceof Collection<?> c) {
      ((Collection<Object>) m).addAll(c);
    } else {
      throw new IllegalStateException(
          "state field "
              + id
              + ": a piece of "
              + (chunk == null ? "null" : chunk.getClass().getName())
              + " does not fit a "
              + (into == null ? "missing container" : into.getClass().getName()));
    }
  }
}
