package io.compartment.demo.bft;

import io.compartment.api.Emit;
import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gathers the replicas' signed replies per request and, once {@code f + 1} authentic replies agree,
 * sends them to the client as one certificate (an execution collector, as in SBFT). Later replies
 * for a certified request are dropped.
 */
@ProtocolService
public class ReplyCollector implements Node {
  private final NodeId id;
  private final Network network;
  private final Macs macs;
  private final int quorum;

  @State private final Map<Long, List<SignedReply>> pending = new HashMap<>();
  @State private final Set<Long> certified = new HashSet<>();

  public ReplyCollector(NodeId id, Network network, Macs macs, int quorum) {
    this.id = id;
    this.network = network;
    this.macs = macs;
    this.quorum = quorum;
  }

  @Override
  public NodeId id() {
    return id;
  }

  @Override
  public void onMessage(NodeId from, Object message) {
    if (message instanceof SignedReply reply) {
      onReply(reply);
    } else {
      throw new IllegalArgumentException("unexpected message " + message);
    }
  }

  @Handler
  public void onReply(SignedReply reply) {
    if (!macs.verify(reply.replica(), reply.text(), reply.mac())) {
      throw new IllegalArgumentException("forged reply from " + reply.replica());
    }
    if (certified.contains(reply.requestId())) {
      return;
    }
    List<SignedReply> replies = pending.get(reply.requestId());
    if (replies == null) {
      replies = new ArrayList<>();
    }
    replies.add(reply);
    List<SignedReply> matching = new ArrayList<>();
    for (SignedReply r : replies) {
      if (r.seq() == reply.seq() && r.result() == reply.result()) {
        matching.add(r);
      }
    }
    if (matching.size() < quorum) {
      pending.put(reply.requestId(), replies);
      return;
    }
    pending.remove(reply.requestId());
    certified.add(reply.requestId());
    send(
        reply.client(),
        new CertifiedReply(reply.requestId(), reply.seq(), reply.result(), matching));
  }

  @Emit
  protected void send(NodeId to, Object message) {
    network.send(id, to, message);
  }
}
