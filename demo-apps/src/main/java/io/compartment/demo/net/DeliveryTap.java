package io.compartment.demo.net;

/**
 * Observes every message the network delivers, just before the destination's handler runs. Used by
 * end-to-end checkers that need to see protocol-internal messages (votes, acks, Phase2b).
 */
@FunctionalInterface
public interface DeliveryTap {

  void delivered(NodeId from, NodeId to, Object message);
}
