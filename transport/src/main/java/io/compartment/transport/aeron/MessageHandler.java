package io.compartment.transport.aeron;

import io.aeron.logbuffer.Header;

/** Receives decoded messages from a {@link MessageSubscriber}, on its polling thread. */
@FunctionalInterface
public interface MessageHandler {
  /**
   * @param message the decoded message, may be {@code null}.
   * @param header Aeron header of the (last fragment of the) message.
   */
  void onMessage(Object message, Header header);
}
