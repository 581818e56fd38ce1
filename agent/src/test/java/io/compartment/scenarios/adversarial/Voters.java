package io.compartment.scenarios.adversarial;

import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import java.util.HashMap;
import java.util.Map;

/** Implements the default-method handler. */
@ProtocolService
class Voters implements DefaultVoter {
  @State private final Map<Integer, Integer> tally = new HashMap<>();

  @Override
  public Map<Integer, Integer> tally() {
    return tally;
  }
}
