package io.compartment.scenarios;

import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.scenarios.Messages.Entry;

/** A service whose state lives in another class ({@link Ledger}). */
@ProtocolService
class Ledgered {
  private final Ledger ledger = new Ledger();

  @Handler
  void onEntry(Entry e) {
    if (ledger.at(e.slot()) == null) {
      ledger.record(e.slot(), e.value());
    }
  }
}
