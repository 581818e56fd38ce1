package io.compartment.demo.bft;

import io.compartment.demo.net.NodeId;

/** One replica's result of executing request number {@code seq}, with the replica's code. */
public record SignedReply(
    long requestId, long seq, NodeId client, long result, NodeId replica, byte[] mac) {

  /** The text the replica's code covers. */
  public String text() {
    return requestId + "|" + seq + "|" + client.name() + "|" + result + "|" + replica.name();
  }
}
