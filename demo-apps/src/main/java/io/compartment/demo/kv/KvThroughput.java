package io.compartment.demo.kv;

import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Handler throughput of the KV store: one closed-loop client keeps {@value #WINDOW} gets and puts
 * (half each) outstanding against {@value #NODES} {@link KvNode}s on the simulated network, for
 * fixed-length iterations. Keys and values are allocated up front and the choice of operation and
 * key comes from a seeded xorshift, so runs are deterministic and allocate only the messages.
 *
 * <p>{@code [--seconds S] [--iterations N] [--keys K] [--warmup W] [--seed N]}: prints {@code
 * ITERATION n=<i> ops_per_s=<x>} per measured iteration and finally {@code MEDIAN ops_per_s=<x>}.
 */
public final class KvThroughput {

  static final int NODES = 4;
  static final int WINDOW = 128;
  private static final int VALUES = 64;

  private final Network network;
  private final LoadClient client;

  public KvThroughput(int keyCount, long seed) {
    if (keyCount <= 0) {
      throw new IllegalArgumentException("keys must be positive: " + keyCount);
    }
    network = new Network(seed);
    List<NodeId> nodes = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      nodes.add(network.join("kv-" + i, id -> new KvNode(id, network)).id());
    }
    KvSharding sharding = new KvSharding(nodes);
    client = network.join("load", id -> new LoadClient(id, network, sharding, keyCount, seed));
    client.preload();
    network.runUntilIdle();
    client.start();
  }

  /** Runs the closed loop for {@code seconds} and returns the operations completed per second. */
  public double measure(double seconds) {
    long before = client.completed;
    long start = System.nanoTime();
    network.run(() -> false, start + (long) (seconds * 1e9));
    long elapsed = System.nanoTime() - start;
    return (client.completed - before) / (elapsed / 1e9);
  }

  /** Operations completed since construction (the preload excluded). */
  public long completed() {
    return client.completed;
  }

  public static void main(String[] args) {
    double seconds = 2.0;
    int iterations = 5;
    int keys = 10_000;
    int warmup = 1;
    long seed = 42L;
    try {
      for (int i = 0; i < args.length; i++) {
        String option = args[i];
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (option) {
          case "--seconds" -> seconds = positive(option, Double.parseDouble(need(option, value)));
          case "--iterations" ->
              iterations = (int) positive(option, Integer.parseInt(need(option, value)));
          case "--keys" -> keys = (int) positive(option, Integer.parseInt(need(option, value)));
          case "--warmup" -> warmup = Integer.parseInt(need(option, value));
          case "--seed" -> seed = Long.parseLong(need(option, value));
          default -> throw new IllegalArgumentException("unknown option " + option);
        }
        i++;
      }
    } catch (IllegalArgumentException e) {
      System.err.println(
          "KvThroughput: "
              + e.getMessage()
              + "; usage: KvThroughput [--seconds S] [--iterations N] [--keys K] [--warmup W] [--seed N]");
      System.exit(2);
      return;
    }
    KvThroughput bench = new KvThroughput(keys, seed);
    for (int i = 1; i <= warmup; i++) {
      System.out.printf(
          Locale.ROOT, "WARMUP n=%d ops_per_s=%d%n", i, Math.round(bench.measure(seconds)));
    }
    double[] results = new double[iterations];
    for (int i = 0; i < iterations; i++) {
      results[i] = bench.measure(seconds);
      System.out.printf(
          Locale.ROOT, "ITERATION n=%d ops_per_s=%d%n", i + 1, Math.round(results[i]));
    }
    System.out.printf(Locale.ROOT, "MEDIAN ops_per_s=%d%n", Math.round(median(results)));
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String need(String option, String value) {
    if (value == null) {
      throw new IllegalArgumentException("option " + option + " needs a value");
    }
    return value;
  }

  private static double positive(String option, double value) {
    if (!(value > 0)) {
      throw new IllegalArgumentException("option " + option + " must be positive: " + value);
    }
    return value;
  }

  /** The load generator: no bookkeeping beyond a counter, so the handlers dominate. */
  private static final class LoadClient implements Node {
    private final NodeId id;
    private final Network network;
    private final String[] keys;
    private final NodeId[] owners;
    private final String[] values = new String[VALUES];
    private long state;
    private long nextRequestId;
    private boolean running;
    long completed;

    LoadClient(NodeId id, Network network, KvSharding sharding, int keyCount, long seed) {
      this.id = id;
      this.network = network;
      this.keys = new String[keyCount];
      this.owners = new NodeId[keyCount];
      for (int i = 0; i < keyCount; i++) {
        keys[i] = "key:" + i;
        owners[i] = sharding.nodeFor(keys[i]);
      }
      for (int i = 0; i < VALUES; i++) {
        values[i] = "value-" + i;
      }
      this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
    }

    @Override
    public NodeId id() {
      return id;
    }

    void preload() {
      for (int i = 0; i < keys.length; i++) {
        network.send(id, owners[i], new Put(nextRequestId++, id, keys[i], values[i % VALUES]));
      }
    }

    void start() {
      completed = 0;
      running = true;
      for (int i = 0; i < WINDOW; i++) {
        issue();
      }
    }

    @Override
    public void onMessage(NodeId from, Object message) {
      completed++;
      if (running) {
        issue();
      }
    }

    private void issue() {
      long r = next();
      int k = (int) ((r >>> 1) % keys.length);
      if ((r & 1) == 0) {
        network.send(id, owners[k], new Get(nextRequestId++, id, keys[k]));
      } else {
        network.send(
            id,
            owners[k],
            new Put(nextRequestId++, id, keys[k], values[(int) ((r >>> 40) & (VALUES - 1))]));
      }
    }

    private long next() {
      long x = state;
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      state = x;
      return x & Long.MAX_VALUE;
    }
  }
}
