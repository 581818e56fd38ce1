package io.compartment.analyzer.trace;

/** The reach of one state access. */
public enum AccessScope {
  /** A read or write of a scalar field's whole value. */
  SCALAR,
  /** A collection operation on one key, or any access to an object reached through one key. */
  KEYED,
  /** Iteration, size, clear, putAll, a range view, an unknown method, or state passed elsewhere. */
  WHOLE
}
