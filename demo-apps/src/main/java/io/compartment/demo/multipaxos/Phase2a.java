package io.compartment.demo.multipaxos;

import io.compartment.demo.net.NodeId;

/** Accept: the leader of {@code ballot} proposes {@code command} for {@code slot}. */
public record Phase2a(long ballot, long slot, Command command, NodeId leader) {}
