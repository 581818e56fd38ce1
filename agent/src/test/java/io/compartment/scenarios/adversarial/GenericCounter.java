package io.compartment.scenarios.adversarial;

import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.scenarios.adversarial.Msgs.Incr;
import java.util.HashMap;
import java.util.Map;

/** Extends a generic base: the state is written in the bridge-reached override. */
@ProtocolService
class GenericCounter extends GenericBase<Incr> {
  @State final Map<String, Long> counts = new HashMap<>();

  @Override
  protected void apply(Incr m) {
    counts.merge(m.key(), (long) m.by(), Long::sum);
  }
}
