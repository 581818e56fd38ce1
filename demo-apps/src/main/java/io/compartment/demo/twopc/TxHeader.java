package io.compartment.demo.twopc;

import io.compartment.demo.net.NodeId;

/** Identifies a transaction: the id its client chose, and the client to answer. */
public record TxHeader(long txId, NodeId client) {}
