package io.compartment.analyzer.report;

/** The class of a handler (DESIGN section 3); the names are the report's {@code class} values. */
public enum HandlerClass {
  /** Reads only the message and configuration; writes no state. */
  STATELESS,
  /** Every state access is keyed by one message attribute, or reads replicated lattice state. */
  PARTITIONABLE,
  /** All writes grow or inflate; reads are point lookups or threshold tests. */
  MONOTONIC,
  /** Anything else: stays in the host process. */
  SEQUENTIAL,
  /** Never invoked while tracing. */
  UNOBSERVED
}
