package io.compartment.demo.bft;

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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A BFT-style replicated counter service with {@value #REPLICAS} replicas (tolerating f = {@value
 * #F} faulty ones), where every message carries an HMAC that its receiver checks: the primary's
 * {@link Authenticator} checks client requests, its {@link Sequencer} orders them, each replica's
 * {@link ReplicaGate} checks the order and the request, its {@link ReplicaExecutor} applies them in
 * order, and a {@link ReplyCollector} sends each client f + 1 matching signed replies, which the
 * client checks again. The checking stages keep no state, the collector's state is reached by
 * request id, and the sequencer and executors are the sequential core.
 */
public final class BftDemo implements Demo {
  public static final int F = 1;
  public static final int REPLICAS = 3 * F + 1;
  public static final int CLIENTS = 8;
  public static final int WINDOW = 8;
  public static final int KEYS = 64;

  /** Everything a message between nodes may contain. */
  static final List<Class<?>> MESSAGE_TYPES =
      List.of(SignedRequest.class, PrePrepare.class, SignedReply.class, CertifiedReply.class);

  @Override
  public String name() {
    return "bft";
  }

  @Override
  public DemoResult run(DemoOptions options, PrintStream progress) {
    Network network = Deployment.network(name(), options, MESSAGE_TYPES);
    Macs macs = new Macs(("compartment-bft-" + options.seed()).getBytes(StandardCharsets.UTF_8));
    Violations violations = new Violations();
    BftChecker checker = new BftChecker(REPLICAS, violations);
    network.boundary(checker.atServiceEdge());

    NodeId collector = network.address("collector");
    NodeId sequencer = network.address("sequencer");
    List<NodeId> gates = new ArrayList<>();
    List<ReplicaExecutor> executors = new ArrayList<>();
    for (int r = 0; r < REPLICAS; r++) {
      NodeId executor = network.address("replica-" + r);
      executors.add(
          network.attach(new ReplicaExecutor(executor, network, macs, collector, checker)));
      gates.add(
          network
              .join("gate-" + r, id -> new ReplicaGate(id, network, macs, sequencer, executor))
              .id());
    }
    network.attach(new Sequencer(sequencer, network, macs, gates));
    network.attach(new ReplyCollector(collector, network, macs, F + 1));
    NodeId primary =
        network.join("primary", id -> new Authenticator(id, network, macs, sequencer)).id();

    Budget budget = options.budget();
    List<BftClient> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int clientNo = c;
      clients.add(
          network.join(
              "bft-client-" + c,
              id ->
                  new BftClient(
                      id,
                      network,
                      primary,
                      clientNo,
                      KEYS,
                      F + 1,
                      macs,
                      WINDOW,
                      options.seed() * 1_000_003L + clientNo,
                      budget,
                      checker)));
    }
    progress.printf(
        "[bft] primary (authenticator, sequencer), %d replicas (gate, executor), collector,"
            + " %d clients x %d outstanding, seed %d%n",
        REPLICAS, CLIENTS, WINDOW, options.seed());
    WorkloadRunner.Outcome outcome =
        WorkloadRunner.run(
            name(),
            network,
            budget,
            () -> clients.forEach(BftClient::start),
            () -> clients.stream().mapToLong(BftClient::acknowledged).sum(),
            () -> clients.stream().mapToLong(BftClient::outstanding).sum(),
            progress);
    checker.finish(executors.stream().map(ReplicaExecutor::counters).toList());
    progress.printf("[bft] %d requests ordered and executed%n", checker.ordered());
    return WorkloadRunner.result(name(), outcome, network, violations);
  }
}
