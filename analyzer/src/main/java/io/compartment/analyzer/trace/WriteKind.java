package io.compartment.analyzer.trace;

/** How a write changed state (DESIGN section 3). */
public enum WriteKind {
  /** A new key, a set add, an append. */
  GROW,
  /**
   * An overwrite with a value {@code >=} the old one: a max register, a counter increment, a
   * superset.
   */
  INFLATE,
  /**
   * A decrease, remove, clear, poll, an incomparable overwrite, or an operation the agent does not
   * know.
   */
  NONMONOTONE
}
