package io.compartment.demo.multipaxos;

import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.demo.Violations;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.NodeId;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultiPaxosCheckerTest {

  private final Network network = new Network(1);
  private final NodeId leader = network.address("leader");
  private final NodeId a0 = network.address("a0");
  private final NodeId a1 = network.address("a1");
  private final NodeId a2 = network.address("a2");
  private final NodeId r0 = network.address("r0");
  private final NodeId r1 = network.address("r1");
  private final NodeId client = network.address("client");
  private final Violations violations = new Violations();
  private final MultiPaxosChecker checker = new MultiPaxosChecker(3, List.of(r0, r1), violations);

  private final Command put = Command.put(client, 1, "k", "v1");
  private final Command get = Command.get(client, 2, "k");

  /** A quorum of acceptors accepts {@code command} for {@code slot}, and it is sent as chosen. */
  private void choose(long slot, Command command) {
    checker.delivered(a0, leader, new Phase2b(0, slot, a0, command));
    checker.delivered(a1, leader, new Phase2b(0, slot, a1, command));
    checker.delivered(leader, r0, new Chosen(slot, command));
    checker.delivered(leader, r1, new Chosen(slot, command));
  }

  @Test
  void acceptsAConsistentRun() {
    checker.issued(put);
    checker.issued(get);
    choose(0, put);
    choose(1, get);
    checker.executed(r0, 0, put, null, true);
    checker.executed(r1, 0, put, null, true);
    checker.answered(new ClientReply(1, 0, null));
    checker.executed(r1, 1, get, "v1", true);
    checker.executed(r0, 1, get, "v1", true);
    checker.answered(new ClientReply(2, 1, "v1"));
    checker.finish();
    assertThat(violations.examples()).isEmpty();
  }

  @Test
  void detectsTwoChosenValuesForOneSlot() {
    choose(0, put);
    checker.delivered(leader, r1, new Chosen(0, get));
    assertThat(violations.examples()).anyMatch(v -> v.startsWith("slot 0 has two chosen values"));
  }

  @Test
  void detectsTwoQuorumsForDifferentValuesInOneSlot() {
    checker.delivered(a0, leader, new Phase2b(0, 4, a0, put));
    checker.delivered(a1, leader, new Phase2b(0, 4, a1, put));
    checker.delivered(a1, leader, new Phase2b(16, 4, a1, get));
    checker.delivered(a2, leader, new Phase2b(16, 4, a2, get));
    assertThat(violations.examples()).anyMatch(v -> v.startsWith("slot 4 has two chosen values"));
  }

  @Test
  void detectsAChosenWithoutQuorum() {
    checker.delivered(a0, leader, new Phase2b(0, 0, a0, put));
    checker.delivered(leader, r0, new Chosen(0, put));
    assertThat(violations.examples()).anyMatch(v -> v.contains("before a quorum"));
  }

  @Test
  void detectsOutOfOrderExecutionAndDivergingReplicas() {
    choose(0, put);
    choose(1, get);
    checker.executed(r0, 1, get, null, true);
    checker.executed(r1, 0, put, null, true);
    checker.executed(r1, 1, get, "something else", true);
    assertThat(violations.examples())
        .anyMatch(v -> v.contains("r0 executed slot 1 out of order"))
        .anyMatch(v -> v.contains("r1 diverged at slot 1"));
  }

  @Test
  void detectsACommandExecutedTwice() {
    checker.issued(put);
    choose(0, put);
    choose(1, put);
    checker.executed(r0, 0, put, null, true);
    checker.executed(r0, 1, put, "v1", true);
    assertThat(violations.examples()).anyMatch(v -> v.contains("r0 diverged at slot 1"));
  }

  @Test
  void detectsUnansweredCommandsAndLaggingReplicas() {
    checker.issued(put);
    choose(0, put);
    checker.executed(r0, 0, put, null, true);
    checker.finish();
    assertThat(violations.examples())
        .anyMatch(v -> v.contains("never answered"))
        .anyMatch(v -> v.contains("r1 executed 0 slots but 1 were chosen"));
  }

  @Test
  void detectsAReplyWithTheWrongResult() {
    checker.issued(put);
    checker.issued(get);
    choose(0, put);
    choose(1, get);
    checker.executed(r0, 0, put, null, true);
    checker.executed(r0, 1, get, "v1", true);
    checker.answered(new ClientReply(2, 1, "stale"));
    assertThat(violations.examples()).anyMatch(v -> v.startsWith("command 2 answered"));
  }
}
