package io.compartment.demo.multipaxos;

import io.compartment.api.State;
import java.util.HashMap;
import java.util.Map;

/** The replicated state machine: a small key-value store. */
public final class KvStateMachine {

  @State private final Map<String, String> store = new HashMap<>();

  /**
   * Executes {@code command} and returns its result: the previous value for a put, the value for a
   * get.
   */
  public String apply(Command command) {
    return applyTo(store, command);
  }

  /**
   * Executes {@code command} against {@code store}; the same semantics for any copy of the state.
   */
  public static String applyTo(Map<String, String> store, Command command) {
    switch (command.op()) {
      case PUT:
        return store.put(command.key(), command.value());
      case GET:
        return store.get(command.key());
      case NOOP:
        return null;
      default:
        throw new IllegalArgumentException("unknown op " + command.op());
    }
  }

  public int size() {
    return store.size();
  }
}
