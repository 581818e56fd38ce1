package io.compartment.demo.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.demo.Violations;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.NodeId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KvCheckerTest {

  private static final String KEY = "user0:1";

  private final Violations violations = new Violations();
  private KvSharding sharding;
  private KvChecker checker;

  @BeforeEach
  void setUp() {
    Network network = new Network(1);
    List<NodeId> nodes = List.of(network.address("kv-0"), network.address("kv-1"));
    sharding = new KvSharding(nodes);
    checker = new KvChecker(sharding, violations);
  }

  @Test
  void acceptsAConsistentHistory() {
    checker.issuedPut(1, KEY, "a");
    checker.issuedGet(2, KEY);
    checker.issuedPut(3, KEY, "b");
    checker.answered(new PutAck(1, KEY, true));
    checker.answered(new GetReply(2, KEY, "a"));
    checker.answered(new PutAck(3, KEY, false));
    checker.issuedDelete(4, "user0:2");
    checker.answered(new DeleteAck(4, "user0:2", false));
    checker.finish(readBack(KEY, "b", "user0:2", null));
    assertThat(violations.examples()).isEmpty();
  }

  @Test
  void detectsALostWrite() {
    checker.issuedPut(1, KEY, "a");
    checker.answered(new PutAck(1, KEY, true));
    checker.issuedPut(2, KEY, "b");
    checker.answered(new PutAck(2, KEY, false));
    checker.finish(readBack(KEY, "a"));
    assertThat(violations.isEmpty()).isFalse();
    assertThat(violations.examples()).anyMatch(v -> v.startsWith("lost write: key " + KEY));
  }

  @Test
  void detectsAStaleRead() {
    checker.issuedPut(1, KEY, "a");
    checker.issuedGet(2, KEY);
    checker.answered(new PutAck(1, KEY, true));
    checker.answered(new GetReply(2, KEY, null));
    assertThat(violations.examples())
        .singleElement()
        .asString()
        .contains("get(" + KEY + ") returned nothing", "\"a\"");
  }

  @Test
  void detectsAReadOfADeletedKey() {
    checker.issuedPut(1, KEY, "a");
    checker.issuedDelete(2, KEY);
    checker.issuedGet(3, KEY);
    checker.answered(new PutAck(1, KEY, true));
    checker.answered(new DeleteAck(2, KEY, true));
    checker.answered(new GetReply(3, KEY, "a"));
    assertThat(violations.count()).isEqualTo(1);
  }

  @Test
  void detectsDuplicateAndMissingAnswers() {
    checker.issuedPut(1, KEY, "a");
    checker.issuedGet(2, KEY);
    checker.answered(new PutAck(1, KEY, true));
    checker.answered(new PutAck(1, KEY, true));
    checker.finish(readBack(KEY, "a"));
    assertThat(violations.examples())
        .anyMatch(v -> v.contains("already answered"))
        .anyMatch(v -> v.contains("never answered"));
  }

  @Test
  void detectsAWrongScanCount() {
    checker.issuedPut(1, KEY, "a");
    checker.issuedPut(2, "user0:2", "b");
    checker.answered(new PutAck(1, KEY, true));
    checker.answered(new PutAck(2, "user0:2", true));
    int shard = sharding.shardOf(KEY);
    int expected = sharding.shardOf("user0:2") == shard ? 2 : 1;
    checker.issuedScan(3, "user0:", shard);
    checker.answered(new ScanReply(3, expected + 1, List.of()));
    assertThat(violations.examples()).singleElement().asString().contains("scan of user0:");
  }

  private static Map<String, String> readBack(String... keysAndValues) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      values.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return values;
  }
}
