package io.compartment.transport.aeron;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.compartment.transport.codec.CodecException;
import io.compartment.transport.codec.MessageCodec;
import io.compartment.transport.codec.TypeRegistry;
import java.util.function.Supplier;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.IdleStrategy;

/**
 * Polls one Aeron subscription and hands whole messages to a handler: either raw, as {@code
 * (DirectBuffer, offset, length, Header)} through a {@link FragmentHandler}, or decoded through a
 * {@link MessageHandler}. Fragmented messages are reassembled.
 *
 * <p>It is an Agrona {@link Agent}: run it on its own thread with {@link
 * EmbeddedTransport#start(Agent)}, or compose it into another agent's duty cycle, or call {@link
 * #poll()} from a thread of your own. Not thread-safe: poll from one thread at a time. A handler
 * that throws, or bytes that do not decode, are reported to the error handler and polling goes on.
 */
public final class MessageSubscriber implements Agent, AutoCloseable {
  /** Default number of fragments handled per {@link #poll()}: {@value}. */
  public static final int DEFAULT_FRAGMENT_LIMIT = 64;

  private final Subscription subscription;
  private final MessageChannel channel;
  private final FragmentAssembler assembler;
  private final Supplier<IdleStrategy> idleStrategy;
  private final int fragmentLimit;
  private final String roleName;

  MessageSubscriber(
      final Subscription subscription,
      final MessageChannel channel,
      final FragmentHandler handler,
      final ErrorHandler errorHandler,
      final Supplier<IdleStrategy> idleStrategy,
      final int fragmentLimit) {
    if (fragmentLimit < 1) {
      throw new IllegalArgumentException("fragmentLimit must be >= 1: " + fragmentLimit);
    }
    this.subscription = subscription;
    this.channel = channel;
    this.idleStrategy = idleStrategy;
    this.fragmentLimit = fragmentLimit;
    this.roleName = "compartment-poller-" + channel.streamId();
    final FragmentHandler guarded =
        (buffer, offset, length, header) -> {
          try {
            handler.onFragment(buffer, offset, length, header);
          } catch (RuntimeException e) {
            errorHandler.onError(e);
          }
        };
    this.assembler = new FragmentAssembler(guarded);
  }

  /**
   * Adapts a {@link MessageHandler} to a {@link FragmentHandler} that decodes with {@code
   * registry}. Decoding failures go to {@code errorHandler} as {@link CodecException}s naming the
   * channel.
   *
   * @param registry the classes allowed on the wire.
   * @param handler receives decoded messages.
   * @param errorHandler receives decoding failures.
   * @return the fragment handler; not thread-safe (it owns a codec).
   */
  public static FragmentHandler decoding(
      final TypeRegistry registry, final MessageHandler handler, final ErrorHandler errorHandler) {
    final MessageCodec codec = new MessageCodec(registry);
    return (buffer, offset, length, header) -> {
      final Object message;
      try {
        message = codec.decode(buffer, offset, length);
      } catch (CodecException e) {
        errorHandler.onError(
            new CodecException(
                "dropped undecodable message of "
                    + length
                    + " bytes on stream "
                    + header.streamId()
                    + " session "
                    + header.sessionId()
                    + ": "
                    + e.getMessage(),
                -1,
                e));
        return;
      }
      handler.onMessage(message, header);
    };
  }

  /**
   * Polls once.
   *
   * @return the number of fragments handled (0 when idle).
   */
  public int poll() {
    return subscription.poll(assembler, fragmentLimit);
  }

  @Override
  public int doWork() {
    return subscription.poll(assembler, fragmentLimit);
  }

  @Override
  public void onClose() {
    subscription.close();
  }

  @Override
  public String roleName() {
    return roleName;
  }

  /**
   * @return whether at least one publisher's image is connected.
   */
  public boolean isConnected() {
    return subscription.isConnected();
  }

  /**
   * @return the number of connected publisher images.
   */
  public int imageCount() {
    return subscription.imageCount();
  }

  /**
   * Waits until at least one publisher is connected.
   *
   * @param timeoutNs how long to wait, in nanoseconds.
   * @return this.
   * @throws TransportException with reason {@code TIMEOUT} if none connected in time.
   */
  public MessageSubscriber awaitConnected(final long timeoutNs) {
    final IdleStrategy idle = idleStrategy.get();
    final long deadline = System.nanoTime() + timeoutNs;
    while (!subscription.isConnected()) {
      if (subscription.isClosed()) {
        throw new TransportException(
            TransportException.Reason.CLOSED, "subscription on " + channel + " is closed");
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new TransportException(
            TransportException.Reason.TIMEOUT,
            "no publisher connected to " + channel + " within " + timeoutNs / 1_000_000 + " ms");
      }
      idle.idle();
    }
    return this;
  }

  /**
   * For a UDP subscription on port 0: waits until the OS has bound a port and returns the channel
   * publishers should use. For other channels returns {@link #channel()} at once.
   *
   * @param timeoutNs how long to wait, in nanoseconds.
   * @return the channel with the bound endpoint.
   * @throws TransportException with reason {@code TIMEOUT} if the endpoint did not resolve.
   */
  public MessageChannel awaitResolvedChannel(final long timeoutNs) {
    if (channel.isIpc()) {
      return channel;
    }
    final IdleStrategy idle = idleStrategy.get();
    final long deadline = System.nanoTime() + timeoutNs;
    while (true) {
      final String endpoint = subscription.resolvedEndpoint();
      if (endpoint != null) {
        final String uri = subscription.tryResolveChannelEndpointPort();
        return MessageChannel.of(
            uri != null ? uri : "aeron:udp?endpoint=" + endpoint, channel.streamId());
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new TransportException(
            TransportException.Reason.TIMEOUT,
            "endpoint of " + channel + " not resolved within " + timeoutNs / 1_000_000 + " ms");
      }
      idle.idle();
    }
  }

  /**
   * @return the channel and stream as subscribed (a UDP port may still be 0).
   */
  public MessageChannel channel() {
    return channel;
  }

  /**
   * @return the underlying Aeron subscription.
   */
  public Subscription subscription() {
    return subscription;
  }

  /** Closes the subscription. Idempotent. */
  @Override
  public void close() {
    subscription.close();
  }
}
