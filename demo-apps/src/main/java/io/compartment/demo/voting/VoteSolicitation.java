package io.compartment.demo.voting;

import io.compartment.demo.net.NodeId;

/**
 * The leader asks one voter for its vote on a motion. It carries the client along so that the
 * leader needs no memory of the request until votes come back.
 */
public final class VoteSolicitation {

  private final long requestId;
  private final NodeId client;
  private final String motion;
  private final NodeId leader;

  public VoteSolicitation(long requestId, NodeId client, String motion, NodeId leader) {
    this.requestId = requestId;
    this.client = client;
    this.motion = motion;
    this.leader = leader;
  }

  public long getRequestId() {
    return requestId;
  }

  public NodeId getClient() {
    return client;
  }

  public String getMotion() {
    return motion;
  }

  public NodeId getLeader() {
    return leader;
  }

  @Override
  public String toString() {
    return "VoteSolicitation[" + requestId + " " + motion + "]";
  }
}
