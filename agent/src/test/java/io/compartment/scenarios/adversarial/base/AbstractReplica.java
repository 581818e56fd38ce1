package io.compartment.scenarios.adversarial.base;

import io.compartment.api.Handler;
import io.compartment.api.State;
import java.util.HashMap;
import java.util.Map;

/** A base class in another package that declares the state and the handlers. */
public abstract class AbstractReplica {
  @State protected final Map<Long, String> accepted = new HashMap<>();

  /** Keyed by the slot: the handler lives here, the service class only extends it. */
  @Handler
  public void onAccept(Accept a) {
    accepted.put(a.slot(), a.value());
    afterAccept(a);
  }

  protected abstract void afterAccept(Accept a);

  public long digest() {
    long h = 0;
    for (Map.Entry<Long, String> e : accepted.entrySet())
      h += e.getKey() * 31 + e.getValue().hashCode();
    return h;
  }

  /** The message. */
  public record Accept(long slot, String value) {}
}
