package io.compartment.demo.twopc;

import io.compartment.api.Emit;
import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The two-phase-commit coordinator. For each transaction it sends {@link Prepare} to the
 * participants involved, commits once all voted yes or aborts on the first refusal, sends the
 * decision, and answers the client once every participant has acknowledged it.
 */
@ProtocolService
public class Coordinator implements Node {

  private final NodeId id;
  private final Network network;

  @State private final Map<Long, TxRecord> transactions = new HashMap<>();

  public Coordinator(NodeId id, Network network) {
    this.id = id;
    this.network = network;
  }

  @Override
  public NodeId id() {
    return id;
  }

  @Override
  public void onMessage(NodeId from, Object message) {
    if (message instanceof BeginTx begin) {
      begin(begin);
    } else if (message instanceof PrepareVote vote) {
      onVote(vote);
    } else if (message instanceof DecisionAck ack) {
      onAck(ack);
    } else {
      throw new IllegalArgumentException("unexpected message " + message);
    }
  }

  @Handler
  public void begin(BeginTx request) {
    long txId = request.getHeader().txId();
    if (transactions.containsKey(txId)) {
      return; // a retransmitted begin: the first one is under way
    }
    List<NodeId> participants = new ArrayList<>(request.getBranches().keySet());
    transactions.put(txId, new TxRecord(request.getHeader(), participants));
    request
        .getBranches()
        .forEach(
            (participant, writes) ->
                send(participant, new Prepare(request.getHeader(), id, writes)));
  }

  @Handler
  public void onVote(PrepareVote vote) {
    TxRecord tx = transactions.get(vote.getHeader().txId());
    if (tx == null || tx.decided()) {
      return; // late vote after an abort
    }
    if (!vote.isPrepared()) {
      decide(tx, false, vote.getParticipant() + " refused: " + vote.getReason());
    } else if (tx.prepared(vote.getParticipant())) {
      decide(tx, true, "committed");
    }
  }

  @Handler
  public void onAck(DecisionAck ack) {
    long txId = ack.header().txId();
    TxRecord tx = transactions.get(txId);
    if (tx == null || !tx.decided()) {
      return;
    }
    if (tx.acknowledged(ack.participant())) {
      transactions.remove(txId);
      send(tx.header().client(), new TxOutcome(tx.header(), tx.committed(), tx.reason()));
    }
  }

  private void decide(TxRecord tx, boolean commit, String reason) {
    tx.decide(commit, reason);
    for (NodeId participant : tx.participants()) {
      send(participant, commit ? new Commit(tx.header(), id) : new Abort(tx.header(), id, reason));
    }
  }

  @Emit
  protected void send(NodeId to, Object message) {
    network.send(id, to, message);
  }
}
