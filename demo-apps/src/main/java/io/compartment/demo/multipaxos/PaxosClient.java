package io.compartment.demo.multipaxos;

import io.compartment.demo.Budget;
import io.compartment.demo.ClosedLoopClient;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.NodeId;
import java.util.Random;

/**
 * A closed-loop client of the replicated store: keeps {@code window} puts and gets on a shared key
 * space outstanding at the leader.
 */
public final class PaxosClient extends ClosedLoopClient {

  private final NodeId leader;
  private final int clientNo;
  private final String[] keys;
  private final Random random;
  private final MultiPaxosChecker checker;
  private long sequence;

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
    super(id, network, window, budget);
    this.leader = leader;
    this.clientNo = clientNo;
    this.keys = new String[keyCount];
    for (int i = 0; i < keyCount; i++) {
      keys[i] = "k" + i;
    }
    this.random = new Random(seed);
    this.checker = checker;
  }

  @Override
  protected boolean answered(Object message) {
    if (message instanceof ClientReply reply) {
      checker.answered(reply);
      return true;
    }
    return false;
  }

  @Override
  protected long sendRequest() {
    long commandId = ((long) clientNo << 40) | sequence++;
    String key = keys[random.nextInt(keys.length)];
    Command command =
        random.nextBoolean()
            ? Command.put(id, commandId, key, "c" + clientNo + "." + (commandId & 0xFFFFFFFFFFL))
            : Command.get(id, commandId, key);
    checker.issued(command);
    network.send(id, leader, new ClientRequest(command));
    return commandId;
  }

  @Override
  protected long requestIdOf(Object answer) {
    return ((ClientReply) answer).commandId();
  }

  @Override
  protected boolean answerDependsOnOtherClients() {
    return true; // a get reads what the other clients put on shared keys
  }
}
