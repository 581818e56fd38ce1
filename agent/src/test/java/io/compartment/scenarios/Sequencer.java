package io.compartment.scenarios;

import io.compartment.api.Emit;
import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.scenarios.Messages.Assigned;
import io.compartment.scenarios.Messages.Request;
import java.util.ArrayList;
import java.util.List;

/** Trap: a counter that only grows, but whose exact value is handed out (an allocation). */
@ProtocolService
class Sequencer {
  @State private long nextId = 1;
  @State private long requests;
  private final List<Object> sent = new ArrayList<>();

  @Handler
  void assign(Request r) {
    long id = nextId++;
    send(new Assigned(r.client(), id));
  }

  /** A plain counter never handed out: grows only, MONOTONIC. */
  @Handler
  void count(Request r) {
    requests++;
  }

  @Emit
  void send(Object message) {
    if (sent.size() > 64) sent.clear();
    sent.add(message);
  }
}
