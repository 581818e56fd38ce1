package io.compartment.scenarios.adversarial;

import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.scenarios.adversarial.Msgs.Incr;
import java.util.AbstractList;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * State whose reads have effects (an access-ordered LRU map, a map counting its lookups) and state
 * calls that fail midway (a write to a read-only view, a bulk add whose source throws).
 */
@ProtocolService
class Caches {
  @State
  private final Map<String, Long> lru =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > 20;
        }
      };

  @State private final CountingMap counting = new CountingMap();

  @State
  private final Map<String, Long> frozen =
      Collections.unmodifiableMap(new HashMap<>(Map.of("a", 1L)));

  @State private final ArrayDeque<Integer> inbox = new ArrayDeque<>();

  @Handler
  long lookup(Incr m) {
    Long v = lru.get(m.key());
    lru.merge(m.key(), 1L, Long::sum);
    return v == null ? 0 : v;
  }

  @Handler
  void count(Incr m) {
    counting.merge(m.key(), 1L, Long::sum);
  }

  /** Always throws: the view is read-only. */
  @Handler
  void tryWrite(Incr m) {
    frozen.put(m.key(), 1L);
  }

  /** Adds some elements, then the source throws: the deque is changed all the same. */
  @Handler
  void takeBatch(Incr m) {
    inbox.addAll(new Failing(m.by()));
  }

  long digest() {
    return lru.hashCode() * 31L
        + lru.keySet().iterator().next().hashCode()
        + counting.hashCode()
        + counting.lookups * 7L
        + inbox.size();
  }

  /** A map that counts its lookups: reading it is an effect. */
  static final class CountingMap extends HashMap<String, Long> {
    long lookups;

    @Override
    public Long get(Object key) {
      lookups++;
      return super.get(key);
    }
  }

  /** A list whose third element cannot be read. */
  static final class Failing extends AbstractList<Integer> {
    private final int size;

    Failing(int size) {
      this.size = size;
    }

    @Override
    public Integer get(int index) {
      if (index == 2) throw new IllegalStateException("source failed at " + index);
      return index;
    }

    @Override
    public int size() {
      return size;
    }
  }
}
