package io.compartment.scenarios.adversarial;

/** A top-level id generator with no annotations: its methods are library code to the agent. */
final class IdGen {
  private long next;

  /** Shaped like a getter (no arguments, a result), but advances the generator. */
  long next() {
    return ++next;
  }

  /** A real getter. */
  long peek() {
    return next;
  }
}
