package io.compartment.demo.multipaxos;

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
import java.util.List;

/**
 * MultiPaxos: one {@link Proposer} (elected with phase 1 as the workload starts), {@value
 * #ACCEPTORS} {@link Acceptor}s, {@value #REPLICAS} {@link Replica}s and {@value #CLIENTS}
 * closed-loop clients with {@value #WINDOW} commands outstanding each on {@value #KEYS} shared
 * keys.
 */
public final class MultiPaxosDemo implements Demo {

  public static final int ACCEPTORS = 3;
  public static final int REPLICAS = 2;
  public static final int CLIENTS = 8;
  public static final int WINDOW = 8;
  public static final int KEYS = 1000;

  /** Everything a message between nodes may contain. */
  static final List<Class<?>> MESSAGE_TYPES =
      List.of(
          ClientRequest.class,
          ClientReply.class,
          Command.class,
          Command.Op.class,
          Phase1a.class,
          Phase1b.class,
          Phase2a.class,
          Phase2b.class,
          LogEntry.class,
          Chosen.class,
          Nack.class);

  @Override
  public String name() {
    return "multipaxos";
  }

  @Override
  public DemoResult run(DemoOptions options, PrintStream progress) {
    Network network = Deployment.network(name(), options, MESSAGE_TYPES);
    List<NodeId> acceptors = new ArrayList<>();
    for (int i = 0; i < ACCEPTORS; i++) {
      acceptors.add(network.join("acceptor-" + i, id -> new Acceptor(id, network)).id());
    }
    List<NodeId> replicaIds = new ArrayList<>();
    for (int i = 0; i < REPLICAS; i++) {
      replicaIds.add(network.address("replica-" + i));
    }
    Violations violations = new Violations();
    MultiPaxosChecker checker = new MultiPaxosChecker(ACCEPTORS, replicaIds, violations);
    List<Replica> replicas = new ArrayList<>();
    for (int i = 0; i < REPLICAS; i++) {
      replicas.add(network.attach(new Replica(replicaIds.get(i), network, i, REPLICAS, checker)));
    }
    Proposer proposer =
        network.join("leader", id -> new Proposer(id, network, 0, acceptors, replicaIds));
    network.tap(checker);
    network.boundary(checker.atServiceEdge());
    Budget budget = options.budget();
    List<PaxosClient> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int clientNo = c;
      clients.add(
          network.join(
              "paxos-client-" + c,
              id ->
                  new PaxosClient(
                      id,
                      network,
                      proposer.id(),
                      clientNo,
                      KEYS,
                      WINDOW,
                      options.seed() * 1_000_003L + clientNo,
                      budget,
                      checker)));
    }
    progress.printf(
        "[multipaxos] leader, %d acceptors, %d replicas, %d clients x %d outstanding, seed %d%n",
        ACCEPTORS, REPLICAS, CLIENTS, WINDOW, options.seed());
    WorkloadRunner.Outcome outcome =
        WorkloadRunner.run(
            name(),
            network,
            budget,
            () -> {
              proposer.startElection();
              clients.forEach(PaxosClient::start);
            },
            () -> clients.stream().mapToLong(PaxosClient::acknowledged).sum(),
            () -> clients.stream().mapToLong(PaxosClient::outstanding).sum(),
            progress);
    network.tap(null);
    checker.finish();
    progress.printf(
        "[multipaxos] %d slots chosen, replicas executed %s%n",
        checker.chosenSlots(), replicas.stream().map(Replica::executedUpTo).toList());
    return WorkloadRunner.result(name(), outcome, network, violations);
  }
}
