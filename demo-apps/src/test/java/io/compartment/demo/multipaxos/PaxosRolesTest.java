package io.compartment.demo.multipaxos;

import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaxosRolesTest {

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

  private final Network network = new Network(1);
  private final Inbox leader = network.join("leader", Inbox::new);

  @Test
  void acceptorNeverLowersItsBallotAndRefusesOlderBallots() {
    Acceptor acceptor = network.join("a", id -> new Acceptor(id, network));
    Command c = Command.put(leader.id(), 1, "k", "v");
    acceptor.onPhase2a(new Phase2a(5, 0, c, leader.id()));
    acceptor.onPhase2a(new Phase2a(3, 1, c, leader.id()));
    acceptor.onPhase1a(new Phase1a(4, leader.id(), 0));
    acceptor.onPhase1a(new Phase1a(9, leader.id(), 0));
    network.runUntilIdle();
    assertThat(leader.received.get(0)).isInstanceOf(Phase2b.class);
    assertThat(leader.received.get(1)).isEqualTo(new Nack(5, acceptor.id()));
    assertThat(leader.received.get(2)).isEqualTo(new Nack(5, acceptor.id()));
    assertThat(leader.received.get(3))
        .isEqualTo(new Phase1b(9, acceptor.id(), List.of(new LogEntry(0, 5, c))));
    assertThat(acceptor.log().entry(1)).isNull();
  }

  @Test
  void newLeaderReproposesAcceptedValuesFillsHolesAndContinuesAfterThem() {
    List<Inbox> acceptors = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      acceptors.add(network.join("a" + i, Inbox::new));
    }
    Inbox replica = network.join("r", Inbox::new);
    Inbox client = network.join("client", Inbox::new);
    List<NodeId> acceptorIds = acceptors.stream().map(Inbox::id).toList();
    Proposer proposer =
        network.join("p", id -> new Proposer(id, network, 1, acceptorIds, List.of(replica.id())));

    Command old0 = Command.put(client.id(), 1, "x", "1");
    Command old2 = Command.put(client.id(), 3, "x", "3");
    Command fresh = Command.get(client.id(), 4, "x");
    proposer.startElection();
    network.runUntilIdle();
    Phase1a phase1a = (Phase1a) acceptors.get(0).received.get(0);
    acceptors.forEach(a -> a.received.clear());

    proposer.onRequest(new ClientRequest(fresh)); // before phase 1 completes: held back
    proposer.onPhase1b(
        new Phase1b(phase1a.ballot(), acceptorIds.get(0), List.of(new LogEntry(0, 0, old0))));
    assertThat(proposer.isActive()).isFalse();
    proposer.onPhase1b(
        new Phase1b(phase1a.ballot(), acceptorIds.get(1), List.of(new LogEntry(2, 0, old2))));
    assertThat(proposer.isActive()).isTrue();
    network.runUntilIdle();

    List<Object> proposals = acceptors.get(2).received;
    assertThat(proposals)
        .containsExactly(
            new Phase2a(phase1a.ballot(), 0, old0, proposer.id()),
            new Phase2a(phase1a.ballot(), 1, Command.noop(), proposer.id()),
            new Phase2a(phase1a.ballot(), 2, old2, proposer.id()),
            new Phase2a(phase1a.ballot(), 3, fresh, proposer.id()));

    proposer.onPhase2b(new Phase2b(phase1a.ballot(), 3, acceptorIds.get(0), fresh));
    proposer.onPhase2b(new Phase2b(phase1a.ballot(), 3, acceptorIds.get(1), fresh));
    proposer.onPhase2b(new Phase2b(phase1a.ballot(), 3, acceptorIds.get(2), fresh));
    network.runUntilIdle();
    assertThat(replica.received).containsExactly(new Chosen(3, fresh));
  }

  @Test
  void replicaExecutesInSlotOrderSkipsDuplicatesAndAnswersOnce() {
    Inbox client = network.join("client", Inbox::new);
    List<String> executed = new ArrayList<>();
    Replica replica =
        network.join(
            "r",
            id ->
                new Replica(
                    id,
                    network,
                    0,
                    1,
                    (r, slot, command, result, applied) ->
                        executed.add(slot + ":" + command.op() + ":" + result + ":" + applied)));
    Command put = Command.put(client.id(), 1, "k", "v");
    Command get = Command.get(client.id(), 2, "k");
    replica.onChosen(new Chosen(2, get));
    replica.onChosen(new Chosen(1, put));
    assertThat(executed).isEmpty();
    replica.onChosen(new Chosen(0, put));
    replica.onChosen(new Chosen(0, put));
    network.runUntilIdle();
    assertThat(executed).containsExactly("0:PUT:null:true", "1:PUT:null:false", "2:GET:v:true");
    assertThat(client.received)
        .containsExactly(new ClientReply(1, 0, null), new ClientReply(2, 2, "v"));
    assertThat(replica.executedUpTo()).isEqualTo(3);
  }
}
