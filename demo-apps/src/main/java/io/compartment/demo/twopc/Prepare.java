package io.compartment.demo.twopc;

import io.compartment.demo.net.NodeId;
import java.util.List;

/** Phase one: asks a participant to lock and stage its part of a transaction. */
public record Prepare(TxHeader header, NodeId coordinator, List<TxWrite> writes) {

  public Prepare {
    writes = List.copyOf(writes);
  }
}
