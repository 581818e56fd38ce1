package io.compartment.demo.twopc;

import io.compartment.demo.net.NodeId;

/** A participant confirms it applied the decision ({@code committed} says which). */
public record DecisionAck(TxHeader header, NodeId participant, boolean committed) {}
