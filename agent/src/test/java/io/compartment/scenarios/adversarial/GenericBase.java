package io.compartment.scenarios.adversarial;

import io.compartment.api.Handler;

/** A generic base: the handler takes the type parameter, subclasses apply it. */
abstract class GenericBase<M> {
  long handled;

  @Handler
  public void handle(M message) {
    handled++;
    apply(message);
  }

  protected abstract void apply(M message);
}
