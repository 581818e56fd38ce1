package io.compartment.scenarios.adversarial;

import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.scenarios.adversarial.Msgs.Incr;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** Handlers called from four threads: a ConcurrentHashMap and synchronized handlers. */
@ProtocolService
class Concurrent {
  @State private final ConcurrentHashMap<String, Long> counts = new ConcurrentHashMap<>();
  @State private final List<String> journal = new ArrayList<>();
  @State private long total;

  @Handler
  void incr(Incr m) {
    counts.merge(m.key(), (long) m.by(), Long::sum);
  }

  @Handler
  synchronized void journal(Incr m) {
    journal.add(m.key());
    total += m.by();
    if (journal.size() > 100) journal.clear();
  }

  synchronized long digest() {
    long s = 0;
    for (long v : counts.values()) s += v;
    return s * 31 + total;
  }
}
