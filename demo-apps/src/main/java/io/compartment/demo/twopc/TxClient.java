package io.compartment.demo.twopc;

import io.compartment.demo.Budget;
import io.compartment.demo.ClosedLoopClient;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.NodeId;
import java.util.Random;

/**
 * A closed-loop bank client: keeps {@code window} transfers between random accounts in flight.
 * About one in a hundred is malformed (a zero transfer) and must be refused by the front end.
 */
public final class TxClient extends ClosedLoopClient {

  static final int MAX_AMOUNT = 100;
  static final int MALFORMED_PER_MILLE = 10;

  private final NodeId frontend;
  private final int clientNo;
  private final String[] accounts;
  private final Random random;
  private final TwoPcChecker checker;
  private long sequence;

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
    super(id, network, window, budget);
    if (accounts.length < 2) {
      throw new IllegalArgumentException("transfers need two accounts");
    }
    this.frontend = frontend;
    this.clientNo = clientNo;
    this.accounts = accounts.clone();
    this.random = new Random(seed);
    this.checker = checker;
  }

  @Override
  protected boolean answered(Object message) {
    if (message instanceof TxOutcome outcome) {
      checker.answered(outcome);
      return true;
    }
    return false;
  }

  @Override
  protected long sendRequest() {
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
    return header.txId();
  }

  @Override
  protected long requestIdOf(Object answer) {
    return ((TxOutcome) answer).header().txId();
  }

  @Override
  protected boolean answerDependsOnOtherClients() {
    return true; // whether a transfer commits depends on the balances the others left
  }
}
