package io.compartment.demo.twopc;

import io.compartment.demo.net.NodeId;

/** Phase two: the transaction aborts; the participant drops what it staged. */
public record Abort(TxHeader header, NodeId coordinator, String reason) {}
