package io.compartment.demo.multipaxos;

import io.compartment.demo.Budget;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;
import java.util.Random;

/**
 * A closed-loop client of the replicated store: keeps {@code window} puts and gets on a shared key
 * space outstanding at the leader.
 */
public final class PaxosClient implements Node {

  private final NodeId id;
  private final Network network;
  private final NodeId leader;
  private final int clientNo;
  private final String[] keys;
  private final int window;
  private final Random random;
  private final Budget budget;
  private final MultiPaxosChecker checker;
  private long sequence;
  private long outstanding;
  private long acknowledged;

  public PaxosClient(
      NodeId id,
      Network network,
      NodeId leader,
      int clientNo,
      int keyCount,
      int window,
      long seed,
      Budget budget,
      MultiPaxosChecker checker) {
    this.id = id;
    this.network = network;
    this.leader = leader;
    this.clientNo = clientNo;
    this.keys = new String[keyCount];
    for (int i = 0; i < keyCount; i++) {
      keys[i] = "k" + i;
    }
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
    if (message instanceof ClientReply reply) {
      checker.answered(reply);
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
    long commandId = ((long) clientNo << 40) | sequence++;
    String key = keys[random.nextInt(keys.length)];
    Command command =
        random.nextBoolean()
            ? Command.put(id, commandId, key, "c" + clientNo + "." + (commandId & 0xFFFFFFFFFFL))
            : Command.get(id, commandId, key);
    checker.issued(command);
    network.send(id, leader, new ClientRequest(command));
    outstanding++;
    return true;
  }
}
