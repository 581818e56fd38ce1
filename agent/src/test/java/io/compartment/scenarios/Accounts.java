package io.compartment.scenarios;

import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.scenarios.Messages.Deposit;
import io.compartment.scenarios.Messages.Transfer;
import java.util.HashMap;
import java.util.Map;

/** Trap: a handler that writes two keys of one map. */
@ProtocolService
class Accounts {
  @State private final Map<String, Long> balances = new HashMap<>();

  @Handler
  void transfer(Transfer t) {
    balances.merge(t.from(), -t.amount(), Long::sum);
    balances.merge(t.to(), t.amount(), Long::sum);
  }

  @Handler
  void deposit(Deposit d) {
    balances.merge(d.account(), d.amount(), Long::sum);
  }
}
