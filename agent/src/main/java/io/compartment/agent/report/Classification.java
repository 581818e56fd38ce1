package io.compartment.agent.report;

import io.compartment.analyzer.classify.Classifier;
import io.compartment.analyzer.trace.Trace;

/** Classifies a trace into the report document. */
final class Classification {
  private Classification() {}

  static Object report(Trace trace) {
    return Classifier.classify(trace).toJson();
  }
}
