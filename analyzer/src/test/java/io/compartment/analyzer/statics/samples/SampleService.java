package io.compartment.analyzer.statics.samples;

import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** Bytecode for the static pass's tests: each handler shows one pattern. */
@ProtocolService
public class SampleService {
  public record Header(long txId, int epoch) {}

  public record Prepare(Header header, String vote) {}

  public record Put(String key, String value) {}

  /** A message with JavaBean getters. */
  public static final class Accept {
    private final long slot;
    private final long ballot;

    public Accept(long slot, long ballot) {
      this.slot = slot;
      this.ballot = ballot;
    }

    public long getSlot() {
      return slot;
    }

    public long getBallot() {
      return ballot;
    }
  }

  /** Behaviour chosen at run time: the static pass cannot know which. */
  public interface Strategy {
    void apply(Put m);
  }

  @State final Map<Long, String> log = new HashMap<>();
  @State final Map<Long, Set<String>> votes = new HashMap<>();
  @State final Map<String, String> data = new HashMap<>();
  @State long nextSlot;
  @State long ballot;
  @State int acks;
  @State final AtomicLong counter = new AtomicLong();
  @State final Set<String> voters = new HashSet<>();
  final List<String> peers = List.of("a", "b", "c");
  final Audit audit = new Audit();
  final Journal journal = new Journal();
  Strategy strategy = m -> {};

  @Handler
  public void onPrepare(Prepare p) {
    votes.computeIfAbsent(p.header().txId(), k -> new HashSet<>()).add(p.vote());
  }

  @Handler
  public void onAccept(Accept a) {
    store(a.getSlot(), "v");
  }

  private void store(long slot, String v) {
    log.put(slot, v);
  }

  @Handler
  public void onLambda(Prepare p) {
    votes.computeIfAbsent(
        p.header().txId(),
        k -> {
          log.remove(k);
          return new HashSet<>();
        });
  }

  @Handler
  public void onCapture(Put m) {
    later(() -> data.put(m.key(), m.value()));
  }

  private void later(Runnable r) {
    r.run();
  }

  @Handler
  public void onAlias(Put m) {
    String k = m.key();
    Map<String, String> d = data;
    d.put(k, m.value());
  }

  @Handler
  public long onAllocate(Put m) {
    long s = nextSlot++;
    log.put(s, m.value());
    return s;
  }

  @Handler
  public long onAtomic(Put m) {
    return counter.incrementAndGet();
  }

  @Handler
  public void onAck(Accept a) {
    if (ballot > a.getBallot()) {
      return;
    }
    acks++;
    if (acks >= peers.size()) {
      System.out.println("quorum");
    }
  }

  @Handler
  public long onBallotOut(Accept a) {
    return ballot;
  }

  @Handler
  public void onMax(Accept a) {
    ballot = Math.max(ballot, a.getBallot());
  }

  @Handler
  public void onEscape(Put m) {
    audit.record(data);
  }

  @Handler
  public void onNote(Accept a) {
    audit.note(ballot);
  }

  @Handler
  public void onWrongKey(Accept a) {
    log.put(a.getBallot(), "x");
  }

  @Handler
  public void onJournal(Accept a) {
    journal.append(a.getSlot(), "x");
  }

  @Handler
  public void onStrategy(Put m) {
    strategy.apply(m);
  }

  @Handler
  public void onBranch(Put m) {
    if (m.value() == null) {
      data.remove(m.key());
    } else {
      log.put(ballot, m.value());
    }
  }

  @Handler
  public void onVote(Put m) {
    voters.add(m.key());
    if (voters.size() >= peers.size() / 2 + 1) {
      System.out.println("decided");
    }
  }

  @Handler
  public void onPing(Put m) {
    System.out.println(m.key());
  }

  @Handler
  public void onRange(Accept a) {
    ((java.util.NavigableMap<Long, String>) new java.util.TreeMap<>(log))
        .headMap(a.getSlot())
        .clear();
    for (String v : log.values()) {
      System.out.println(v);
    }
  }
}
