package io.compartment.analyzer.report;

/** What may be done with a compartment (the report's {@code plan} values). */
public enum Plan {
  /** Stateless: run as many replicas as wanted, any routing. */
  REPLICATE,
  /** Monotonic: run asynchronously in its own process. */
  DECOUPLE,
  /** Partition state by hash of each routed handler's key; replicate lattice fields; broadcast. */
  PARTITION,
  /** Stays in the host process, unchanged. */
  KEEP
}
