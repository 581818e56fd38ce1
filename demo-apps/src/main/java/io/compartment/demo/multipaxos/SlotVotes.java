package io.compartment.demo.multipaxos;

import io.compartment.demo.net.NodeId;
import java.util.HashSet;
import java.util.Set;

/** The leader's count of Phase2b answers for one slot, in the highest ballot heard of. */
final class SlotVotes {

  private long ballot = -1;
  private Command command;
  private final Set<NodeId> acceptors = new HashSet<>();
  private boolean chosen;

  /**
   * Counts {@code acceptor}'s acceptance of {@code value} in {@code b}; returns true exactly once,
   * when that makes a quorum.
   */
  boolean accepted(long b, NodeId acceptor, Command value, int quorum) {
    if (chosen) {
      acceptors.add(acceptor);
      return false;
    }
    if (b < ballot) {
      return false;
    }
    if (b > ballot) {
      ballot = b;
      command = value;
      acceptors.clear();
    }
    acceptors.add(acceptor);
    if (acceptors.size() >= quorum) {
      chosen = true;
      return true;
    }
    return false;
  }

  Command command() {
    return command;
  }

  /** Whether every acceptor has answered, so nothing more will arrive for this slot. */
  boolean complete(int acceptorCount) {
    return chosen && acceptors.size() >= acceptorCount;
  }
}
