package io.compartment.scenarios.adversarial;

import io.compartment.api.Emit;
import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.scenarios.adversarial.Msgs.Begin;
import io.compartment.scenarios.adversarial.Msgs.Bump;
import io.compartment.scenarios.adversarial.Msgs.Item;
import io.compartment.scenarios.adversarial.Msgs.Put;
import io.compartment.scenarios.adversarial.Msgs.Started;
import java.util.TreeMap;

/**
 * State in objects of the application's own classes: a generator whose mutator looks like a getter,
 * a nested subclass of a JDK map with its own mutator, an array of arrays.
 */
@ProtocolService
class Holders {
  @State private final IdGen ids = new IdGen();
  @State private final Log log = new Log();
  @State private final long[][] grid = new long[4][8];
  static long sent;

  /** Hands out the generator's next value: an allocation, SEQUENTIAL. */
  @Handler
  void assign(Begin b) {
    send(new Started(b.client(), ids.next()));
  }

  @Handler
  long peekId(Begin b) {
    return ids.peek();
  }

  @Handler
  void append(Put p) {
    log.put(p.slot(), p.value());
  }

  /** Drops the oldest entries through a method of the map's own class: SEQUENTIAL. */
  @Handler
  void compact(Item i) {
    log.compact(8);
  }

  @Handler
  void setCell(Bump b) {
    grid[b.idx() % 4][b.idx() % 8] = b.by();
  }

  @Handler
  long readCell(Bump b) {
    return grid[b.idx() % 4][0];
  }

  @Emit
  void send(Object m) {
    sent += m.hashCode();
  }

  long digest() {
    long h = ids.peek() * 31 + log.hashCode() + sent;
    for (long[] row : grid) for (long c : row) h = h * 31 + c;
    return h;
  }

  /** A map with a mutator of its own. */
  static final class Log extends TreeMap<Long, String> {
    void compact(int keep) {
      while (size() > keep) pollFirstEntry();
    }
  }
}
