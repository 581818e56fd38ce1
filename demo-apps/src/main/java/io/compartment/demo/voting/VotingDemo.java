package io.compartment.demo.voting;

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
 * Voting: one {@link VotingLeader}, {@value #VOTERS} {@link Voter}s and {@value #CLIENTS}
 * closed-loop clients with {@value #WINDOW} motions outstanding each.
 */
public final class VotingDemo implements Demo {

  public static final int VOTERS = 5;
  public static final int CLIENTS = 8;
  public static final int WINDOW = 16;
  public static final int APPROVAL_PERCENT = 55;

  /** Everything a message between nodes may contain. */
  static final List<Class<?>> MESSAGE_TYPES =
      List.of(VoteRequest.class, VoteSolicitation.class, Vote.class, VoteOutcome.class);

  @Override
  public String name() {
    return "voting";
  }

  @Override
  public DemoResult run(DemoOptions options, PrintStream progress) {
    Network network = Deployment.network(name(), options, MESSAGE_TYPES);
    VotePolicy policy = new VotePolicy(APPROVAL_PERCENT);
    List<NodeId> voters = new ArrayList<>();
    for (int seat = 0; seat < VOTERS; seat++) {
      int s = seat;
      voters.add(network.join("voter-" + seat, id -> new Voter(id, s, policy, network::post)).id());
    }
    NodeId leader = network.join("leader", id -> new VotingLeader(id, network, voters)).id();
    Violations violations = new Violations();
    VotingChecker checker = new VotingChecker(policy, VOTERS, violations);
    network.boundary(checker.atServiceEdge());
    Budget budget = options.budget();
    List<VotingClient> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int clientNo = c;
      clients.add(
          network.join(
              "voting-client-" + c,
              id ->
                  new VotingClient(
                      id,
                      network,
                      leader,
                      clientNo,
                      WINDOW,
                      options.seed() * 1_000_003L + clientNo,
                      budget,
                      checker)));
    }
    progress.printf(
        "[voting] leader, %d voters, %d clients x %d outstanding, seed %d%n",
        VOTERS, CLIENTS, WINDOW, options.seed());
    WorkloadRunner.Outcome outcome =
        WorkloadRunner.run(
            name(),
            network,
            budget,
            () -> clients.forEach(VotingClient::start),
            () -> clients.stream().mapToLong(VotingClient::acknowledged).sum(),
            () -> clients.stream().mapToLong(VotingClient::outstanding).sum(),
            progress);
    checker.finish();
    progress.printf("[voting] %d requests decided%n", checker.decidedCount());
    return WorkloadRunner.result(name(), outcome, network, violations);
  }
}
