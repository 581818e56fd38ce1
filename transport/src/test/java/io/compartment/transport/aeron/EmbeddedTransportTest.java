package io.compartment.transport.aeron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.ConfigurationException;
import io.compartment.transport.codec.CodecException;
import io.compartment.transport.codec.TypeRegistry;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmbeddedTransportTest {
  static final long WAIT_NS = TimeUnit.SECONDS.toNanos(30);

  record Msg(long seq, String text) {}

  private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
  private final List<EmbeddedTransport> transports = new ArrayList<>();

  static TransportContext testContext() {
    return new TransportContext()
        .termBufferLength(256 * 1024)
        .idleStrategy(TransportContext.idleStrategyFor("backoff"));
  }

  private EmbeddedTransport launch(final TransportContext context) {
    final EmbeddedTransport transport = EmbeddedTransport.launch(context.errorHandler(errors::add));
    transports.add(transport);
    return transport;
  }

  @AfterEach
  void closeAll() {
    transports.forEach(EmbeddedTransport::close);
  }

  /** Polls a condition with a deadline; the condition, not the time, synchronizes. */
  static void await(final String what, final BooleanSupplier condition) {
    final long deadline = System.nanoTime() + WAIT_NS;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline >= 0) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  @Test
  void ipcDeliversTenThousandDecodedMessagesInOrder() {
    final EmbeddedTransport transport = launch(testContext());
    final TypeRegistry registry = TypeRegistry.of(Msg.class);
    final int count = 10_000;
    final AtomicLong expected = new AtomicLong();
    final AtomicInteger outOfOrder = new AtomicInteger();
    final MessageSubscriber subscriber =
        transport.subscriber(
            MessageChannel.ipc(10),
            registry,
            (message, header) -> {
              final Msg msg = (Msg) message;
              if (msg.seq() != expected.get() || !msg.text().equals("m" + msg.seq())) {
                outOfOrder.incrementAndGet();
              }
              expected.incrementAndGet();
            });
    transport.start(subscriber);
    final MessagePublisher publisher =
        transport.publisher(MessageChannel.ipc(10), registry).awaitConnected(WAIT_NS);
    for (int i = 0; i < count; i++) {
      publisher.send(new Msg(i, "m" + i));
    }
    await("10 000 messages", () -> expected.get() >= count);
    assertThat(expected.get()).isEqualTo(count);
    assertThat(outOfOrder.get()).isZero();
    assertThat(errors).isEmpty();
  }

  @Test
  void largeMessagesAreFragmentedAndReassembled() {
    final EmbeddedTransport transport = launch(testContext());
    final ConcurrentLinkedQueue<byte[]> received = new ConcurrentLinkedQueue<>();
    final MessageSubscriber subscriber =
        transport.subscriber(
            MessageChannel.ipc(11),
            (buffer, offset, length, header) -> {
              final byte[] bytes = new byte[length];
              buffer.getBytes(offset, bytes);
              received.add(bytes);
            });
    final MessagePublisher publisher =
        transport.publisher(MessageChannel.ipc(11)).awaitConnected(WAIT_NS);
    final byte[] big = new byte[publisher.maxMessageLength()];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    publisher.offer(new UnsafeBuffer(big), 0, big.length);
    await("reassembled message", () -> subscriber.poll() >= 0 && !received.isEmpty());
    assertThat(received.poll()).isEqualTo(big);

    final byte[] tooBig = new byte[publisher.maxMessageLength() + 1];
    assertThatThrownBy(() -> publisher.offer(new UnsafeBuffer(tooBig), 0, tooBig.length))
        .isInstanceOf(TransportException.class)
        .satisfies(
            e ->
                assertThat(((TransportException) e).reason())
                    .isEqualTo(TransportException.Reason.MESSAGE_TOO_LARGE));
  }

  @ParameterizedTest
  @EnumSource(
      value = ThreadingMode.class,
      names = {"SHARED", "SHARED_NETWORK"})
  void udpLoopbackRoundTrip(final ThreadingMode mode) {
    final EmbeddedTransport transport = launch(testContext().threadingMode(mode));
    // echo: requests on an OS-chosen port come back on another OS-chosen port
    final ConcurrentLinkedQueue<Long> replies = new ConcurrentLinkedQueue<>();
    final MessageSubscriber replySubscriber =
        transport.subscriber(
            MessageChannel.udp("127.0.0.1", 0, 21),
            (buffer, offset, length, header) -> replies.add(buffer.getLong(offset)));
    final MessageChannel replyChannel = replySubscriber.awaitResolvedChannel(WAIT_NS);
    assertThat(replyChannel.uri()).doesNotContain(":0").contains("127.0.0.1:");
    final MessagePublisher replyPublisher = transport.publisher(replyChannel);
    final MessageSubscriber requestSubscriber =
        transport.subscriber(
            MessageChannel.udp("127.0.0.1", 0, 20),
            (buffer, offset, length, header) -> replyPublisher.offer(buffer, offset, length));
    final MessagePublisher requestPublisher =
        transport.publisher(requestSubscriber.awaitResolvedChannel(WAIT_NS));
    transport.start(requestSubscriber);
    requestPublisher.awaitConnected(WAIT_NS);
    replyPublisher.awaitConnected(WAIT_NS);

    final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
    final int roundTrips = 500;
    for (long i = 0; i < roundTrips; i++) {
      message.putLong(0, i);
      requestPublisher.offer(message, 0, 64);
      await("reply " + i, () -> replySubscriber.poll() >= 0 && !replies.isEmpty());
      assertThat(replies.poll()).isEqualTo(i);
    }
    assertThat(replies).isEmpty();
    assertThat(errors).isEmpty();
  }

  @Test
  void undecodableBytesGoToTheErrorHandlerAndPollingGoesOn() {
    final EmbeddedTransport transport = launch(testContext());
    final TypeRegistry registry = TypeRegistry.of(Msg.class);
    final ConcurrentLinkedQueue<Object> received = new ConcurrentLinkedQueue<>();
    final MessageSubscriber subscriber =
        transport.subscriber(MessageChannel.ipc(12), registry, (m, h) -> received.add(m));
    final MessagePublisher publisher =
        transport.publisher(MessageChannel.ipc(12), registry).awaitConnected(WAIT_NS);
    publisher.offer(new UnsafeBuffer(new byte[] {99, 1, 2}), 0, 3);
    publisher.send(new Msg(1, "after garbage"));
    await("valid message", () -> subscriber.poll() >= 0 && !received.isEmpty());
    assertThat(received).containsExactly(new Msg(1, "after garbage"));
    assertThat(errors).hasSize(1);
    assertThat(errors.peek()).isInstanceOf(CodecException.class).hasMessageContaining("stream 12");
    assertThatThrownBy(() -> publisher.send(Thread.currentThread()))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("java.lang.Thread");
  }

  @Test
  void aThrowingHandlerIsReportedAndTheAgentKeepsPolling() {
    final EmbeddedTransport transport = launch(testContext());
    final AtomicInteger calls = new AtomicInteger();
    final MessageSubscriber subscriber =
        transport.subscriber(
            MessageChannel.ipc(17),
            (b, o, l, h) -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("handler bug");
              }
            });
    transport.start(subscriber);
    final MessagePublisher publisher =
        transport.publisher(MessageChannel.ipc(17)).awaitConnected(WAIT_NS);
    publisher.offer(new UnsafeBuffer(new byte[4]), 0, 4);
    publisher.offer(new UnsafeBuffer(new byte[4]), 0, 4);
    await("second message", () -> calls.get() == 2);
    assertThat(errors).hasSize(1);
    assertThat(errors.peek()).hasMessage("handler bug");
  }

  @Test
  void offerWithoutSubscriberFailsAsNotConnected() {
    final EmbeddedTransport transport =
        launch(testContext().offerTimeoutNs(TimeUnit.MILLISECONDS.toNanos(200)));
    final MessagePublisher publisher = transport.publisher(MessageChannel.ipc(13));
    assertThatThrownBy(() -> publisher.offer(new UnsafeBuffer(new byte[8]), 0, 8))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("NOT_CONNECTED")
        .hasMessageContaining("stream 13");
  }

  @Test
  void offerToSlowSubscriberFailsAsBackPressured() {
    final EmbeddedTransport transport =
        launch(
            testContext()
                .termBufferLength(64 * 1024)
                .offerTimeoutNs(TimeUnit.MILLISECONDS.toNanos(200)));
    final MessageSubscriber neverPolled =
        transport.subscriber(MessageChannel.ipc(14), (b, o, l, h) -> {});
    final MessagePublisher publisher =
        transport.publisher(MessageChannel.ipc(14)).awaitConnected(WAIT_NS);
    await("subscriber image", neverPolled::isConnected);
    final UnsafeBuffer message = new UnsafeBuffer(new byte[1024]);
    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 10_000; i++) {
                publisher.offer(message, 0, 1024);
              }
            })
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("BACK_PRESSURED")
        .satisfies(
            e ->
                assertThat(((TransportException) e).reason())
                    .isEqualTo(TransportException.Reason.BACK_PRESSURED));
  }

  @Test
  void closeRemovesTheDriverDirectory() {
    final EmbeddedTransport transport = EmbeddedTransport.launch(testContext());
    final File dir = new File(transport.aeronDirectoryName());
    assertThat(transport.ownsDriver()).isTrue();
    assertThat(dir).isDirectory();
    assertThat(transport.context().generatedDirectory()).isTrue();
    final MessageSubscriber subscriber =
        transport.subscriber(MessageChannel.ipc(15), (b, o, l, h) -> {});
    transport.start(subscriber);
    transport.publisher(MessageChannel.ipc(15)).awaitConnected(WAIT_NS);
    transport.close();
    assertThat(dir).doesNotExist();
    transport.close(); // idempotent
    assertThatThrownBy(() -> transport.publisher(MessageChannel.ipc(1)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void concludeNamesEveryProblem() {
    assertThatThrownBy(
            () ->
                new TransportContext()
                    .termBufferLength(100_000)
                    .offerTimeoutNs(0)
                    .embeddedDriver(false)
                    .aeronDirectoryName(null)
                    .conclude())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("power of two")
        .hasMessageContaining("offer timeout")
        .hasMessageContaining("embeddedDriver=false");
    assertThatThrownBy(
            () ->
                new TransportContext()
                    .embeddedDriver(false)
                    .aeronDirectoryName("/nonexistent/aeron")
                    .conclude())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no media driver at /nonexistent/aeron");
    assertThatThrownBy(() -> TransportContext.idleStrategyFor("spinny"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("backoff, yielding, busy or sleeping");
    final TransportContext context = new TransportContext().conclude();
    assertThat(context.aeronDirectoryName()).contains("compartment-aeron-");
    assertThat(context.termBufferLength()).isEqualTo(TransportContext.DEFAULT_TERM_LENGTH);
    assertThatThrownBy(() -> context.termBufferLength(1 << 20))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void defaultsComeFromSystemProperties() {
    final String[] keys = {
      TransportContext.TERM_LENGTH_PROP,
      TransportContext.THREADING_PROP,
      TransportContext.OFFER_TIMEOUT_PROP,
      TransportContext.IDLE_PROP
    };
    final String[] values = {"131072", "shared_network", "250", "yielding"};
    try {
      for (int i = 0; i < keys.length; i++) {
        System.setProperty(keys[i], values[i]);
      }
      final TransportContext context = new TransportContext().conclude();
      assertThat(context.termBufferLength()).isEqualTo(131072);
      assertThat(context.threadingMode()).isEqualTo(ThreadingMode.SHARED_NETWORK);
      assertThat(context.offerTimeoutNs()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
      assertThat(context.idleStrategy().get())
          .isInstanceOf(org.agrona.concurrent.YieldingIdleStrategy.class);
      System.setProperty(TransportContext.TERM_LENGTH_PROP, "lots");
      assertThatThrownBy(() -> new TransportContext().conclude())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining(TransportContext.TERM_LENGTH_PROP + "='lots'");
    } finally {
      for (final String key : keys) {
        System.clearProperty(key);
      }
    }
  }

  @Test
  void secondClientSharesTheDriverOverIpc() {
    final EmbeddedTransport owner = launch(testContext());
    final EmbeddedTransport client =
        launch(testContext().embeddedDriver(false).aeronDirectoryName(owner.aeronDirectoryName()));
    assertThat(client.ownsDriver()).isFalse();
    final ConcurrentLinkedQueue<Long> received = new ConcurrentLinkedQueue<>();
    final MessageSubscriber subscriber =
        owner.subscriber(MessageChannel.ipc(16), (b, o, l, h) -> received.add(b.getLong(o)));
    final MessagePublisher publisher =
        client.publisher(MessageChannel.ipc(16)).awaitConnected(WAIT_NS);
    final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
    message.putLong(0, 42);
    publisher.offer(message, 0, 8);
    await("message from second client", () -> subscriber.poll() >= 0 && !received.isEmpty());
    assertThat(received).containsExactly(42L);
    client.close();
    assertThat(new File(owner.aeronDirectoryName())).isDirectory();
    assertThatThrownBy(
            () -> testContext().aeronDirectoryName(owner.aeronDirectoryName()).conclude())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("already running");
  }
}
