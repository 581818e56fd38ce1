package io.compartment.demo.kv;

import io.compartment.demo.Budget;
import io.compartment.demo.ClosedLoopClient;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.NodeId;
import java.util.Random;

/**
 * A closed-loop client of the sharded store: keeps {@code window} requests outstanding over its own
 * key range ({@code user<n>:<i>}), mixing gets, puts, deletes and the occasional scan, and feeds
 * every request and answer to the {@link KvChecker}.
 */
public final class KvClient extends ClosedLoopClient {

  /** Request mix, in thousandths. */
  static final int SCAN_PER_MILLE = 5;

  static final int DELETE_PER_MILLE = 95;
  static final int PUT_PER_MILLE = 450;
  static final int SCAN_LIMIT = 10;

  private final int clientNo;
  private final KvSharding sharding;
  private final String prefix;
  private final String[] keys;
  private final Random random;
  private final KvChecker checker;
  private final boolean scans;

  private long sequence;

  public KvClient(
      NodeId id,
      Network network,
      int clientNo,
      KvSharding sharding,
      int keyCount,
      int window,
      long seed,
      Budget budget,
      KvChecker checker,
      boolean scans) {
    super(id, network, window, budget);
    this.clientNo = clientNo;
    this.sharding = sharding;
    this.prefix = "user" + clientNo + ":";
    this.keys = new String[keyCount];
    for (int i = 0; i < keyCount; i++) {
      keys[i] = prefix + i;
    }
    this.random = new Random(seed);
    this.checker = checker;
    this.scans = scans;
  }

  /** Sends the first window of requests. */
  @Override
  protected boolean answered(Object message) {
    checker.answered(message);
    return true;
  }

  @Override
  protected long requestIdOf(Object answer) {
    // each client reads and writes only its own keys: an answer depends on that client alone
    if (answer instanceof GetReply r) return r.requestId();
    if (answer instanceof PutAck r) return r.requestId();
    if (answer instanceof DeleteAck r) return r.requestId();
    if (answer instanceof ScanReply r) return r.requestId();
    if (answer instanceof KvError r) return r.requestId();
    return -1;
  }

  @Override
  protected long sendRequest() {
    long requestId = ((long) clientNo << 40) | sequence++;
    int dice = random.nextInt(1000);
    String key = keys[random.nextInt(keys.length)];
    if (scans && dice < SCAN_PER_MILLE) {
      int shard = random.nextInt(sharding.size());
      checker.issuedScan(requestId, prefix, shard);
      network.send(id, sharding.node(shard), new Scan(requestId, id, prefix, SCAN_LIMIT));
    } else if (dice < SCAN_PER_MILLE + DELETE_PER_MILLE) {
      checker.issuedDelete(requestId, key);
      network.send(id, sharding.nodeFor(key), new Delete(requestId, id, key));
    } else if (dice < SCAN_PER_MILLE + DELETE_PER_MILLE + PUT_PER_MILLE) {
      String value = "v" + clientNo + "." + requestId;
      checker.issuedPut(requestId, key, value);
      network.send(id, sharding.nodeFor(key), new Put(requestId, id, key, value));
    } else {
      checker.issuedGet(requestId, key);
      network.send(id, sharding.nodeFor(key), new Get(requestId, id, key));
    }
    return requestId;
  }
}
