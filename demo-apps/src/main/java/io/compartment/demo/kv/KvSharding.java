package io.compartment.demo.kv;

import io.compartment.demo.net.NodeId;
import java.util.List;

/** Client-side placement: the node that owns a key is chosen by the key's hash. */
public final class KvSharding {

  private final List<NodeId> nodes;

  public KvSharding(List<NodeId> nodes) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("no KV nodes");
    }
    this.nodes = List.copyOf(nodes);
  }

  public int shardOf(String key) {
    int h = key.hashCode();
    h ^= h >>> 16;
    return Math.floorMod(h, nodes.size());
  }

  public NodeId nodeFor(String key) {
    return nodes.get(shardOf(key));
  }

  public NodeId node(int shard) {
    return nodes.get(shard);
  }

  public int size() {
    return nodes.size();
  }

  public List<NodeId> nodes() {
    return nodes;
  }
}
