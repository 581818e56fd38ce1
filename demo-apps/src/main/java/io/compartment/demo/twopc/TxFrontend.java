package io.compartment.demo.twopc;

import io.compartment.api.Emit;
import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The entry point for clients: validates a transaction, splits its writes by participant and hands
 * it to the coordinator. Invalid transactions are refused here without reaching the coordinator.
 */
@ProtocolService
public class TxFrontend implements Node {

  static final int MAX_WRITES = 16;

  private final NodeId id;
  private final Network network;
  private final NodeId coordinator;
  private final AccountDirectory directory;

  public TxFrontend(NodeId id, Network network, NodeId coordinator, AccountDirectory directory) {
    this.id = id;
    this.network = network;
    this.coordinator = coordinator;
    this.directory = directory;
  }

  @Override
  public NodeId id() {
    return id;
  }

  @Override
  public void onMessage(NodeId from, Object message) {
    if (message instanceof TxRequest request) {
      submit(request);
    } else {
      throw new IllegalArgumentException("unexpected message " + message);
    }
  }

  @Handler
  public void submit(TxRequest request) {
    String problem = validate(request.writes());
    if (problem != null) {
      send(
          request.header().client(),
          new TxOutcome(request.header(), false, "rejected: " + problem));
      return;
    }
    send(coordinator, new BeginTx(request.header(), directory.split(request.writes())));
  }

  private String validate(List<TxWrite> writes) {
    if (writes.isEmpty()) {
      return "no writes";
    }
    if (writes.size() > MAX_WRITES) {
      return writes.size() + " writes, at most " + MAX_WRITES;
    }
    Set<String> seen = new HashSet<>();
    long sum = 0;
    for (TxWrite write : writes) {
      if (!directory.exists(write.account())) {
        return "unknown account " + write.account();
      }
      if (!seen.add(write.account())) {
        return "account " + write.account() + " written twice";
      }
      if (write.delta() == 0) {
        return "empty write to " + write.account();
      }
      sum += write.delta();
    }
    return sum == 0 ? null : "writes do not balance (sum " + sum + ")";
  }

  @Emit
  protected void send(NodeId to, Object message) {
    network.send(id, to, message);
  }
}
