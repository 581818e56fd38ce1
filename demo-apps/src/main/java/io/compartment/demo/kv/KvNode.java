package io.compartment.demo.kv;

import io.compartment.api.Emit;
import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One shard of the key-value store. Clients pick the shard of a key by hash ({@link KvSharding});
 * each node answers for the keys it holds.
 */
@ProtocolService
public class KvNode implements Node {

  static final int MAX_KEY_LENGTH = 256;
  static final int MAX_SCAN_LIMIT = 1000;

  private final NodeId id;
  private final Network network;

  @State private final Map<String, String> data = new HashMap<>();

  public KvNode(NodeId id, Network network) {
    this.id = id;
    this.network = network;
  }

  @Override
  public NodeId id() {
    return id;
  }

  @Override
  public void onMessage(NodeId from, Object message) {
    if (message instanceof Get get) {
      get(get);
    } else if (message instanceof Put put) {
      put(put);
    } else if (message instanceof Delete delete) {
      delete(delete);
    } else if (message instanceof Scan scan) {
      scan(scan);
    } else {
      throw new IllegalArgumentException("unexpected message " + message);
    }
  }

  @Handler
  public void get(Get request) {
    if (!validKey(request.key())) {
      reject(request.client(), request.requestId(), request.key());
      return;
    }
    String value = data.get(request.key());
    send(request.client(), new GetReply(request.requestId(), request.key(), value));
  }

  @Handler
  public void put(Put request) {
    String key = request.getKey();
    if (!validKey(key)) {
      reject(request.getClient(), request.getRequestId(), key);
      return;
    }
    String previous = data.put(key, request.getValue());
    send(request.getClient(), new PutAck(request.getRequestId(), key, previous == null));
  }

  @Handler
  public void delete(Delete request) {
    if (!validKey(request.key())) {
      reject(request.client(), request.requestId(), request.key());
      return;
    }
    boolean existed = data.remove(request.key()) != null;
    send(request.client(), new DeleteAck(request.requestId(), request.key(), existed));
  }

  @Handler
  public void scan(Scan request) {
    int limit = Math.max(0, Math.min(request.limit(), MAX_SCAN_LIMIT));
    List<String> matching = keysWithPrefix(request.prefix());
    matching.sort(null);
    List<String> first = matching.size() > limit ? matching.subList(0, limit) : matching;
    send(request.client(), new ScanReply(request.requestId(), matching.size(), first));
  }

  private List<String> keysWithPrefix(String prefix) {
    List<String> keys = new ArrayList<>();
    for (String key : data.keySet()) {
      if (key.startsWith(prefix)) {
        keys.add(key);
      }
    }
    return keys;
  }

  private static boolean validKey(String key) {
    return key != null && !key.isEmpty() && key.length() <= MAX_KEY_LENGTH;
  }

  private void reject(NodeId client, long requestId, String key) {
    send(client, new KvError(requestId, "invalid key " + key));
  }

  @Emit
  protected void send(NodeId to, Object message) {
    network.send(id, to, message);
  }

  @Override
  public String toString() {
    return "KvNode[" + id + "]";
  }
}
