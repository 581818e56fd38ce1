package io.compartment.demo.bft;

import io.compartment.api.Emit;
import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;
import java.util.List;

/**
 * The primary's ordering core: numbers each authenticated request and sends it, with one code of
 * its own, to every replica. The one sequential step of the protocol.
 */
@ProtocolService
public class Sequencer implements Node {
  private final NodeId id;
  private final Network network;
  private final Macs macs;
  private final List<NodeId> replicas;

  @State private long nextSeq;

  public Sequencer(NodeId id, Network network, Macs macs, List<NodeId> replicas) {
    this.id = id;
    this.network = network;
    this.macs = macs;
    this.replicas = List.copyOf(replicas);
  }

  @Override
  public NodeId id() {
    return id;
  }

  @Override
  public void onMessage(NodeId from, Object message) {
    if (message instanceof SignedRequest request) {
      onAuthentic(request);
    } else {
      throw new IllegalArgumentException("unexpected message " + message);
    }
  }

  @Handler
  public void onAuthentic(SignedRequest request) {
    long seq = nextSeq++;
    String text = seq + "#" + request.text();
    PrePrepare order = new PrePrepare(seq, request, macs.sign(id, text));
    for (NodeId replica : replicas) {
      send(replica, order);
    }
  }

  @Emit
  protected void send(NodeId to, Object message) {
    network.send(id, to, message);
  }
}
