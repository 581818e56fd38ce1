package io.compartment.demo.multipaxos;

/** A client submits a command to the leader. */
public record ClientRequest(Command command) {}
