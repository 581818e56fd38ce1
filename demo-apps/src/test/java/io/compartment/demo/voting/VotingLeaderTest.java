package io.compartment.demo.voting;

import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VotingLeaderTest {

  private static final class Inbox implements Node {
    final NodeId id;
    final List<Object> received = new ArrayList<>();

    Inbox(NodeId id) {
      this.id = id;
    }

    @Override
    public NodeId id() {
      return id;
    }

    @Override
    public void onMessage(NodeId from, Object message) {
      received.add(message);
    }
  }

  @Test
  void decidesOnlyOnceEveryVoterHasVotedAndIgnoresRepeatedVotes() {
    Network network = new Network(1);
    List<NodeId> voters =
        List.of(network.address("v0"), network.address("v1"), network.address("v2"));
    voters.forEach(v -> network.attach(new Inbox(v)));
    Inbox client = network.join("client", Inbox::new);
    VotingLeader leader = network.join("leader", id -> new VotingLeader(id, network, voters));

    leader.onVote(new Vote(9, client.id(), voters.get(0), true));
    leader.onVote(new Vote(9, client.id(), voters.get(0), true));
    leader.onVote(new Vote(9, client.id(), voters.get(1), false));
    network.runUntilIdle();
    assertThat(client.received).isEmpty();

    leader.onVote(new Vote(9, client.id(), voters.get(2), true));
    network.runUntilIdle();
    assertThat(client.received).containsExactly(new VoteOutcome(9, true, 2, 1));
  }
}
