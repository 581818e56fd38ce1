package io.compartment.demo.kv;

import io.compartment.demo.Violations;
import io.compartment.demo.net.BoundaryTap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * End-to-end check of the key-value store, fed with the client history as it happens.
 *
 * <p>Every key has one writer (the client whose prefix it carries) and every request for a key
 * travels the same FIFO link, so the store must apply a key's requests in the order they were
 * issued. A get must therefore return exactly the value of the last write issued before it, a scan
 * must count exactly the keys that were live when it was issued, and after the run every key must
 * hold its last acknowledged value ({@link #finish}). Each request must be answered exactly once.
 */
public final class KvChecker {

  private enum Kind {
    GET,
    PUT,
    DELETE,
    SCAN
  }

  private static final class KeyModel {
    final String scope;
    String value;
    int unacknowledgedWrites;

    KeyModel(String scope) {
      this.scope = scope;
    }
  }

  private record Pending(Kind kind, String key, KeyModel model, String expected, int count) {}

  private final KvSharding sharding;
  private final Violations violations;
  private final Map<String, KeyModel> keys = new HashMap<>();
  private final Map<String, int[]> liveKeysByScope = new HashMap<>();
  private final Map<Long, Pending> pending = new HashMap<>();
  private long answered;

  public KvChecker(KvSharding sharding, Violations violations) {
    this.sharding = sharding;
    this.violations = violations;
  }

  /** The scope a scan covers: the keys of one client prefix on one shard. */
  public static String scope(String prefix, int shard) {
    return prefix + "@" + shard;
  }

  /** The client prefix of a key: everything up to and including the first ':'. */
  public static String prefixOf(String key) {
    int colon = key.indexOf(':');
    return colon < 0 ? key : key.substring(0, colon + 1);
  }

  /**
   * The checker's view of clients placed in another process: their requests as they arrive at the
   * service, their answers as the service sends them.
   */
  public BoundaryTap atServiceEdge() {
    return BoundaryTap.of(
        (from, to, message) -> {
          if (message instanceof Get get) {
            issuedGet(get.requestId(), get.key());
          } else if (message instanceof Put put) {
            issuedPut(put.getRequestId(), put.getKey(), put.getValue());
          } else if (message instanceof Delete delete) {
            issuedDelete(delete.requestId(), delete.key());
          } else if (message instanceof Scan scan) {
            issuedScan(scan.requestId(), scan.prefix(), sharding.nodes().indexOf(to));
          }
        },
        (from, to, message) -> {
          answered(message);
        });
  }

  public void issuedGet(long requestId, String key) {
    KeyModel model = model(key);
    track(requestId, new Pending(Kind.GET, key, model, model.value, 0));
  }

  public void issuedPut(long requestId, String key, String value) {
    KeyModel model = model(key);
    if (model.value == null) {
      live(model.scope)[0]++;
    }
    model.value = value;
    model.unacknowledgedWrites++;
    track(requestId, new Pending(Kind.PUT, key, model, value, 0));
  }

  public void issuedDelete(long requestId, String key) {
    KeyModel model = model(key);
    if (model.value != null) {
      live(model.scope)[0]--;
    }
    model.value = null;
    model.unacknowledgedWrites++;
    track(requestId, new Pending(Kind.DELETE, key, model, null, 0));
  }

  public void issuedScan(long requestId, String prefix, int shard) {
    int[] live = liveKeysByScope.get(scope(prefix, shard));
    track(requestId, new Pending(Kind.SCAN, prefix, null, null, live == null ? 0 : live[0]));
  }

  /** Feeds one answer received by a client. */
  public void answered(Object reply) {
    if (reply instanceof GetReply r) {
      Pending p = take(r.requestId(), Kind.GET, r);
      if (p != null) {
        checkKey(p, r.key(), r);
        if (!Objects.equals(r.value(), p.expected())) {
          violations.add(
              "get("
                  + p.key()
                  + ") returned "
                  + quote(r.value())
                  + " but the last write issued before it left "
                  + quote(p.expected()));
        }
      }
    } else if (reply instanceof PutAck r) {
      Pending p = take(r.requestId(), Kind.PUT, r);
      if (p != null) {
        checkKey(p, r.key(), r);
        p.model().unacknowledgedWrites--;
      }
    } else if (reply instanceof DeleteAck r) {
      Pending p = take(r.requestId(), Kind.DELETE, r);
      if (p != null) {
        checkKey(p, r.key(), r);
        p.model().unacknowledgedWrites--;
      }
    } else if (reply instanceof ScanReply r) {
      Pending p = take(r.requestId(), Kind.SCAN, r);
      if (p != null) {
        checkScan(p, r);
      }
    } else if (reply instanceof KvError e) {
      Pending p = pending.remove(e.requestId());
      violations.add("request " + e.requestId() + " rejected: " + e.reason());
      if (p != null && p.model() != null && p.kind() != Kind.GET) {
        p.model().unacknowledgedWrites--;
      }
    } else {
      violations.add("unexpected reply " + reply);
    }
  }

  /**
   * Ends the history: {@code readBack} maps every key of {@link #keysWritten()} to the value the
   * store holds now (null for none).
   */
  public void finish(Map<String, String> readBack) {
    if (!pending.isEmpty()) {
      violations.add(
          pending.size()
              + " request(s) never answered, e.g. "
              + pending.entrySet().iterator().next());
    }
    for (Map.Entry<String, KeyModel> e : keys.entrySet()) {
      KeyModel model = e.getValue();
      if (model.unacknowledgedWrites != 0) {
        continue; // its last write may or may not have been applied
      }
      if (!readBack.containsKey(e.getKey())) {
        violations.add("key " + e.getKey() + " was not read back");
        continue;
      }
      String actual = readBack.get(e.getKey());
      if (!Objects.equals(actual, model.value)) {
        violations.add(
            "lost write: key "
                + e.getKey()
                + " holds "
                + quote(actual)
                + " but its last acknowledged write left "
                + quote(model.value));
      }
    }
  }

  /** Every key written (put or deleted) so far. */
  public List<String> keysWritten() {
    return new ArrayList<>(keys.keySet());
  }

  /** Requests answered so far. */
  public long answered() {
    return answered;
  }

  public Violations violations() {
    return violations;
  }

  private KeyModel model(String key) {
    KeyModel model = keys.get(key);
    if (model == null) {
      model = new KeyModel(scope(prefixOf(key), sharding.shardOf(key)));
      keys.put(key, model);
    }
    return model;
  }

  private int[] live(String scope) {
    return liveKeysByScope.computeIfAbsent(scope, s -> new int[1]);
  }

  private void track(long requestId, Pending p) {
    if (pending.put(requestId, p) != null) {
      violations.add("request id " + requestId + " issued twice");
    }
  }

  private Pending take(long requestId, Kind kind, Object reply) {
    Pending p = pending.remove(requestId);
    if (p == null) {
      violations.add("answer to an unknown or already answered request: " + reply);
      return null;
    }
    answered++;
    if (p.kind() != kind) {
      violations.add("request " + requestId + " was a " + p.kind() + " but got " + reply);
      return null;
    }
    return p;
  }

  private void checkKey(Pending p, String key, Object reply) {
    if (!p.key().equals(key)) {
      violations.add("request for key " + p.key() + " answered for another key: " + reply);
    }
  }

  private void checkScan(Pending p, ScanReply r) {
    if (r.count() != p.count()) {
      violations.add(
          "scan of "
              + p.key()
              + " counted "
              + r.count()
              + " keys but "
              + p.count()
              + " were live when it was issued");
    }
    String previous = null;
    for (String key : r.firstKeys()) {
      if (!key.startsWith(p.key())) {
        violations.add("scan of " + p.key() + " returned key " + key);
      }
      if (previous != null && previous.compareTo(key) >= 0) {
        violations.add("scan of " + p.key() + " returned keys out of order: " + r.firstKeys());
      }
      previous = key;
    }
    if (r.firstKeys().size() > r.count()) {
      violations.add("scan listed more keys than it counted: " + r);
    }
  }

  private static String quote(String value) {
    return value == null ? "nothing" : "\"" + value + "\"";
  }
}
