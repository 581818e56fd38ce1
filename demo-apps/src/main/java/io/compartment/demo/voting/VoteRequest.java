package io.compartment.demo.voting;

import io.compartment.demo.net.NodeId;

/** A client asks the council to vote on {@code motion}; answered with a {@link VoteOutcome}. */
public record VoteRequest(long requestId, NodeId client, String motion) {}
