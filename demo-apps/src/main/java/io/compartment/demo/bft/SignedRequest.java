package io.compartment.demo.bft;

import io.compartment.demo.net.NodeId;

/** A client's request to add {@code delta} to counter {@code key}, with the client's code. */
public record SignedRequest(long requestId, NodeId client, String key, long delta, byte[] mac) {

  /** The text the client's code covers. */
  public String text() {
    return requestId + "|" + client.name() + "|" + key + "|" + delta;
  }
}
