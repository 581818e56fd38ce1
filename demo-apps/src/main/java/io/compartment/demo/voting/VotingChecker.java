package io.compartment.demo.voting;

import io.compartment.demo.Violations;
import io.compartment.demo.net.BoundaryTap;
import java.util.HashMap;
import java.util.Map;

/**
 * End-to-end check of the voting service: every request is decided exactly once, and each decision
 * carries the tally the voters' policy dictates and the majority outcome of that tally.
 */
public final class VotingChecker {

  private final VotePolicy policy;
  private final int seats;
  private final Violations violations;
  private final Map<Long, String> undecided = new HashMap<>();
  private long decided;

  public VotingChecker(VotePolicy policy, int seats, Violations violations) {
    this.policy = policy;
    this.seats = seats;
    this.violations = violations;
  }

  /**
   * The checker's view of clients placed in another process: their requests as they arrive at the
   * leader, their outcomes as the leader sends them.
   */
  public BoundaryTap atServiceEdge() {
    return BoundaryTap.of(
        (from, to, message) -> {
          if (message instanceof VoteRequest request) {
            issued(request.requestId(), request.motion());
          }
        },
        (from, to, message) -> {
          if (message instanceof VoteOutcome outcome) {
            decided(outcome);
          }
        });
  }

  public void issued(long requestId, String motion) {
    if (undecided.put(requestId, motion) != null) {
      violations.add("request id " + requestId + " issued twice");
    }
  }

  public void decided(VoteOutcome outcome) {
    String motion = undecided.remove(outcome.requestId());
    if (motion == null) {
      violations.add(
          "request " + outcome.requestId() + " decided twice or never issued: " + outcome);
      return;
    }
    decided++;
    int approvals = 0;
    for (int seat = 0; seat < seats; seat++) {
      if (policy.approves(seat, motion)) {
        approvals++;
      }
    }
    boolean approved = VotePolicy.passes(approvals, seats);
    if (outcome.approvals() != approvals
        || outcome.rejections() != seats - approvals
        || outcome.approved() != approved) {
      violations.add(
          "request "
              + outcome.requestId()
              + " on \""
              + motion
              + "\" decided "
              + outcome
              + " but its votes were "
              + approvals
              + " for, "
              + (seats - approvals)
              + " against (approved="
              + approved
              + ")");
    }
  }

  public void finish() {
    if (!undecided.isEmpty()) {
      violations.add(
          undecided.size()
              + " request(s) never decided, e.g. "
              + undecided.entrySet().iterator().next());
    }
  }

  public long decidedCount() {
    return decided;
  }
}
