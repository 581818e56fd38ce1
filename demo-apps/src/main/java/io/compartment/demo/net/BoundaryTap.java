package io.compartment.demo.net;

/**
 * Observes the messages that cross between this process and its peer process. End-to-end checkers
 * use it to see a remote client's requests and answers at the service's edge.
 */
public interface BoundaryTap {

  /** A message from a node in the peer process arrived for {@code to}; before it is delivered. */
  void inbound(NodeId from, NodeId to, Object message);

  /** A node here sent {@code message} to a node in the peer process. */
  void outbound(NodeId from, NodeId to, Object message);
}
