package io.compartment.scenarios.adversarial;

import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Messages whose getters throw or count their calls, and messages with cyclic references. */
@ProtocolService
class Tricky {
  /** Getter calls seen by the application: must not change because an agent is attached. */
  static final AtomicLong GETTER_CALLS = new AtomicLong();

  @State private final Map<String, Long> seen = new HashMap<>();

  @Handler
  void onOdd(OddMessage m) {
    seen.merge(m.getKey(), 1L, Long::sum);
  }

  @Handler
  void onCycle(Node n) {
    seen.merge(n.id + "/" + n.next.id, 1L, Long::sum);
  }

  long digest() {
    return seen.hashCode();
  }

  /** A message with a plain getter, one that throws and one with a side effect. */
  static final class OddMessage {
    private final String key;
    private int reads;

    OddMessage(String key) {
      this.key = key;
    }

    public String getKey() {
      return key;
    }

    public int getBoom() {
      throw new IllegalStateException("boom");
    }

    public long getCounted() {
      reads++;
      return GETTER_CALLS.incrementAndGet();
    }

    public int getReads() {
      return reads;
    }
  }

  /** a.next.next == a; toString and hashCode recurse through the cycle until they overflow. */
  static final class Node {
    final String id;
    Node next;

    Node(String id) {
      this.id = id;
    }

    public Node getNext() {
      return next;
    }

    @Override
    public String toString() {
      return id + "->" + next;
    }

    @Override
    public int hashCode() {
      return id.hashCode() * 31 + next.hashCode();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Node n && n.id.equals(id) && n.next.equals(next);
    }
  }
}
