package io.compartment.demo.kv;

import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a set of keys back through the store's own get handler, a window at a time. Used after a
 * workload to see what the store holds, wherever its state lives.
 */
public final class KvReader implements Node {

  private static final int WINDOW = 256;

  private final NodeId id;
  private final Network network;
  private final KvSharding sharding;
  private final Map<String, String> values = new HashMap<>();
  private List<String> keys = List.of();
  private int next;
  private int outstanding;
  private int errors;

  public KvReader(NodeId id, Network network, KvSharding sharding) {
    this.id = id;
    this.network = network;
    this.sharding = sharding;
  }

  @Override
  public NodeId id() {
    return id;
  }

  /**
   * Reads {@code keysToRead} and returns what they hold (null values for absent keys); keys whose
   * read was not answered within {@code timeoutNanos} are missing from the map.
   */
  public Map<String, String> readAll(List<String> keysToRead, long timeoutNanos) {
    values.clear();
    keys = List.copyOf(keysToRead);
    next = 0;
    outstanding = 0;
    while (outstanding < WINDOW && issue()) {
      // fill the window
    }
    network.run(() -> outstanding == 0 && next == keys.size(), System.nanoTime() + timeoutNanos);
    return new HashMap<>(values);
  }

  public int errors() {
    return errors;
  }

  @Override
  public void onMessage(NodeId from, Object message) {
    outstanding--;
    if (message instanceof GetReply reply) {
      values.put(reply.key(), reply.value());
    } else {
      errors++;
    }
    issue();
  }

  private boolean issue() {
    if (next == keys.size()) {
      return false;
    }
    String key = keys.get(next);
    network.send(id, sharding.nodeFor(key), new Get(next, id, key));
    next++;
    outstanding++;
    return true;
  }
}
