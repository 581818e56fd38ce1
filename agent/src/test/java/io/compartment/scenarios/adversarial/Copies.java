package io.compartment.scenarios.adversarial;

import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.scenarios.adversarial.Msgs.Bump;
import io.compartment.scenarios.adversarial.Msgs.Incr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** State read or written through JDK code the rewrite does not see as calls on state. */
@ProtocolService
class Copies {
  @State private final Map<String, Long> book = new HashMap<>();
  @State private final long[] window = new long[8];
  @State private final Map<String, Map.Entry<String, Long>> pairs = new HashMap<>();

  @Handler
  void record(Incr m) {
    book.merge(m.key(), (long) m.by(), Long::sum);
  }

  /** A snapshot through a copy constructor: a read of the whole map. */
  @Handler
  Map<String, Long> copy(Incr m) {
    return new HashMap<>(book);
  }

  @Handler
  List<Long> copyValues(Incr m) {
    return new ArrayList<>(book.values());
  }

  /** A two-argument constructor at the deepest point of the operand stack. */
  @Handler
  void pair(Incr m) {
    pairs.put(m.key(), new java.util.AbstractMap.SimpleEntry<>(m.key(), (long) m.by()));
  }

  /** Writes the window only through System.arraycopy. */
  @Handler
  void load(Bump b) {
    long[] src = {b.by(), b.by() + 1};
    System.arraycopy(src, 0, window, b.idx() % 6, 2);
  }

  /** Prints the whole map. */
  @Handler
  String describe(Incr m) {
    return String.valueOf(book);
  }

  /** Prints the whole map into a string (an indy concatenation). */
  @Handler
  String status(Incr m) {
    return "book=" + book + " for " + m.key();
  }

  /** The same through a StringBuilder, as older compilers emit it. */
  @Handler
  String statusBuilder(Incr m) {
    StringBuilder sb = new StringBuilder("book=");
    sb.append((Object) book);
    return sb.toString();
  }

  long digest() {
    long h = book.hashCode() * 31L + pairs.hashCode();
    for (long w : window) h = h * 31 + w;
    return h;
  }
}
