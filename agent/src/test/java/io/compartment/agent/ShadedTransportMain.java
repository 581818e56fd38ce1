package io.compartment.agent;

import io.compartment.transport.aeron.EmbeddedTransport;
import io.compartment.transport.aeron.MessageChannel;
import io.compartment.transport.aeron.MessageHandler;
import io.compartment.transport.aeron.MessagePublisher;
import io.compartment.transport.aeron.MessageSubscriber;
import io.compartment.transport.aeron.TransportContext;
import io.compartment.transport.codec.TypeRegistry;
import io.compartment.transport.state.PartitionStore;
import io.compartment.transport.state.StateBatch;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Uses the transport through the agent jar's classes only, in a child JVM started by {@link
 * ShadedTransportIT} with the agent jar and the test classes on its class path and no module flags.
 * It names no type of a relocated library: {@link MessageHandler#onMessage} takes an Aeron {@code
 * Header}, so the handler is a {@link Proxy}, and only the transport's own types and JDK types
 * appear in the calls below.
 */
final class ShadedTransportMain {
  private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(30);

  private ShadedTransportMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    System.out.println("transport from " + location(EmbeddedTransport.class));
    System.out.println(
        "relocated agrona " + loadable("io.compartment.agent.shaded.org.agrona.DirectBuffer"));
    System.out.println("top-level agrona " + loadable("org.agrona.DirectBuffer"));
    aeronIpcRoundTrip(dir.resolve("aeron"));
    partitionStoreReopen(dir.resolve("state"));
    System.out.println("SHADED TRANSPORT OK");
  }

  private static void aeronIpcRoundTrip(Path aeronDir) {
    ConcurrentLinkedQueue<Object> received = new ConcurrentLinkedQueue<>();
    MessageHandler handler =
        (MessageHandler)
            Proxy.newProxyInstance(
                MessageHandler.class.getClassLoader(),
                new Class<?>[] {MessageHandler.class},
                (proxy, method, arguments) -> {
                  switch (method.getName()) {
                    case "onMessage":
                      received.add(arguments[0]);
                      return null;
                    case "hashCode":
                      return System.identityHashCode(proxy);
                    case "equals":
                      return proxy == arguments[0];
                    default:
                      return "handler";
                  }
                });
    TransportContext context =
        new TransportContext().aeronDirectoryName(aeronDir.toString()).termBufferLength(64 * 1024);
    try (EmbeddedTransport transport = EmbeddedTransport.launch(context)) {
      TypeRegistry registry = TypeRegistry.of();
      MessageSubscriber subscriber =
          transport.subscriber(MessageChannel.ipc(1001), registry, handler);
      MessagePublisher publisher = transport.publisher(MessageChannel.ipc(1001), registry);
      publisher.awaitConnected(WAIT_NS);
      publisher.send("over relocated aeron");
      long deadline = System.nanoTime() + WAIT_NS;
      while (received.isEmpty()) {
        if (subscriber.poll() == 0) Thread.yield();
        if (System.nanoTime() - deadline >= 0) throw new AssertionError("no message in 30 s");
      }
      System.out.println("aeron received " + received.peek());
    }
    System.out.println("aeron dir removed " + !aeronDir.toFile().exists());
  }

  private static void partitionStoreReopen(Path stateDir) {
    Path file = PartitionStore.path(stateDir, "smoke", 0);
    byte[] k1 = bytes("k1");
    byte[] k2 = bytes("k2");
    try (PartitionStore store =
        PartitionStore.open(
            file,
            new PartitionStore.Context().entries(1_000).averageKeySize(8).averageValueSize(16))) {
      store.put(k1, bytes("v1"));
      check(Arrays.equals(store.get(k1), bytes("v1")), "get after put");
      store.apply(7, new StateBatch().put(k2, bytes("v2")));
      store.sync();
      System.out.println("store opened " + store.openOutcome());
    }
    try (PartitionStore store = PartitionStore.open(file)) {
      check(Arrays.equals(store.get(k2), bytes("v2")), "batch entry after reopen");
      System.out.println(
          "store reopened "
              + store.openOutcome()
              + " lastAppliedSeq="
              + store.lastAppliedSeq()
              + " size="
              + store.size());
    }
  }

  private static String location(Class<?> type) {
    return type.getProtectionDomain().getCodeSource().getLocation().getPath();
  }

  private static boolean loadable(String name) {
    try {
      Class.forName(name, false, ShadedTransportMain.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void check(boolean condition, String what) {
    if (!condition) throw new AssertionError("failed: " + what);
  }
}
