package io.compartment.analyzer.classify;

import io.compartment.analyzer.trace.ServiceTrace;
import io.compartment.analyzer.trace.Trace;

/** Shared sample traces for tests in other packages. */
public final class Fixtures {
  private Fixtures() {}

  /** A Paxos acceptor trace: replicated ballot, keyed log, whole-log phase 1; plus a warning. */
  public static Trace acceptorTrace() {
    Trace t = new Trace();
    ServiceTrace s = ClassifierTest.acceptor();
    s.warnings()
        .add(
            "field demo.paxos.Acceptor.peers is not @State and is written in the constructor only");
    t.services().put(s.service(), s);
    return t;
  }
}
