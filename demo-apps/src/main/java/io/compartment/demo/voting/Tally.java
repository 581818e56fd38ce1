package io.compartment.demo.voting;

import io.compartment.demo.net.NodeId;
import java.util.HashSet;
import java.util.Set;

/** The votes received so far on one request. */
final class Tally {

  private final Set<NodeId> approvals = new HashSet<>();
  private final Set<NodeId> rejections = new HashSet<>();

  /** Records a vote; a voter's second vote on the same request is ignored. */
  void record(NodeId voter, boolean approve) {
    if (approvals.contains(voter) || rejections.contains(voter)) {
      return;
    }
    (approve ? approvals : rejections).add(voter);
  }

  int approvals() {
    return approvals.size();
  }

  int rejections() {
    return rejections.size();
  }

  int votes() {
    return approvals.size() + rejections.size();
  }
}
