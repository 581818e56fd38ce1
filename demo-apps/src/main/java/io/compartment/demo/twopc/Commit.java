package io.compartment.demo.twopc;

import io.compartment.demo.net.NodeId;

/** Phase two: the transaction commits; the participant applies what it staged. */
public record Commit(TxHeader header, NodeId coordinator) {}
