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

  /** A tap made of one observer per direction. */
  static BoundaryTap of(DeliveryTap inbound, DeliveryTap outbound) {
    return new BoundaryTap() {
      @Override
      public void inbound(NodeId from, NodeId to, Object message) {
        inbound.delivered(from, to, message);
      }

      @Override
      public void outbound(NodeId from, NodeId to, Object message) {
        outbound.delivered(from, to, message);
      }
    };
  }
}
