package io.compartment.demo.twopc;

import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TxParticipantTest {

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
  private final Inbox coordinator = network.join("coordinator", Inbox::new);
  private final TxParticipant participant = network.join("p", id -> new TxParticipant(id, network));

  private PrepareVote prepare(long txId, String account, long delta) {
    participant.prepare(
        new Prepare(
            new TxHeader(txId, coordinator.id()),
            coordinator.id(),
            List.of(new TxWrite(account, delta))));
    network.runUntilIdle();
    return (PrepareVote) coordinator.received.get(coordinator.received.size() - 1);
  }

  @Test
  void refusesAConflictingPrepareUntilTheLockIsReleased() {
    participant.open("a", 50);
    assertThat(prepare(1, "a", -10).isPrepared()).isTrue();
    PrepareVote conflicting = prepare(2, "a", 5);
    assertThat(conflicting.isPrepared()).isFalse();
    assertThat(conflicting.getReason()).contains("locked by tx 1");

    participant.commit(new Commit(new TxHeader(1, coordinator.id()), coordinator.id()));
    participant.commit(new Commit(new TxHeader(1, coordinator.id()), coordinator.id()));
    assertThat(prepare(3, "a", 5).isPrepared()).isTrue();
    participant.abort(new Abort(new TxHeader(3, coordinator.id()), coordinator.id(), "test"));

    participant.read(new ReadBalances(0, coordinator.id(), List.of("a")));
    network.runUntilIdle();
    assertThat(coordinator.received).last().isEqualTo(new Balances(0, java.util.Map.of("a", 40L)));
  }

  @Test
  void refusesAnOverdraft() {
    participant.open("a", 5);
    PrepareVote vote = prepare(1, "a", -6);
    assertThat(vote.isPrepared()).isFalse();
    assertThat(vote.getReason()).contains("insufficient funds");
  }
}
