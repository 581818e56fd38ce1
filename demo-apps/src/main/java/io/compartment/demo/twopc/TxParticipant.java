package io.compartment.demo.twopc;

import io.compartment.api.Emit;
import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.demo.DurableLog;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A resource manager holding account balances. On {@link Prepare} it takes no-wait locks on the
 * accounts involved and stages the writes, refusing on a lock conflict or an overdraft; on {@link
 * Commit} it applies what it staged, on {@link Abort} it drops it, and either way releases the
 * locks.
 */
@ProtocolService
public class TxParticipant implements Node {

  private final NodeId id;
  private final Network network;
  private final DurableLog wal;

  @State private final Map<String, Long> balances = new HashMap<>();
  @State private final Map<String, Long> locks = new HashMap<>();
  @State private final Map<Long, List<TxWrite>> staged = new HashMap<>();

  public TxParticipant(NodeId id, Network network) {
    this.id = id;
    this.network = network;
    this.wal = DurableLog.forNode(id.name());
  }

  @Override
  public NodeId id() {
    return id;
  }

  /** Opens an account with an initial balance (setup, before any traffic). */
  public void open(String account, long balance) {
    if (balances.putIfAbsent(account, balance) != null) {
      throw new IllegalArgumentException("account " + account + " already open");
    }
  }

  @Override
  public void onMessage(NodeId from, Object message) {
    if (message instanceof Prepare prepare) {
      prepare(prepare);
    } else if (message instanceof Commit commit) {
      commit(commit);
    } else if (message instanceof Abort abort) {
      abort(abort);
    } else if (message instanceof ReadBalances read) {
      read(read);
    } else {
      throw new IllegalArgumentException("unexpected message " + message);
    }
  }

  @Handler
  public void prepare(Prepare request) {
    long txId = request.header().txId();
    if (staged.containsKey(txId)) {
      vote(request, null); // a repeated prepare: still prepared
      return;
    }
    String refusal = refusal(txId, request.writes());
    if (refusal == null) {
      for (TxWrite write : request.writes()) {
        locks.put(write.account(), txId);
      }
      staged.put(txId, request.writes());
      // a yes vote is a promise to commit: durable before it leaves
      wal.append("prepared " + txId + " " + request.writes());
    }
    vote(request, refusal);
  }

  @Handler
  public void commit(Commit decision) {
    long txId = decision.header().txId();
    List<TxWrite> writes = staged.remove(txId);
    if (writes != null) {
      for (TxWrite write : writes) {
        balances.merge(write.account(), write.delta(), Long::sum);
      }
      release(txId, writes);
      wal.append("committed " + txId);
    }
    send(decision.coordinator(), new DecisionAck(decision.header(), id, true));
  }

  @Handler
  public void abort(Abort decision) {
    long txId = decision.header().txId();
    List<TxWrite> writes = staged.remove(txId);
    if (writes != null) {
      release(txId, writes);
    }
    send(decision.coordinator(), new DecisionAck(decision.header(), id, false));
  }

  @Handler
  public void read(ReadBalances request) {
    Map<String, Long> found = new HashMap<>();
    for (String account : request.accounts()) {
      Long balance = balances.get(account);
      if (balance != null) {
        found.put(account, balance);
      }
    }
    send(request.client(), new Balances(request.requestId(), found));
  }

  private String refusal(long txId, List<TxWrite> writes) {
    for (TxWrite write : writes) {
      Long balance = balances.get(write.account());
      if (balance == null) {
        return "no account " + write.account();
      }
      Long holder = locks.get(write.account());
      if (holder != null && holder != txId) {
        return write.account() + " is locked by tx " + holder;
      }
      if (balance + write.delta() < 0) {
        return "insufficient funds in " + write.account();
      }
    }
    return null;
  }

  private void release(long txId, List<TxWrite> writes) {
    for (TxWrite write : writes) {
      locks.remove(write.account(), txId);
    }
  }

  private void vote(Prepare request, String refusal) {
    send(request.coordinator(), new PrepareVote(request.header(), id, refusal == null, refusal));
  }

  @Emit
  protected void send(NodeId to, Object message) {
    network.send(id, to, message);
  }
}
