package io.compartment.demo.multipaxos;

import io.compartment.demo.net.NodeId;
import java.util.List;

/** Promise: the acceptor joins {@code ballot} and reports what it has accepted so far. */
public record Phase1b(long ballot, NodeId acceptor, List<LogEntry> accepted) {

  public Phase1b {
    accepted = List.copyOf(accepted);
  }
}
