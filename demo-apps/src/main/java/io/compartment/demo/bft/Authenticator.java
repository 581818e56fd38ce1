package io.compartment.demo.bft;

import io.compartment.api.Emit;
import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;

/**
 * The primary's front door: checks each client request's code and passes authentic requests to the
 * sequencer. Keeps no state.
 */
@ProtocolService
public class Authenticator implements Node {
  private final NodeId id;
  private final Network network;
  private final Macs macs;
  private final NodeId sequencer;

  public Authenticator(NodeId id, Network network, Macs macs, NodeId sequencer) {
    this.id = id;
    this.network = network;
    this.macs = macs;
    this.sequencer = sequencer;
  }

  @Override
  public NodeId id() {
    return id;
  }

  @Override
  public void onMessage(NodeId from, Object message) {
    if (message instanceof SignedRequest request) {
      onRequest(request);
    } else {
      throw new IllegalArgumentException("unexpected message " + message);
    }
  }

  @Handler
  public void onRequest(SignedRequest request) {
    if (!macs.verify(request.client(), request.text(), request.mac())) {
      throw new IllegalArgumentException("forged request " + request.requestId());
    }
    send(sequencer, request);
  }

  @Emit
  protected void send(NodeId to, Object message) {
    network.send(id, to, message);
  }
}
