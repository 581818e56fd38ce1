package io.compartment.scenarios;

import io.compartment.api.Emit;
import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.scenarios.Messages.Peers;
import io.compartment.scenarios.Messages.Ping;
import io.compartment.scenarios.Messages.Upsert;
import java.util.List;

/** A relay, a configuration write, an immutable collection replaced whole, an unused handler. */
@ProtocolService
class Misc {
  private List<String> peers = List.of("a", "b");
  @State private PersistentMap<String, Integer> entries = PersistentMap.empty();

  @Handler
  void relay(Ping p) {
    for (String peer : peers) {
      forward(peer, p);
    }
  }

  @Handler
  void reconfigure(Peers p) {
    peers = p.list();
  }

  @Handler
  void upsert(Upsert u) {
    entries = entries.plus(u.key(), u.value());
  }

  @Handler
  void neverCalled(Ping p) {
    peers = List.of();
  }

  @Emit
  void forward(String to, Object message) {}
}
