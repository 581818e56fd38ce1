package io.compartment.demo.bench;

import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live benchmarks' target service: a store of numbered registers. Both handlers touch the
 * registers only at the key they are given, so the agent infers one PARTITION compartment routed by
 * {@code arg0}. Each answer names the process that computed it, so that a benchmark can tell the
 * host's answers from a worker's, and one worker's from its restarted successor's.
 *
 * <p>The map is concurrent because the benchmarks call it from several load threads at once while
 * it runs in the host.
 */
@ProtocolService
public class RegisterStore {
  @State private final Map<Long, Long> registers = new ConcurrentHashMap<>();

  /** Sets register {@code key} to {@code value}. */
  @Handler
  public Ack write(long key, long value) {
    Long previous = registers.put(key, value);
    return new Ack(previous == null ? -1 : previous, ProcessHandle.current().pid());
  }

  /** The value of register {@code key}, or -1 when it was never written. */
  @Handler
  public long read(long key) {
    Long value = registers.get(key);
    return value == null ? -1 : value;
  }

  /** What a write answers: the register's previous value (-1: none) and who applied the write. */
  public record Ack(long previous, long servedBy) {}
}
