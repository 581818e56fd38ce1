package io.compartment.scenarios.adversarial;

import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.scenarios.adversarial.Msgs.Incr;
import java.util.HashMap;
import java.util.Map;

/** An enum singleton service, with a static handler reaching it through the constant. */
@ProtocolService
enum Registry {
  INSTANCE;

  @State private final Map<String, Integer> members = new HashMap<>();

  @Handler
  void join(Incr m) {
    members.merge(m.key(), 1, Integer::sum);
  }

  @Handler
  static void leave(Incr m) {
    INSTANCE.members.remove(m.key());
  }

  long digest() {
    return members.hashCode();
  }
}
