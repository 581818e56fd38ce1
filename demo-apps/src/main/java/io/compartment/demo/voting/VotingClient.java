package io.compartment.demo.voting;

import io.compartment.demo.Budget;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;
import java.util.Random;

/** A closed-loop client that keeps {@code window} motions before the council at a time. */
public final class VotingClient implements Node {

  private static final String[] TOPICS = {
    "budget", "bylaws", "membership", "schedule", "election", "audit", "merger", "charter"
  };

  private final NodeId id;
  private final Network network;
  private final NodeId leader;
  private final int clientNo;
  private final int window;
  private final Random random;
  private final Budget budget;
  private final VotingChecker checker;
  private long sequence;
  private long outstanding;
  private long acknowledged;

  public VotingClient(
      NodeId id,
      Network network,
      NodeId leader,
      int clientNo,
      int window,
      long seed,
      Budget budget,
      VotingChecker checker) {
    this.id = id;
    this.network = network;
    this.leader = leader;
    this.clientNo = clientNo;
    this.window = window;
    this.random = new Random(seed);
    this.budget = budget;
    this.checker = checker;
  }

  @Override
  public NodeId id() {
    return id;
  }

  public void start() {
    for (int i = 0; i < window && issue(); i++) {
      // fill the window
    }
  }

  @Override
  public void onMessage(NodeId from, Object message) {
    if (message instanceof VoteOutcome outcome) {
      checker.decided(outcome);
      outstanding--;
      acknowledged++;
      issue();
    } else {
      throw new IllegalArgumentException("unexpected message " + message);
    }
  }

  public long outstanding() {
    return outstanding;
  }

  public long acknowledged() {
    return acknowledged;
  }

  private boolean issue() {
    if (!budget.tryAcquire()) {
      return false;
    }
    long requestId = ((long) clientNo << 40) | sequence++;
    String motion = TOPICS[random.nextInt(TOPICS.length)] + " amendment " + random.nextInt(1 << 20);
    checker.issued(requestId, motion);
    network.send(id, leader, new VoteRequest(requestId, id, motion));
    outstanding++;
    return true;
  }
}
