package io.compartment.demo.multipaxos;

import io.compartment.api.Emit;
import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The MultiPaxos leader. It wins a ballot with phase 1 (re-proposing whatever acceptors report as
 * accepted), then assigns each client command the next free slot and runs phase 2 for it; once a
 * quorum of acceptors accepted a slot, the command is chosen and sent to the replicas.
 */
@ProtocolService
public class Proposer implements Node {

  /** Ballots are {@code round * MAX_PROPOSERS + proposerIndex}, so no two proposers share one. */
  static final int MAX_PROPOSERS = 16;

  private final NodeId id;
  private final Network network;
  private final int proposerIndex;
  private final List<NodeId> acceptors;
  private final List<NodeId> replicas;
  private final int quorum;

  @State private long ballot = -1;
  @State private boolean active;
  @State private final Set<NodeId> promises = new HashSet<>();
  @State private final Map<Long, LogEntry> recovered = new HashMap<>();
  @State private long nextSlot;
  @State private final Deque<Command> backlog = new ArrayDeque<>();
  @State private final Map<Long, SlotVotes> votes = new HashMap<>();

  public Proposer(
      NodeId id,
      Network network,
      int proposerIndex,
      List<NodeId> acceptors,
      List<NodeId> replicas) {
    if (proposerIndex < 0 || proposerIndex >= MAX_PROPOSERS) {
      throw new IllegalArgumentException("proposer index out of range: " + proposerIndex);
    }
    if (acceptors.isEmpty() || replicas.isEmpty()) {
      throw new IllegalArgumentException("need acceptors and replicas");
    }
    this.id = id;
    this.network = network;
    this.proposerIndex = proposerIndex;
    this.acceptors = List.copyOf(acceptors);
    this.replicas = List.copyOf(replicas);
    this.quorum = acceptors.size() / 2 + 1;
  }

  @Override
  public NodeId id() {
    return id;
  }

  /** Starts phase 1 with a ballot above any seen so far. */
  public void startElection() {
    startElection(ballot);
  }

  public boolean isActive() {
    return active;
  }

  @Override
  public void onMessage(NodeId from, Object message) {
    if (message instanceof ClientRequest request) {
      onRequest(request);
    } else if (message instanceof Phase2b phase2b) {
      onPhase2b(phase2b);
    } else if (message instanceof Phase1b phase1b) {
      onPhase1b(phase1b);
    } else if (message instanceof Nack nack) {
      onNack(nack);
    } else {
      throw new IllegalArgumentException("unexpected message " + message);
    }
  }

  @Handler
  public void onPhase1b(Phase1b m) {
    if (active || m.ballot() != ballot) {
      return; // stale promise
    }
    promises.add(m.acceptor());
    for (LogEntry entry : m.accepted()) {
      recovered.merge(entry.slot(), entry, (a, b) -> a.ballot() >= b.ballot() ? a : b);
    }
    if (promises.size() < quorum) {
      return;
    }
    active = true;
    long end = nextSlot;
    for (long slot : recovered.keySet()) {
      end = Math.max(end, slot + 1);
    }
    for (long slot = 0; slot < end; slot++) {
      LogEntry entry = recovered.get(slot);
      broadcast(slot, entry != null ? entry.command() : Command.noop());
    }
    nextSlot = end;
    recovered.clear();
    promises.clear();
    while (!backlog.isEmpty()) {
      propose(backlog.pollFirst());
    }
  }

  @Handler
  public void onNack(Nack m) {
    if (m.ballot() > ballot) {
      startElection(m.ballot());
    }
  }

  @Handler
  public void onRequest(ClientRequest request) {
    if (!active) {
      backlog.addLast(request.command());
      return;
    }
    propose(request.command());
  }

  @Handler
  public void onPhase2b(Phase2b m) {
    SlotVotes slot = votes.computeIfAbsent(m.getSlot(), s -> new SlotVotes());
    if (slot.accepted(m.getBallot(), m.getAcceptor(), m.getCommand(), quorum)) {
      for (NodeId replica : replicas) {
        send(replica, new Chosen(m.getSlot(), slot.command()));
      }
    }
    if (slot.complete(acceptors.size())) {
      votes.remove(m.getSlot());
    }
  }

  private void startElection(long above) {
    long round = above < 0 ? 0 : above / MAX_PROPOSERS + 1;
    ballot = round * MAX_PROPOSERS + proposerIndex;
    active = false;
    promises.clear();
    recovered.clear();
    for (NodeId acceptor : acceptors) {
      send(acceptor, new Phase1a(ballot, id, 0));
    }
  }

  private void propose(Command command) {
    broadcast(nextSlot++, command);
  }

  private void broadcast(long slot, Command command) {
    Phase2a proposal = new Phase2a(ballot, slot, command, id);
    for (NodeId acceptor : acceptors) {
      send(acceptor, proposal);
    }
  }

  @Emit
  protected void send(NodeId to, Object message) {
    network.send(id, to, message);
  }
}
