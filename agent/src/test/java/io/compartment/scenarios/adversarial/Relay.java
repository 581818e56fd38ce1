package io.compartment.scenarios.adversarial;

import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.scenarios.adversarial.Msgs.Batch;
import io.compartment.scenarios.adversarial.Msgs.Incr;

/**
 * A node of a cluster simulated in one JVM: it delivers to a peer service by calling the peer's
 * handler directly. The peer's state is not the relay's.
 */
@ProtocolService
class Relay {
  private final Flow peer;

  Relay(Flow peer) {
    this.peer = peer;
  }

  @Handler
  void pass(Batch b) {
    for (String k : b.keys()) peer.deposit(new Incr(k, 1));
  }
}
