package io.compartment.demo.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NetworkTest {

  /** Records what it receives; optionally forwards each message to another node. */
  private static final class Recorder implements Node {
    final NodeId id;
    final Network network;
    final List<String> received = new ArrayList<>();
    NodeId forwardTo;
    boolean inHandler;
    boolean reentered;

    Recorder(NodeId id, Network network) {
      this.id = id;
      this.network = network;
    }

    @Override
    public NodeId id() {
      return id;
    }

    @Override
    public void onMessage(NodeId from, Object message) {
      if (inHandler) {
        reentered = true;
      }
      inHandler = true;
      received.add(from + ":" + message);
      if (forwardTo != null) {
        network.send(id, forwardTo, message);
      }
      inHandler = false;
    }
  }

  private static List<String> deliveryOrder(long seed) {
    Network network = new Network(seed);
    Recorder sink = network.join("sink", id -> new Recorder(id, network));
    List<NodeId> sources = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      sources.add(network.join("src" + s, id -> new Recorder(id, network)).id());
    }
    for (int i = 0; i < 50; i++) {
      for (NodeId source : sources) {
        network.send(source, sink.id(), i);
      }
    }
    network.runUntilIdle();
    return sink.received;
  }

  @Test
  void keepsEachLinkFifoWhileInterleavingDifferentSources() {
    List<String> order = deliveryOrder(7);
    assertThat(order).hasSize(200);
    for (int s = 0; s < 4; s++) {
      String prefix = "src" + s + ":";
      List<Integer> fromSource =
          order.stream()
              .filter(m -> m.startsWith(prefix))
              .map(m -> Integer.parseInt(m.substring(prefix.length())))
              .toList();
      assertThat(fromSource).isSorted().hasSize(50);
    }
    List<String> roundRobin = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      for (int s = 0; s < 4; s++) {
        roundRobin.add("src" + s + ":" + i);
      }
    }
    assertThat(order).as("sources interleave at random").isNotEqualTo(roundRobin);
  }

  @Test
  void sameSeedGivesSameDeliveryOrderAndOtherSeedsDiffer() {
    assertThat(deliveryOrder(11)).isEqualTo(deliveryOrder(11));
    assertThat(deliveryOrder(11)).isNotEqualTo(deliveryOrder(12));
  }

  @Test
  void sendFromAHandlerIsDeliveredLaterNotReentrantly() {
    Network network = new Network(1);
    Recorder a = network.join("a", id -> new Recorder(id, network));
    Recorder b = network.join("b", id -> new Recorder(id, network));
    a.forwardTo = b.id();
    b.forwardTo = a.id();
    network.send(b.id(), a.id(), "ping");
    assertThat(a.received).as("send only enqueues").isEmpty();
    assertThat(network.step()).isTrue();
    assertThat(a.received).containsExactly("b:ping");
    assertThat(b.received).as("a's forward waits for the loop").isEmpty();
    for (int i = 0; i < 9; i++) {
      network.step();
    }
    assertThat(a.received).hasSize(5);
    assertThat(b.received).hasSize(5);
    assertThat(a.reentered || b.reentered).isFalse();
  }

  @Test
  void recordsHandlerFailuresAndKeepsDelivering() {
    Network network = new Network(1);
    Recorder ok = network.join("ok", id -> new Recorder(id, network));
    NodeId broken =
        network
            .join(
                "broken",
                id ->
                    new Node() {
                      @Override
                      public NodeId id() {
                        return id;
                      }

                      @Override
                      public void onMessage(NodeId from, Object message) {
                        throw new IllegalStateException("boom");
                      }
                    })
            .id();
    network.send(ok.id(), broken, "x");
    network.send(broken, ok.id(), "y");
    network.runUntilIdle();
    assertThat(network.failureCount()).isEqualTo(1);
    assertThat(network.failures()).singleElement().asString().contains("broken", "boom");
    assertThat(ok.received).containsExactly("broken:y");
  }

  @Test
  void deliversSendsMadeFromOtherThreadsThroughTheLoop() throws Exception {
    Network network = new Network(3);
    Recorder sink = network.join("sink", id -> new Recorder(id, network));
    NodeId worker = network.address("worker");
    network.attach(new Recorder(worker, network));
    AtomicInteger sent = new AtomicInteger();
    Thread thread =
        new Thread(
            () -> {
              for (int i = 0; i < 100; i++) {
                network.send(worker, sink.id(), i);
                sent.incrementAndGet();
              }
            });
    thread.start();
    boolean done =
        network.run(() -> sink.received.size() == 100, System.nanoTime() + 10_000_000_000L);
    thread.join();
    assertThat(done).isTrue();
    assertThat(sink.received).hasSize(100).first().isEqualTo("worker:0");
    assertThat(sink.received).last().isEqualTo("worker:99");
  }

  @Test
  void refusesUnknownDestinationsAndDuplicateNames() {
    Network network = new Network(1);
    Recorder a = network.join("a", id -> new Recorder(id, network));
    NodeId dangling = network.address("nobody-attached");
    assertThatThrownBy(() -> network.send(a.id(), dangling, "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> network.address("a")).isInstanceOf(IllegalArgumentException.class);
  }
}
