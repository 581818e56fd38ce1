package io.compartment.scenarios.adversarial;

import io.compartment.api.Emit;
import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.scenarios.adversarial.Msgs.Begin;
import io.compartment.scenarios.adversarial.Msgs.Item;
import io.compartment.scenarios.adversarial.Msgs.Put;
import io.compartment.scenarios.adversarial.Msgs.Range;
import io.compartment.scenarios.adversarial.Msgs.Read;
import io.compartment.scenarios.adversarial.Msgs.SetSlot;
import io.compartment.scenarios.adversarial.Msgs.Started;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** TreeMap ranges, a deque, an indexed list, atomics handed out or not. */
@ProtocolService
class Collections1 {
  @State private final TreeMap<Long, String> log = new TreeMap<>();
  @State private final ArrayDeque<String> queue = new ArrayDeque<>();
  @State private final ArrayList<Long> slots = new ArrayList<>();
  @State private final AtomicLong nextTxn = new AtomicLong();
  @State private final AtomicLong hits = new AtomicLong();
  static long out;

  Collections1() {
    for (int i = 0; i < 64; i++) slots.add(0L);
  }

  @Handler
  void put(Put p) {
    log.put(p.slot(), p.value());
  }

  @Handler
  long floor(Read r) {
    Long k = log.floorKey(r.slot());
    return k == null ? -1 : k;
  }

  @Handler
  int range(Range r) {
    return log.subMap(r.from(), true, r.to(), false).size();
  }

  @Handler
  void enqueue(Item i) {
    queue.offer(i.value());
  }

  @Handler
  String dequeue(Item i) {
    String s = queue.poll();
    return s == null ? i.value() : s;
  }

  @Handler
  void setSlot(SetSlot s) {
    slots.set(s.index(), s.value());
  }

  @Handler
  void insertFront(SetSlot s) {
    slots.add(0, s.value());
    slots.remove(slots.size() - 1);
  }

  @Handler
  void begin(Begin b) {
    long id = nextTxn.incrementAndGet();
    send(new Started(b.client(), id));
  }

  @Handler
  void hit(Begin b) {
    hits.incrementAndGet();
  }

  @Emit
  void send(Object m) {
    out += m.hashCode();
  }

  long digest() {
    return log.hashCode() * 31L
        + queue.size()
        + slots.hashCode()
        + nextTxn.get()
        + hits.get()
        + out;
  }
}
