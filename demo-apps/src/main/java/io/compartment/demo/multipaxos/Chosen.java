package io.compartment.demo.multipaxos;

/** A quorum of acceptors accepted {@code command} for {@code slot}: it is decided. */
public record Chosen(long slot, Command command) {}
