package io.compartment.demo.multipaxos;

import io.compartment.api.Emit;
import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.demo.DurableLog;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;

/**
 * A MultiPaxos acceptor: promises ballots (phase 1) and accepts proposals per slot (phase 2), never
 * going back on a promise.
 */
@ProtocolService
public class Acceptor implements Node {

  private final NodeId id;
  private final Network network;
  private final PaxosLog log;
  private final DurableLog wal;

  @State private long ballot = -1;

  public Acceptor(NodeId id, Network network) {
    this(id, network, new PaxosLog());
  }

  public Acceptor(NodeId id, Network network, PaxosLog log) {
    this.id = id;
    this.network = network;
    this.log = log;
    this.wal = DurableLog.forNode(id.name());
  }

  @Override
  public NodeId id() {
    return id;
  }

  @Override
  public void onMessage(NodeId from, Object message) {
    if (message instanceof Phase1a phase1a) {
      onPhase1a(phase1a);
    } else if (message instanceof Phase2a phase2a) {
      onPhase2a(phase2a);
    } else {
      throw new IllegalArgumentException("unexpected message " + message);
    }
  }

  @Handler
  public void onPhase1a(Phase1a m) {
    if (m.ballot() < ballot) {
      send(m.leader(), new Nack(ballot, id));
      return;
    }
    if (m.ballot() > ballot) {
      ballot = m.ballot();
    }
    wal.append("promise " + m.ballot());
    send(m.leader(), new Phase1b(m.ballot(), id, log.entriesFrom(m.firstSlot())));
  }

  @Handler
  public void onPhase2a(Phase2a m) {
    if (m.ballot() < ballot) {
      send(m.leader(), new Nack(ballot, id));
      return;
    }
    if (m.ballot() > ballot) {
      ballot = m.ballot();
    }
    log.accept(m.slot(), m.ballot(), m.command());
    // durable before the vote leaves, as Paxos requires of an acceptor
    wal.append(m.slot() + " " + m.ballot() + " " + m.command().commandId());
    send(m.leader(), new Phase2b(m.ballot(), m.slot(), id, m.command()));
  }

  /** The log, for inspection. */
  public PaxosLog log() {
    return log;
  }

  @Emit
  protected void send(NodeId to, Object message) {
    network.send(id, to, message);
  }
}
