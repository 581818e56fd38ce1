package io.compartment.scenarios;

import io.compartment.api.State;
import java.util.HashMap;
import java.util.Map;

/** State held outside the service class. */
class Ledger {
  @State private final Map<Long, String> entries = new HashMap<>();

  void record(long slot, String value) {
    entries.put(slot, value);
  }

  String at(long slot) {
    return entries.get(slot);
  }
}
