package io.compartment.agent.runtime;

/**
 * How an object met during a recorded invocation relates to state: the root value of a state field,
 * something reached from it through one key, something reached through a whole-collection
 * operation, or an outbox.
 */
record Derivation(FieldSite field, Mode mode, Object key) {
  enum Mode {
    /** The collection held by a {@code @State} field. */
    ROOT,
    /** A non-collection object held by a {@code @State} field: treated as one value. */
    ROOT_VALUE,
    /** Reached from the root through exactly one key ({@link #key}). */
    KEYED,
    /** Reached through a view, iterator, range or other whole-collection operation. */
    WHOLE,
    /** The object held by an {@code @Emit} outbox field. */
    OUTBOX
  }

  Derivation derived() {
    return switch (mode) {
      case KEYED, WHOLE -> this;
      case ROOT, ROOT_VALUE -> new Derivation(field, Mode.WHOLE, null);
      case OUTBOX -> null;
    };
  }

  Derivation atKey(Object k) {
    return new Derivation(field, Mode.KEYED, k);
  }
}
