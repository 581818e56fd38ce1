package io.compartment.demo.kv;

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
import java.util.Map;

/**
 * The sharded key-value store: {@value #NODES} {@link KvNode}s, {@value #CLIENTS} closed-loop
 * clients with {@value #WINDOW} requests outstanding each over {@value #KEYS_PER_CLIENT} keys of
 * their own. After the workload every written key is read back and checked.
 */
public final class KvDemo implements Demo {

  public static final int NODES = 4;
  public static final int CLIENTS = 8;
  public static final int KEYS_PER_CLIENT = 2000;
  public static final int WINDOW = 16;

  private final boolean scans;

  /** The full workload, scans included. */
  public KvDemo() {
    this(true);
  }

  /**
   * @param scans whether clients send the occasional whole-node {@link Scan}
   */
  public KvDemo(boolean scans) {
    this.scans = scans;
  }

  /** Everything a message between nodes may contain. */
  static final List<Class<?>> MESSAGE_TYPES =
      List.of(
          Get.class,
          GetReply.class,
          Put.class,
          PutAck.class,
          Delete.class,
          DeleteAck.class,
          Scan.class,
          ScanReply.class,
          KvError.class);

  @Override
  public String name() {
    return "kv";
  }

  @Override
  public DemoResult run(DemoOptions options, PrintStream progress) {
    Network network = Deployment.network(name(), options, MESSAGE_TYPES);
    List<NodeId> nodeIds = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      nodeIds.add(network.join("kv-" + i, id -> new KvNode(id, network)).id());
    }
    KvSharding sharding = new KvSharding(nodeIds);
    Violations violations = new Violations();
    KvChecker checker = new KvChecker(sharding, violations);
    network.boundary(checker.atServiceEdge());
    Budget budget = options.budget();
    List<KvClient> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int clientNo = c;
      clients.add(
          network.join(
              "kv-client-" + c,
              id ->
                  new KvClient(
                      id,
                      network,
                      clientNo,
                      sharding,
                      KEYS_PER_CLIENT,
                      WINDOW,
                      options.seed() * 1_000_003L + clientNo,
                      budget,
                      checker,
                      scans)));
    }
    progress.printf(
        "[kv] %d nodes, %d clients x %d outstanding, %d keys each, seed %d%n",
        NODES, CLIENTS, WINDOW, KEYS_PER_CLIENT, options.seed());

    WorkloadRunner.Outcome outcome =
        WorkloadRunner.run(
            name(),
            network,
            budget,
            () -> clients.forEach(KvClient::start),
            () -> clients.stream().mapToLong(KvClient::acknowledged).sum(),
            () -> clients.stream().mapToLong(KvClient::outstanding).sum(),
            progress);

    KvReader reader = network.join("kv-reader", id -> new KvReader(id, network, sharding));
    List<String> written = checker.keysWritten();
    Map<String, String> readBack = reader.readAll(written, WorkloadRunner.DRAIN_TIMEOUT_NANOS);
    progress.printf("[kv] read back %d of %d written keys%n", readBack.size(), written.size());
    checker.finish(readBack);
    return WorkloadRunner.result(name(), outcome, network, violations);
  }
}
