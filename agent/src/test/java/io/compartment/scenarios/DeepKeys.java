package io.compartment.scenarios;

import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.scenarios.Messages.Envelope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Keys reached through getters two levels deep. */
@ProtocolService
class DeepKeys {
  @State private final Map<Long, List<String>> payloads = new HashMap<>();

  @Handler
  void onEnvelope(Envelope e) {
    payloads.computeIfAbsent(e.getHeader().getTxId(), k -> new ArrayList<>()).add(e.getPayload());
  }
}
