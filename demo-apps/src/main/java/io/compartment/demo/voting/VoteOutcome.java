package io.compartment.demo.voting;

/** The decision on a request, with the tally it was based on. */
public record VoteOutcome(long requestId, boolean approved, int approvals, int rejections) {}
