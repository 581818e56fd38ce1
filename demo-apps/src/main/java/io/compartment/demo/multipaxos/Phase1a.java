package io.compartment.demo.multipaxos;

import io.compartment.demo.net.NodeId;

/** Prepare: a would-be leader asks acceptors to promise {@code ballot} and report their log. */
public record Phase1a(long ballot, NodeId leader, long firstSlot) {}
