package io.compartment.scenarios.adversarial;

import java.util.List;

/** Messages of the adversarial scenarios. */
final class Msgs {
  private Msgs() {}

  record Incr(String key, int by) {}

  record Vote(int ballot, String voter) {}

  record Read(long slot) {}

  record Range(long from, long to) {}

  record Put(long slot, String value) {}

  record Item(String value) {}

  record SetSlot(int index, long value) {}

  record Begin(String client) {}

  record Started(String client, long txn) {}

  record Bump(int idx, long by) {}

  record Row(String tenant, long id, String value) {}

  record RowKey(String tenant, long id) {}

  enum Phase {
    PREPARE,
    ACCEPT,
    COMMIT
  }

  record Tick(Phase phase) {}

  record Lookup(String name) {}

  record Entry(String owner, long version) {}

  record Query(String prefix) {}

  record Decay(int shift) {}

  record Withdraw(String account, long amount) {}

  record Hop(String key, int ttl) {}

  record Batch(List<String> keys) {}
}
