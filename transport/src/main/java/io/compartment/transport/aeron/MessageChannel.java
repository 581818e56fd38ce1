package io.compartment.transport.aeron;

import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import java.util.Objects;

/**
 * An Aeron channel URI plus a stream id: where a {@link MessagePublisher} offers and a {@link
 * MessageSubscriber} polls. Immutable.
 */
public final class MessageChannel {
  private final String uri;
  private final int streamId;

  private MessageChannel(final String uri, final int streamId) {
    this.uri = Objects.requireNonNull(uri, "uri");
    this.streamId = streamId;
  }

  /**
   * @param uri an Aeron channel URI, for example {@code aeron:ipc} or {@code
   *     aeron:udp?endpoint=127.0.0.1:40123}.
   * @param streamId the stream id.
   * @return the channel.
   * @throws IllegalArgumentException if the URI does not parse.
   */
  public static MessageChannel of(final String uri, final int streamId) {
    ChannelUri.parse(uri);
    return new MessageChannel(uri, streamId);
  }

  /**
   * Shared-memory channel between clients of the same media driver (same process or same machine).
   *
   * @param streamId the stream id.
   * @return {@code aeron:ipc} with that stream.
   */
  public static MessageChannel ipc(final int streamId) {
    return new MessageChannel(CommonContext.IPC_CHANNEL, streamId);
  }

  /**
   * Unicast UDP channel.
   *
   * @param host the subscriber's address, for example {@code 127.0.0.1}.
   * @param port the subscriber's UDP port; {@code 0} on a subscription lets the OS pick one, see
   *     {@link MessageSubscriber#awaitResolvedChannel(long)}.
   * @param streamId the stream id.
   * @return {@code aeron:udp?endpoint=host:port} with that stream.
   */
  public static MessageChannel udp(final String host, final int port, final int streamId) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    return new MessageChannel("aeron:udp?endpoint=" + host + ":" + port, streamId);
  }

  /**
   * @return the channel URI.
   */
  public String uri() {
    return uri;
  }

  /**
   * @return the stream id.
   */
  public int streamId() {
    return streamId;
  }

  /**
   * @return whether this is an IPC channel.
   */
  public boolean isIpc() {
    return uri.startsWith(CommonContext.IPC_CHANNEL);
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof MessageChannel
        && ((MessageChannel) o).streamId == streamId
        && ((MessageChannel) o).uri.equals(uri);
  }

  @Override
  public int hashCode() {
    return uri.hashCode() * 31 + streamId;
  }

  @Override
  public String toString() {
    return uri + " stream " + streamId;
  }
}
