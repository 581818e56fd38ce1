package io.compartment.demo.twopc;

import io.compartment.demo.net.NodeId;

/** A participant's answer to {@link Prepare}: prepared (yes) or refused, with the reason. */
public final class PrepareVote {

  private final TxHeader header;
  private final NodeId participant;
  private final boolean prepared;
  private final String reason;

  public PrepareVote(TxHeader header, NodeId participant, boolean prepared, String reason) {
    this.header = header;
    this.participant = participant;
    this.prepared = prepared;
    this.reason = reason;
  }

  public TxHeader getHeader() {
    return header;
  }

  public NodeId getParticipant() {
    return participant;
  }

  public boolean isPrepared() {
    return prepared;
  }

  /** Why the participant refused; null for a yes vote. */
  public String getReason() {
    return reason;
  }

  @Override
  public String toString() {
    return "PrepareVote["
        + header.txId()
        + " "
        + participant
        + " "
        + (prepared ? "yes" : "no: " + reason)
        + "]";
  }
}
