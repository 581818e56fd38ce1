package io.compartment.demo.net;

/**
 * Something that can receive messages from a {@link Network}. Implementations dispatch on the
 * message type to their handler methods; the network calls this from its event loop only, never
 * from inside another node's handler.
 */
public interface Node {

  NodeId id();

  void onMessage(NodeId from, Object message);
}
