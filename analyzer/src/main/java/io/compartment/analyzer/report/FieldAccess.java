package io.compartment.analyzer.report;

/** How a state field is reached across all handlers of a service (the report's {@code access}). */
public enum FieldAccess {
  /** Only through single keys. */
  KEYED,
  /** Only as a whole collection (iteration, size, range views...). */
  WHOLE,
  /** Only as one scalar value. */
  SCALAR,
  /** Several of the above. */
  MIXED,
  /** Never touched while tracing. */
  NONE
}
