package io.compartment.demo.voting;

import io.compartment.demo.Budget;
import io.compartment.demo.ClosedLoopClient;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.NodeId;
import java.util.Random;

/** A closed-loop client that keeps {@code window} motions before the council at a time. */
public final class VotingClient extends ClosedLoopClient {

  private static final String[] TOPICS = {
    "budget", "bylaws", "membership", "schedule", "election", "audit", "merger", "charter"
  };

  private final NodeId leader;
  private final int clientNo;
  private final Random random;
  private final VotingChecker checker;
  private long sequence;

  public VotingClient(
      NodeId id,
      Network network,
      NodeId leader,
      int clientNo,
      int window,
      long seed,
      Budget budget,
      VotingChecker checker) {
    super(id, network, window, budget);
    this.leader = leader;
    this.clientNo = clientNo;
    this.random = new Random(seed);
    this.checker = checker;
  }

  @Override
  protected boolean answered(Object message) {
    if (message instanceof VoteOutcome outcome) {
      checker.decided(outcome);
      return true;
    }
    return false;
  }

  @Override
  protected long requestIdOf(Object answer) {
    // the outcome depends on the motion alone (the voters keep no state between requests)
    return ((VoteOutcome) answer).requestId();
  }

  @Override
  protected long sendRequest() {
    long requestId = ((long) clientNo << 40) | sequence++;
    String motion = TOPICS[random.nextInt(TOPICS.length)] + " amendment " + random.nextInt(1 << 20);
    checker.issued(requestId, motion);
    network.send(id, leader, new VoteRequest(requestId, id, motion));
    return requestId;
  }
}
