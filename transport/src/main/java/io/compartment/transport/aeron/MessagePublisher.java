package io.compartment.transport.aeron;

import io.aeron.Publication;
import io.compartment.transport.codec.MessageCodec;
import io.compartment.transport.codec.TypeRegistry;
import java.util.function.Supplier;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.IdleStrategy;

/**
 * Offers messages to one Aeron publication, retrying on back pressure.
 *
 * <p>{@link #offer(DirectBuffer, int, int)} first tries once; if the publication is back pressured,
 * not connected or in an admin action it retries with a fresh idle strategy from the context until
 * the offer timeout passes, then throws a {@link TransportException} whose reason says whether no
 * subscriber was connected ({@code NOT_CONNECTED}) or subscribers did not keep up ({@code
 * BACK_PRESSURED}). Messages longer than the publication's maximum payload are fragmented by Aeron
 * and reassembled by {@link MessageSubscriber}.
 *
 * <p>Thread-safe: the underlying publication is concurrent, and {@link #send(Object)} encodes in a
 * per-thread buffer.
 */
public final class MessagePublisher implements AutoCloseable {
  private final Publication publication;
  private final MessageChannel channel;
  private final Supplier<IdleStrategy> idleStrategy;
  private final long offerTimeoutNs;
  private final TypeRegistry registry;
  private final int maxMessageLength;
  private final ThreadLocal<Encoder> encoders;

  private static final class Encoder {
    final MessageCodec codec;
    final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(256);

    Encoder(final TypeRegistry registry) {
      this.codec = new MessageCodec(registry);
    }
  }

  MessagePublisher(
      final Publication publication,
      final MessageChannel channel,
      final Supplier<IdleStrategy> idleStrategy,
      final long offerTimeoutNs,
      final TypeRegistry registry) {
    this.publication = publication;
    this.channel = channel;
    this.idleStrategy = idleStrategy;
    this.offerTimeoutNs = offerTimeoutNs;
    this.registry = registry;
    this.maxMessageLength = publication.maxMessageLength();
    this.encoders = registry == null ? null : ThreadLocal.withInitial(() -> new Encoder(registry));
  }

  /**
   * Offers a message, retrying up to the offer timeout.
   *
   * @param buffer holds the message.
   * @param offset index of its first byte.
   * @param length its length in bytes, at most {@link #maxMessageLength()}.
   * @return the new stream position.
   * @throws TransportException if the message is too long, the publication is closed, or it was not
   *     connected or back pressured for the whole offer timeout.
   */
  public long offer(final DirectBuffer buffer, final int offset, final int length) {
    if (length > maxMessageLength) {
      throw tooLarge(length);
    }
    final long position = publication.offer(buffer, offset, length);
    if (position > 0) {
      return position;
    }
    return offerSlowly(buffer, offset, length, position);
  }

  /**
   * Tries once, without retrying.
   *
   * @param buffer holds the message.
   * @param offset index of its first byte.
   * @param length its length in bytes.
   * @return the new position, or one of Aeron's negative {@code Publication} codes ({@code
   *     NOT_CONNECTED}, {@code BACK_PRESSURED}, {@code ADMIN_ACTION}, {@code CLOSED}, {@code
   *     MAX_POSITION_EXCEEDED}).
   */
  public long tryOffer(final DirectBuffer buffer, final int offset, final int length) {
    return publication.offer(buffer, offset, length);
  }

  /**
   * Encodes {@code message} with the registry this publisher was created with and offers it.
   *
   * @param message the message; its classes must be registered.
   * @return the new stream position.
   * @throws io.compartment.transport.codec.CodecException if the message cannot be encoded.
   * @throws TransportException as {@link #offer(DirectBuffer, int, int)}.
   * @throws IllegalStateException if the publisher was created without a registry.
   */
  public long send(final Object message) {
    if (encoders == null) {
      throw new IllegalStateException(
          "publisher on " + channel + " has no TypeRegistry: create it with one to send objects");
    }
    final Encoder encoder = encoders.get();
    final int length = encoder.codec.encode(message, encoder.buffer, 0);
    return offer(encoder.buffer, 0, length);
  }

  private TransportException tooLarge(final int length) {
    return new TransportException(
        TransportException.Reason.MESSAGE_TOO_LARGE,
        "message of "
            + length
            + " bytes exceeds the maximum of "
            + maxMessageLength
            + " bytes (term length / 8) on "
            + channel);
  }

  private long offerSlowly(
      final DirectBuffer buffer, final int offset, final int length, final long firstResult) {
    final IdleStrategy idle = idleStrategy.get();
    final long deadline = System.nanoTime() + offerTimeoutNs;
    long result = firstResult;
    while (true) {
      if (result > 0) {
        return result;
      }
      if (result == Publication.CLOSED) {
        throw new TransportException(
            TransportException.Reason.CLOSED, "publication on " + channel + " is closed");
      }
      if (result == Publication.MAX_POSITION_EXCEEDED) {
        throw new TransportException(
            TransportException.Reason.MAX_POSITION_EXCEEDED,
            "publication on " + channel + " reached its maximum position; create a new one");
      }
      if (System.nanoTime() - deadline >= 0) {
        final long ms = offerTimeoutNs / 1_000_000;
        if (result == Publication.NOT_CONNECTED) {
          throw new TransportException(
              TransportException.Reason.NOT_CONNECTED,
              "no subscriber connected to " + channel + " within " + ms + " ms");
        }
        throw new TransportException(
            TransportException.Reason.BACK_PRESSURED,
            "subscribers of "
                + channel
                + " did not consume within "
                + ms
                + " ms (last result "
                + Publication.errorString(result)
                + ")");
      }
      idle.idle();
      result = publication.offer(buffer, offset, length);
    }
  }

  /**
   * Waits until at least one subscriber is connected.
   *
   * @param timeoutNs how long to wait, in nanoseconds.
   * @return this.
   * @throws TransportException with reason {@code TIMEOUT} if none connected in time.
   */
  public MessagePublisher awaitConnected(final long timeoutNs) {
    final IdleStrategy idle = idleStrategy.get();
    final long deadline = System.nanoTime() + timeoutNs;
    while (!publication.isConnected()) {
      if (publication.isClosed()) {
        throw new TransportException(
            TransportException.Reason.CLOSED, "publication on " + channel + " is closed");
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new TransportException(
            TransportException.Reason.TIMEOUT,
            "no subscriber connected to " + channel + " within " + timeoutNs / 1_000_000 + " ms");
      }
      idle.idle();
    }
    return this;
  }

  /**
   * @return whether at least one subscriber is connected.
   */
  public boolean isConnected() {
    return publication.isConnected();
  }

  /**
   * @return the longest message this publisher accepts, in bytes (term length / 8).
   */
  public int maxMessageLength() {
    return publication.maxMessageLength();
  }

  /**
   * @return the channel and stream.
   */
  public MessageChannel channel() {
    return channel;
  }

  /**
   * @return the registry used by {@link #send(Object)}, or {@code null}.
   */
  public TypeRegistry registry() {
    return registry;
  }

  /**
   * @return the underlying Aeron publication.
   */
  public Publication publication() {
    return publication;
  }

  /** Closes the publication. Idempotent. */
  @Override
  public void close() {
    publication.close();
  }
}
