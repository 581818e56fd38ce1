package io.compartment.scenarios;

import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import java.util.HashMap;
import java.util.Map;

/** Counters by key: a void write and a read that returns a value, both partitionable by key. */
@ProtocolService
class Registers {
  @State private final Map<String, Long> values = new HashMap<>();

  @Handler
  void write(Messages.Write w) {
    values.merge(w.key(), w.delta(), Long::sum);
  }

  @Handler
  long read(Messages.Read r) {
    return values.getOrDefault(r.key(), 0L);
  }
}
