package io.compartment.scenarios;

import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.scenarios.Messages.Append;
import io.compartment.scenarios.Messages.Truncate;
import java.util.NavigableMap;
import java.util.TreeMap;

/** Trap: removal of a whole range of a map through a view. */
@ProtocolService
class TruncatingLog {
  @State private final NavigableMap<Long, String> log = new TreeMap<>();

  @Handler
  void append(Append a) {
    log.put(a.slot(), a.value());
  }

  @Handler
  void truncate(Truncate t) {
    log.headMap(t.upTo()).clear();
  }
}
