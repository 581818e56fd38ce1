package io.compartment.demo.multipaxos;

/** The result of a client's command, sent once by the replica responsible for its slot. */
public record ClientReply(long commandId, long slot, String result) {}
