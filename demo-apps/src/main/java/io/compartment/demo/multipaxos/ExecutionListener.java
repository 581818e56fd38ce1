package io.compartment.demo.multipaxos;

import io.compartment.demo.net.NodeId;

/** Told about every slot a replica executes, in the order it executes them. */
@FunctionalInterface
public interface ExecutionListener {

  ExecutionListener NONE = (replica, slot, command, result, applied) -> {};

  /**
   * @param applied false when the slot was a no-op or a duplicate of a command already executed
   */
  void executed(NodeId replica, long slot, Command command, String result, boolean applied);
}
