package io.compartment.demo.twopc;

import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads every account's committed balance back from the participants, through their handler. */
public final class TxAuditor implements Node {

  private final NodeId id;
  private final Network network;
  private final Map<String, Long> balances = new HashMap<>();
  private int outstanding;

  public TxAuditor(NodeId id, Network network) {
    this.id = id;
    this.network = network;
  }

  @Override
  public NodeId id() {
    return id;
  }

  /**
   * Reads all accounts of {@code directory}; accounts not answered within the timeout are missing.
   */
  public Map<String, Long> readAll(AccountDirectory directory, long timeoutNanos) {
    balances.clear();
    long requestId = 0;
    for (Map.Entry<NodeId, List<String>> e : directory.accountsByOwner().entrySet()) {
      network.send(id, e.getKey(), new ReadBalances(requestId++, id, e.getValue()));
      outstanding++;
    }
    network.run(() -> outstanding == 0, System.nanoTime() + timeoutNanos);
    return new HashMap<>(balances);
  }

  @Override
  public void onMessage(NodeId from, Object message) {
    if (message instanceof Balances b) {
      balances.putAll(b.balances());
      outstanding--;
    } else {
      throw new IllegalArgumentException("unexpected message " + message);
    }
  }
}
