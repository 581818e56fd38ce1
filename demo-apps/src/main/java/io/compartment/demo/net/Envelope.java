package io.compartment.demo.net;

/** A message together with its sender and destination, as put into an outbox. */
public record Envelope(NodeId from, NodeId to, Object message) {}
