package io.compartment.demo.twopc;

import io.compartment.demo.Budget;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;
import java.util.Random;

/**
 * A closed-loop bank client: keeps {@code window} transfers between random accounts in flight.
 * About one in a hundred is malformed (a zero transfer) and must be refused by the front end.
 */
public final class TxClient implements Node {

  static final int MAX_AMOUNT = 100;
  static final int MALFORMED_PER_MILLE = 10;

  private final NodeId id;
  private final Network network;
  private final NodeId frontend;
  private final int clientNo;
  private final String[] accounts;
  private final int window;
  private final Random random;
  private final Budget budget;
  private final TwoPcChecker checker;
  private long sequence;
  private long outstanding;
  private long acknowledged;

  public TxClient(
      NodeId id,
      Network network,
      NodeId frontend,
      int clientNo,
      String[] accounts,
      int window,
      long seed,
      Budget budget,
      TwoPcChecker checker) {
    if (accounts.length < 2) {
      throw new IllegalArgumentException("transfers need two accounts");
    }
    this.id = id;
    this.network = network;
    this.frontend = frontend;
    this.clientNo = clientNo;
    this.accounts = accounts.clone();
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
    if (message instanceof TxOutcome outcome) {
      checker.answered(outcome);
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
    TxHeader header = new TxHeader(((long) clientNo << 40) | sequence++, id);
    int from = random.nextInt(accounts.length);
    int to = random.nextInt(accounts.length - 1);
    if (to >= from) {
      to++;
    }
    long amount = random.nextInt(1000) < MALFORMED_PER_MILLE ? 0 : 1 + random.nextInt(MAX_AMOUNT);
    TxRequest request = TxRequest.transfer(header, accounts[from], accounts[to], amount);
    checker.issued(request);
    network.send(id, frontend, request);
    outstanding++;
    return true;
  }
}
