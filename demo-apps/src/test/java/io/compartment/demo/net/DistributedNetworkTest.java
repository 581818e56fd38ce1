package io.compartment.demo.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.transport.aeron.MessageChannel;
import io.compartment.transport.aeron.TransportContext;
import io.compartment.transport.codec.TypeRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two networks joined by a real Aeron IPC link, each on its own thread as in two processes. */
@Timeout(60)
class DistributedNetworkTest {

  private static final TypeRegistry REGISTRY =
      TypeRegistry.builder().register(PeerLink.linkTypes()).build();
  private static final long SECONDS = TimeUnit.SECONDS.toNanos(1);

  /** Answers "ping-N" with "pong-N"; records what it receives. */
  private static final class Echo implements Node {
    final NodeId id;
    final Network network;
    final List<String> received = new ArrayList<>();

    Echo(NodeId id, Network network) {
      this.id = id;
      this.network = network;
    }

    @Override
    public NodeId id() {
      return id;
    }

    @Override
    public void onMessage(NodeId from, Object message) {
      received.add(from + ":" + message);
      String text = (String) message;
      if (text.startsWith("ping-")) {
        network.send(id, from, "pong-" + text.substring(5));
      }
    }
  }

  private static final class Side {
    final Network network;
    final Echo server;
    final Echo client;

    Side(PeerLink link, boolean serverSide) {
      network = new Network(7);
      network.distribute(link, node -> (node.id().name().equals("server")) == serverSide);
      server = network.join("server", id -> new Echo(id, network));
      client = network.join("client", id -> new Echo(id, network));
    }
  }

  private static PeerLink serverLink() {
    return new PeerLink(
        "clients side",
        new TransportContext().embeddedDriver(true),
        MessageChannel.ipc(11),
        MessageChannel.ipc(12),
        REGISTRY);
  }

  private static PeerLink clientLink(String dir) {
    return new PeerLink(
        "server side",
        new TransportContext().embeddedDriver(false).aeronDirectoryName(dir),
        MessageChannel.ipc(12),
        MessageChannel.ipc(11),
        REGISTRY);
  }

