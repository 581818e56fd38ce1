package io.compartment.demo.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KvNodeTest {

  private static final class Inbox implements Node {
    final NodeId id;
    final List<Object> received = new ArrayList<>();

    Inbox(NodeId id) {
      this.id = id;
    }

    @Override
    public NodeId id() {
      return id;
    }

    @Override
    public void onMessage(NodeId from, Object message) {
      received.add(message);
    }
  }

  private final Network network = new Network(1);
  private final KvNode node = network.join("kv", id -> new KvNode(id, network));
  private final Inbox client = network.join("client", Inbox::new);

  @Test
  void putsGetsAndDeletesAnswerTheClient() {
    NodeId c = client.id();
    network.send(c, node.id(), new Put(1, c, "a", "x"));
    network.send(c, node.id(), new Put(2, c, "a", "y"));
    network.send(c, node.id(), new Get(3, c, "a"));
    network.send(c, node.id(), new Delete(4, c, "a"));
    network.send(c, node.id(), new Get(5, c, "a"));
    network.runUntilIdle();
    assertThat(client.received)
        .containsExactly(
            new PutAck(1, "a", true),
            new PutAck(2, "a", false),
            new GetReply(3, "a", "y"),
            new DeleteAck(4, "a", true),
            new GetReply(5, "a", null));
  }

  @Test
  void scanCountsThePrefixAndListsTheFirstKeysInOrder() {
    NodeId c = client.id();
    for (String key : new String[] {"u1:c", "u1:a", "u2:a", "u1:b"}) {
      node.put(new Put(0, c, key, "v"));
    }
    node.scan(new Scan(9, c, "u1:", 2));
    network.runUntilIdle();
    assertThat(client.received).last().isEqualTo(new ScanReply(9, 3, List.of("u1:a", "u1:b")));
  }

  @Test
  void rejectsAnEmptyKey() {
    node.get(new Get(7, client.id(), ""));
    network.runUntilIdle();
    assertThat(client.received).singleElement().isInstanceOf(KvError.class);
  }
}
