package io.compartment.demo.multipaxos;

/** What an acceptor accepted in one slot, and in which ballot. */
public record LogEntry(long slot, long ballot, Command command) {}
