package io.compartment.scenarios.adversarial;

import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.scenarios.adversarial.base.AbstractReplica;
import java.util.HashSet;
import java.util.Set;

/** A service whose handler is inherited from an abstract base class in another package. */
@ProtocolService
class InheritingReplica extends AbstractReplica {
  @State final Set<Long> seen = new HashSet<>();

  @Override
  protected void afterAccept(Accept a) {
    seen.add(a.slot());
  }
}
