package io.compartment.scenarios;

import io.compartment.api.Emit;
import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.scenarios.Messages.Prepare;
import io.compartment.scenarios.Messages.Promise;

/** A lattice merge: joins the message's ballot into the state and emits the merged value. */
@ProtocolService
class MaxRegister {
  @State private long ballot;

  @Handler
  void promise(Prepare p) {
    ballot = Math.max(ballot, p.ballot());
    reply(new Promise(ballot));
  }

  @Emit
  void reply(Object message) {}
}
