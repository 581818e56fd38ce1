package io.compartment.demo.bft;

import io.compartment.api.Emit;
import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;

/**
 * A replica's front door: checks the sequencer's code and the client's code on each order before
 * its executor applies it. Keeps no state.
 */
@ProtocolService
public class ReplicaGate implements Node {
  private final NodeId id;
  private final Network network;
  private final Macs macs;
  private final NodeId sequencer;
  private final NodeId executor;

  public ReplicaGate(NodeId id, Network network, Macs macs, NodeId sequencer, NodeId executor) {
    this.id = id;
    this.network = network;
    this.macs = macs;
    this.sequencer = sequencer;
    this.executor = executor;
  }

  @Override
  public NodeId id() {
    return id;
  }

  @Override
  public void onMessage(NodeId from, Object message) {
    if (message instanceof PrePrepare order) {
      onOrder(order);
    } else {
      throw new IllegalArgumentException("unexpected message " + message);
    }
  }

  @Handler
  public void onOrder(PrePrepare order) {
    if (!macs.verify(sequencer, order.text(), order.mac())) {
      throw new IllegalArgumentException("order " + order.seq() + " not from the sequencer");
    }
    SignedRequest request = order.request();
    if (!macs.verify(request.client(), request.text(), request.mac())) {
      throw new IllegalArgumentException("order " + order.seq() + " carries a forged request");
    }
    send(executor, order);
  }

  @Emit
  protected void send(NodeId to, Object message) {
    network.send(id, to, message);
  }
}
