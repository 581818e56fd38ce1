package io.compartment.demo.multipaxos;

import io.compartment.demo.net.NodeId;

/**
 * A state-machine command, as proposed for a slot. {@code commandId} is chosen by the client and
 * increases with every command it sends.
 */
public record Command(NodeId client, long commandId, Op op, String key, String value) {

  /** What a command does to the replicated key-value store. */
  public enum Op {
    PUT,
    GET,
    NOOP
  }

  private static final Command NOOP = new Command(null, -1, Op.NOOP, null, null);

  /** The filler a new leader proposes for a slot nobody accepted anything in. */
  public static Command noop() {
    return NOOP;
  }

  public static Command put(NodeId client, long commandId, String key, String value) {
    return new Command(client, commandId, Op.PUT, key, value);
  }

  public static Command get(NodeId client, long commandId, String key) {
    return new Command(client, commandId, Op.GET, key, null);
  }

  public boolean isNoop() {
    return op == Op.NOOP;
  }
}
