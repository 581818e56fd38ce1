package io.compartment.demo.voting;

import io.compartment.demo.net.NodeId;

/** One voter's vote on a request. */
public record Vote(long requestId, NodeId client, NodeId voter, boolean approve) {}
