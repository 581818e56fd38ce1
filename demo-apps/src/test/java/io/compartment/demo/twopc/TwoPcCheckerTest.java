package io.compartment.demo.twopc;

import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.demo.Violations;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.NodeId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TwoPcCheckerTest {

  private final Network network = new Network(1);
  private final NodeId coordinator = network.address("coordinator");
  private final NodeId p0 = network.address("p0");
  private final NodeId p1 = network.address("p1");
  private final NodeId client = network.address("client");
  private final Violations violations = new Violations();
  private final TwoPcChecker checker = new TwoPcChecker(Map.of("a", 100L, "b", 100L), violations);
  private final TxHeader header = new TxHeader(7, client);

  /** Issues a transfer of 10 from a (on p0) to b (on p1) and runs phase one with these votes. */
  private void prepare(boolean vote0, boolean vote1) {
    checker.issued(TxRequest.transfer(header, "a", "b", 10));
    checker.delivered(
        coordinator, p0, new Prepare(header, coordinator, List.of(new TxWrite("a", -10))));
    checker.delivered(
        coordinator, p1, new Prepare(header, coordinator, List.of(new TxWrite("b", 10))));
    checker.delivered(p0, coordinator, new PrepareVote(header, p0, vote0, vote0 ? null : "no"));
    checker.delivered(p1, coordinator, new PrepareVote(header, p1, vote1, vote1 ? null : "no"));
  }

  private void decide(NodeId participant, boolean commit) {
    checker.delivered(
        coordinator,
        participant,
        commit ? new Commit(header, coordinator) : new Abort(header, coordinator, "no"));
    checker.delivered(participant, coordinator, new DecisionAck(header, participant, commit));
  }

  @Test
  void acceptsACommittedTransferAppliedOnce() {
    prepare(true, true);
    decide(p0, true);
    decide(p1, true);
    checker.answered(new TxOutcome(header, true, "committed"));
    checker.finish(Map.of("a", 90L, "b", 110L));
    assertThat(violations.examples()).isEmpty();
    assertThat(checker.committed()).isEqualTo(1);
  }

  @Test
  void acceptsAnAbortedTransferLeavingBalancesAlone() {
    prepare(true, false);
    decide(p0, false);
    decide(p1, false);
    checker.answered(new TxOutcome(header, false, "p1 refused"));
    checker.finish(Map.of("a", 100L, "b", 100L));
    assertThat(violations.examples()).isEmpty();
  }

  @Test
  void detectsParticipantsReachingDifferentDecisions() {
    prepare(true, true);
    decide(p0, true);
    decide(p1, false);
    checker.answered(new TxOutcome(header, true, "committed"));
    assertThat(violations.examples()).anyMatch(v -> v.startsWith("atomicity"));
  }

  @Test
  void detectsACommitDespiteANoVote() {
    prepare(true, false);
    decide(p0, true);
    decide(p1, true);
    checker.answered(new TxOutcome(header, true, "committed"));
    assertThat(violations.examples()).anyMatch(v -> v.contains("committed although p1 voted no"));
  }

  @Test
  void detectsACommitAppliedTwice() {
    prepare(true, true);
    decide(p0, true);
    decide(p1, true);
    checker.answered(new TxOutcome(header, true, "committed"));
    checker.finish(Map.of("a", 80L, "b", 120L));
    assertThat(violations.examples()).anyMatch(v -> v.startsWith("account a holds 80"));
  }

  @Test
  void detectsATransactionAnsweredTwiceOrNever() {
    prepare(true, true);
    decide(p0, true);
    decide(p1, true);
    checker.answered(new TxOutcome(header, true, "committed"));
    checker.answered(new TxOutcome(header, true, "committed"));
    checker.issued(TxRequest.transfer(new TxHeader(8, client), "a", "b", 1));
    checker.finish(Map.of("a", 90L, "b", 110L));
    assertThat(violations.examples())
        .anyMatch(v -> v.contains("answered twice"))
        .anyMatch(v -> v.contains("never answered"));
  }
}
