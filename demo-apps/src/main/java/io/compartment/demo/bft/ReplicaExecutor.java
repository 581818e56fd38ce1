package io.compartment.demo.bft;

import io.compartment.api.Emit;
import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;
import java.util.HashMap;
import java.util.Map;

/**
 * A replica's state machine: applies checked orders strictly in sequence order to its counters and
 * sends its signed result to the reply collector.
 */
@ProtocolService
public class ReplicaExecutor implements Node {

  /** Told of every execution; the demo's checker. */
  public interface Listener {
    void executed(NodeId replica, long seq, SignedRequest request, long result);
  }

  private final NodeId id;
  private final Network network;
  private final Macs macs;
  private final NodeId collector;
  private final Listener listener;

  @State private final Map<String, Long> counters = new HashMap<>();
  @State private final Map<Long, PrePrepare> waiting = new HashMap<>();
  @State private long nextSeq;

  public ReplicaExecutor(
      NodeId id, Network network, Macs macs, NodeId collector, Listener listener) {
    this.id = id;
    this.network = network;
    this.macs = macs;
    this.collector = collector;
    this.listener = listener;
  }

  @Override
  public NodeId id() {
    return id;
  }

  @Override
  public void onMessage(NodeId from, Object message) {
    if (message instanceof PrePrepare order) {
      onChecked(order);
    } else {
      throw new IllegalArgumentException("unexpected message " + message);
    }
  }

  @Handler
  public void onChecked(PrePrepare order) {
    if (order.seq() < nextSeq) {
      return; // already applied
    }
    waiting.put(order.seq(), order);
    PrePrepare next;
    while ((next = waiting.remove(nextSeq)) != null) {
      SignedRequest request = next.request();
      long result = counters.merge(request.key(), request.delta(), Long::sum);
      listener.executed(id, nextSeq, request, result);
      String text =
          request.requestId()
              + "|"
              + nextSeq
              + "|"
              + request.client().name()
              + "|"
              + result
              + "|"
              + id.name();
      send(
          collector,
          new SignedReply(
              request.requestId(), nextSeq, request.client(), result, id, macs.sign(id, text)));
      nextSeq++;
    }
  }

  /** The counters, for the end of a run. */
  public Map<String, Long> counters() {
    return Map.copyOf(counters);
  }

  @Emit
  protected void send(NodeId to, Object message) {
    network.send(id, to, message);
  }
}
