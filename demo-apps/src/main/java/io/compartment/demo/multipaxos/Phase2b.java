package io.compartment.demo.multipaxos;

import io.compartment.demo.net.NodeId;

/** Accepted: an acceptor accepted {@code command} for {@code slot} in {@code ballot}. */
public final class Phase2b {

  private final long ballot;
  private final long slot;
  private final NodeId acceptor;
  private final Command command;

  public Phase2b(long ballot, long slot, NodeId acceptor, Command command) {
    this.ballot = ballot;
    this.slot = slot;
    this.acceptor = acceptor;
    this.command = command;
  }

  public long getBallot() {
    return ballot;
  }

  public long getSlot() {
    return slot;
  }

  public NodeId getAcceptor() {
    return acceptor;
  }

  public Command getCommand() {
    return command;
  }

  @Override
  public String toString() {
    return "Phase2b[ballot=" + ballot + " slot=" + slot + " " + acceptor + " " + command + "]";
  }
}
