package io.compartment.demo.twopc;

import io.compartment.demo.Budget;
import io.compartment.demo.Demo;
import io.compartment.demo.DemoOptions;
import io.compartment.demo.DemoResult;
import io.compartment.demo.Deployment;
import io.compartment.demo.Violations;
import io.compartment.demo.WorkloadRunner;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.NodeId;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two-phase commit over a small bank: a {@link TxFrontend}, a {@link Coordinator}, {@value
 * #PARTICIPANTS} {@link TxParticipant}s holding {@value #ACCOUNTS} accounts, and {@value #CLIENTS}
 * closed-loop clients transferring money between random accounts.
 */
public final class TwoPcDemo implements Demo {

  public static final int PARTICIPANTS = 3;
  public static final int ACCOUNTS = 2000;
  public static final long INITIAL_BALANCE = 1000;
  public static final int CLIENTS = 8;
  public static final int WINDOW = 8;

  /** Everything a message between nodes may contain. */
  static final List<Class<?>> MESSAGE_TYPES =
      List.of(
          TxRequest.class,
          TxHeader.class,
          TxWrite.class,
          TxOutcome.class,
          BeginTx.class,
          Prepare.class,
          PrepareVote.class,
          Commit.class,
          Abort.class,
          DecisionAck.class,
          ReadBalances.class,
          Balances.class);

  @Override
  public String name() {
    return "twopc";
  }

  @Override
  public DemoResult run(DemoOptions options, PrintStream progress) {
    Network network = Deployment.network(name(), options, MESSAGE_TYPES);
    List<TxParticipant> participants = new ArrayList<>();
    for (int i = 0; i < PARTICIPANTS; i++) {
      participants.add(network.join("participant-" + i, id -> new TxParticipant(id, network)));
    }
    AccountDirectory directory =
        new AccountDirectory(
            participants.stream().map(TxParticipant::id).toList(),
            AccountDirectory.accountNames(ACCOUNTS));
    Map<String, Long> initial = new LinkedHashMap<>();
    Map<NodeId, TxParticipant> byId = new LinkedHashMap<>();
    participants.forEach(p -> byId.put(p.id(), p));
    for (String account : directory.accounts()) {
      byId.get(directory.ownerOf(account)).open(account, INITIAL_BALANCE);
      initial.put(account, INITIAL_BALANCE);
    }
    NodeId coordinator = network.join("coordinator", id -> new Coordinator(id, network)).id();
    NodeId frontend =
        network.join("frontend", id -> new TxFrontend(id, network, coordinator, directory)).id();

    Violations violations = new Violations();
    TwoPcChecker checker = new TwoPcChecker(initial, violations);
    network.tap(checker);
    network.boundary(checker.atServiceEdge());
    Budget budget = options.budget();
    String[] accounts = directory.accounts().toArray(new String[0]);
    List<TxClient> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int clientNo = c;
      clients.add(
          network.join(
              "tx-client-" + c,
              id ->
                  new TxClient(
                      id,
                      network,
                      frontend,
                      clientNo,
                      accounts,
                      WINDOW,
                      options.seed() * 1_000_003L + clientNo,
                      budget,
                      checker)));
    }
    progress.printf(
        "[twopc] frontend, coordinator, %d participants, %d accounts, %d clients x %d outstanding, seed %d%n",
        PARTICIPANTS, ACCOUNTS, CLIENTS, WINDOW, options.seed());
    WorkloadRunner.Outcome outcome =
        WorkloadRunner.run(
            name(),
            network,
            budget,
            () -> clients.forEach(TxClient::start),
            () -> clients.stream().mapToLong(TxClient::acknowledged).sum(),
            () -> clients.stream().mapToLong(TxClient::outstanding).sum(),
            progress);
    network.tap(null);
    TxAuditor auditor = network.join("auditor", id -> new TxAuditor(id, network));
    Map<String, Long> balances = auditor.readAll(directory, WorkloadRunner.DRAIN_TIMEOUT_NANOS);
    checker.finish(balances);
    progress.printf(
        "[twopc] %d committed, %d aborted, %d balances read back%n",
        checker.committed(), checker.aborted(), balances.size());
    return WorkloadRunner.result(name(), outcome, network, violations);
  }
}