  @Test
  void requestsAndAnswersCrossTheLinkInOrderAndTheBoundaryTapSeesBothWays() throws Exception {
    List<String> inbound = new ArrayList<>();
    List<String> outbound = new ArrayList<>();
    AtomicReference<Side> serverSide = new AtomicReference<>();
    AtomicReference<String> dir = new AtomicReference<>();
    CompletableFuture<Void> serverReady = new CompletableFuture<>();
    CompletableFuture<Void> clientDone = new CompletableFuture<>();
    CompletableFuture<Void> server =
        CompletableFuture.runAsync(
            () -> {
              try (PeerLink link = serverLink()) {
                dir.set(link.aeronDirectoryName());
                Side side = new Side(link, true);
                serverSide.set(side);
                side.network.boundary(
                    new BoundaryTap() {
                      @Override
                      public void inbound(NodeId from, NodeId to, Object message) {
                        inbound.add(from + ">" + to + ":" + message);
                      }

                      @Override
                      public void outbound(NodeId from, NodeId to, Object message) {
                        outbound.add(from + ">" + to + ":" + message);
                      }
                    });
                serverReady.complete(null);
                // the client node is placed in the other process: what it sends here is dropped
                side.network.send(side.client.id(), side.server.id(), "ping-local");
                side.network.run(clientDone::isDone, System.nanoTime() + 30 * SECONDS);
              }
            });
    serverReady.get(30, TimeUnit.SECONDS);
    try (PeerLink link = clientLink(dir.get())) {
      Side side = new Side(link, false);
      link.awaitConnected(10 * SECONDS);
      for (int i = 0; i < 100; i++) {
        side.network.send(side.client.id(), side.server.id(), "ping-" + i);
      }
      boolean answered =
          side.network.run(
              () -> side.client.received.size() == 100, System.nanoTime() + 30 * SECONDS);
      clientDone.complete(null);
      assertThat(answered).as("all answers arrived").isTrue();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        expected.add("server:pong-" + i);
      }
      assertThat(side.client.received).containsExactlyElementsOf(expected);
      assertThat(side.server.received).as("the server is not placed on this side").isEmpty();
      assertThat(link.errors()).isEmpty();
    }
    server.get(30, TimeUnit.SECONDS);
    Side side = serverSide.get();
    assertThat(side.server.received).hasSize(100).doesNotContain("client:ping-local");
    assertThat(side.network.droppedFromElsewhere()).isEqualTo(1);
    assertThat(side.network.boundaryIn()).isEqualTo(100);
    assertThat(side.network.boundaryOut()).isEqualTo(100);
    assertThat(inbound).first().isEqualTo("client>server:ping-0");
    assertThat(outbound).last().isEqualTo("server>client:pong-99");
  }

  @Test
  void aMessageForANodeNotPlacedHereIsReportedNotDelivered() throws Exception {
    AtomicReference<String> dir = new AtomicReference<>();
    AtomicReference<List<String>> errors = new AtomicReference<>();
    AtomicReference<Side> serverSide = new AtomicReference<>();
    CompletableFuture<Void> serverReady = new CompletableFuture<>();
    CompletableFuture<Void> sent = new CompletableFuture<>();
    CompletableFuture<Void> server =
        CompletableFuture.runAsync(
            () -> {
              try (PeerLink link = serverLink()) {
                dir.set(link.aeronDirectoryName());
                Side side = new Side(link, true);
                serverSide.set(side);
                serverReady.complete(null);
                side.network.run(
                    () -> sent.isDone() && link.errorCount() > 0, System.nanoTime() + 30 * SECONDS);
                errors.set(link.errors());
              }
            });
    serverReady.get(30, TimeUnit.SECONDS);
    try (PeerLink link = clientLink(dir.get())) {
      Side side = new Side(link, false);
      link.awaitConnected(10 * SECONDS);
      // a message addressed to the client node, which the server side does not host
      link.send(new Envelope(side.server.id(), side.client.id(), "ping-astray"));
      sent.complete(null);
      server.get(30, TimeUnit.SECONDS);
    }
    assertThat(errors.get())
        .singleElement()
        .asString()
        .contains("a message for client, which is not placed here, came from server");
    assertThat(serverSide.get().client.received).isEmpty();
    assertThat(serverSide.get().network.boundaryIn()).isZero();
  }

  @Test
  void messagesThatArriveBeforeTheirNodeIsBuiltAreDeliveredOnceItIs() throws Exception {
    AtomicReference<String> dir = new AtomicReference<>();
    AtomicReference<Echo> lateServer = new AtomicReference<>();
    AtomicReference<List<String>> errors = new AtomicReference<>();
    CompletableFuture<Void> serverReady = new CompletableFuture<>();
    CompletableFuture<Integer> pinged = new CompletableFuture<>();
    CompletableFuture<Void> clientDone = new CompletableFuture<>();
    CompletableFuture<Void> server =
        CompletableFuture.runAsync(
            () -> {
              try (PeerLink link = serverLink()) {
                dir.set(link.aeronDirectoryName());
                Network network = new Network(7);
                network.distribute(link, node -> node.id().name().equals("server"));
                serverReady.complete(null);
                // a slow start: the pings arrive before any node is built here
                long deadline = System.nanoTime() + 20 * SECONDS;
                while (network.earlyMessages() < 3 && System.nanoTime() < deadline) {
                  network.run(() -> true, System.nanoTime() + SECONDS / 100);
                }
                pinged.complete(network.earlyMessages());
                lateServer.set(network.join("server", id -> new Echo(id, network)));
                network.join("client", id -> new Echo(id, network));
                network.run(clientDone::isDone, System.nanoTime() + 30 * SECONDS);
                errors.set(link.errors());
              }
            });
    serverReady.get(30, TimeUnit.SECONDS);
    try (PeerLink link = clientLink(dir.get())) {
      Side side = new Side(link, false);
      link.awaitConnected(10 * SECONDS);
      for (int i = 0; i < 3; i++) {
        side.network.send(side.client.id(), side.server.id(), "ping-" + i);
      }
      boolean answered =
          side.network.run(
              () -> side.client.received.size() == 3, System.nanoTime() + 30 * SECONDS);
      clientDone.complete(null);
      assertThat(pinged.get(30, TimeUnit.SECONDS))
          .as("the pings arrived before the nodes were built")
          .isEqualTo(3);
      assertThat(answered).as("every early ping was answered").isTrue();
      assertThat(side.client.received)
          .containsExactly("server:pong-0", "server:pong-1", "server:pong-2");
    }
    server.get(30, TimeUnit.SECONDS);
    assertThat(lateServer.get().received)
        .containsExactly("client:ping-0", "client:ping-1", "client:ping-2");
    assertThat(errors.get()).isEmpty();
  }
}
