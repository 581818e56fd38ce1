package io.compartment.demo.voting;

import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.demo.Violations;
import org.junit.jupiter.api.Test;

class VotingCheckerTest {

  private static final int SEATS = 5;
  private final VotePolicy policy = new VotePolicy(55);
  private final Violations violations = new Violations();
  private final VotingChecker checker = new VotingChecker(policy, SEATS, violations);

  private VoteOutcome correctOutcome(long requestId, String motion) {
    int approvals = 0;
    for (int seat = 0; seat < SEATS; seat++) {
      approvals += policy.approves(seat, motion) ? 1 : 0;
    }
    return new VoteOutcome(
        requestId, VotePolicy.passes(approvals, SEATS), approvals, SEATS - approvals);
  }

  @Test
  void acceptsEachRequestDecidedOnceCorrectly() {
    checker.issued(1, "budget amendment 1");
    checker.issued(2, "audit amendment 2");
    checker.decided(correctOutcome(2, "audit amendment 2"));
    checker.decided(correctOutcome(1, "budget amendment 1"));
    checker.finish();
    assertThat(violations.examples()).isEmpty();
    assertThat(checker.decidedCount()).isEqualTo(2);
  }

  @Test
  void detectsARequestDecidedTwice() {
    checker.issued(1, "budget amendment 1");
    checker.decided(correctOutcome(1, "budget amendment 1"));
    checker.decided(correctOutcome(1, "budget amendment 1"));
    assertThat(violations.examples()).singleElement().asString().contains("decided twice");
  }

  @Test
  void detectsAnOutcomeThatContradictsTheVotes() {
    checker.issued(1, "budget amendment 1");
    VoteOutcome right = correctOutcome(1, "budget amendment 1");
    checker.decided(new VoteOutcome(1, !right.approved(), right.approvals(), right.rejections()));
    assertThat(violations.count()).isEqualTo(1);
  }

  @Test
  void detectsALostVote() {
    checker.issued(1, "budget amendment 1");
    VoteOutcome right = correctOutcome(1, "budget amendment 1");
    checker.decided(
        new VoteOutcome(1, right.approved(), right.approvals(), right.rejections() - 1));
    assertThat(violations.count()).isEqualTo(1);
  }

  @Test
  void detectsARequestNeverDecided() {
    checker.issued(1, "budget amendment 1");
    checker.finish();
    assertThat(violations.examples()).singleElement().asString().contains("never decided");
  }
}
