package io.compartment.demo.multipaxos;

import io.compartment.demo.net.NodeId;

/** An acceptor refuses a message from an older ballot and tells the sender its current one. */
public record Nack(long ballot, NodeId acceptor) {}
