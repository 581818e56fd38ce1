package io.compartment.agent.report;

import io.compartment.agent.trace.ServiceCatalog;
import io.compartment.analyzer.trace.Trace;

/** Runs the analyzer's static pass over each traced handler's bytecode. */
final class StaticConfirmation {
  private StaticConfirmation() {}

  static void apply(Trace trace, ServiceCatalog catalog) {
    // filled in once the analyzer's StaticAnalyzer API is settled
  }
}
