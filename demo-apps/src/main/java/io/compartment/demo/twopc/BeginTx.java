package io.compartment.demo.twopc;

import io.compartment.demo.net.NodeId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The front end hands a validated transaction, split by participant, to the coordinator. */
public final class BeginTx {

  private final TxHeader header;
  private final Map<NodeId, List<TxWrite>> branches;

  public BeginTx(TxHeader header, Map<NodeId, List<TxWrite>> branches) {
    this.header = header;
    this.branches = new LinkedHashMap<>(branches);
  }

  public TxHeader getHeader() {
    return header;
  }

  /** The writes each participant must apply, in a stable order. */
  public Map<NodeId, List<TxWrite>> getBranches() {
    return branches;
  }

  @Override
  public String toString() {
    return "BeginTx[" + header.txId() + " " + branches + "]";
  }
}
