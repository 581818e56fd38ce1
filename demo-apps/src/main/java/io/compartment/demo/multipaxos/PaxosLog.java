package io.compartment.demo.multipaxos;

import io.compartment.api.State;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An acceptor's log: for each slot, the command it last accepted and the ballot it did so in. */
public final class PaxosLog {

  @State private final Map<Long, LogEntry> entries = new HashMap<>();

  /** Records that {@code command} was accepted for {@code slot} in {@code ballot}. */
  public void accept(long slot, long ballot, Command command) {
    LogEntry current = entries.get(slot);
    if (current != null && current.ballot() > ballot) {
      throw new IllegalStateException(
          "slot " + slot + " already accepted in ballot " + current.ballot() + " > " + ballot);
    }
    entries.put(slot, new LogEntry(slot, ballot, command));
  }

  /** The accepted entries from {@code firstSlot} on, in slot order. */
  public List<LogEntry> entriesFrom(long firstSlot) {
    List<LogEntry> found = new ArrayList<>();
    for (LogEntry entry : entries.values()) {
      if (entry.slot() >= firstSlot) {
        found.add(entry);
      }
    }
    found.sort(Comparator.comparingLong(LogEntry::slot));
    return found;
  }

  public LogEntry entry(long slot) {
    return entries.get(slot);
  }
}
