package io.compartment.demo.twopc;

/** The answer to a client's {@link TxRequest}. */
public record TxOutcome(TxHeader header, boolean committed, String reason) {}
