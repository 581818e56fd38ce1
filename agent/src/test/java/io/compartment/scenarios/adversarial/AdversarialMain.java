package io.compartment.scenarios.adversarial;

import io.compartment.scenarios.adversarial.Msgs.Batch;
import io.compartment.scenarios.adversarial.Msgs.Begin;
import io.compartment.scenarios.adversarial.Msgs.Bump;
import io.compartment.scenarios.adversarial.Msgs.Decay;
import io.compartment.scenarios.adversarial.Msgs.Entry;
import io.compartment.scenarios.adversarial.Msgs.Hop;
import io.compartment.scenarios.adversarial.Msgs.Incr;
import io.compartment.scenarios.adversarial.Msgs.Item;
import io.compartment.scenarios.adversarial.Msgs.Lookup;
import io.compartment.scenarios.adversarial.Msgs.Phase;
import io.compartment.scenarios.adversarial.Msgs.Put;
import io.compartment.scenarios.adversarial.Msgs.Query;
import io.compartment.scenarios.adversarial.Msgs.Range;
import io.compartment.scenarios.adversarial.Msgs.Read;
import io.compartment.scenarios.adversarial.Msgs.Row;
import io.compartment.scenarios.adversarial.Msgs.SetSlot;
import io.compartment.scenarios.adversarial.Msgs.Tick;
import io.compartment.scenarios.adversarial.Msgs.Vote;
import io.compartment.scenarios.adversarial.Msgs.Withdraw;
import io.compartment.scenarios.adversarial.base.AbstractReplica.Accept;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives every adversarial scenario with a seeded workload and prints a checksum of everything the
 * services produced (return values, exceptions, final state), so that a run under the agent can be
 * compared with a run without it. Prints {@code ADVERSARIAL DONE} last.
 */
public final class AdversarialMain {
  private AdversarialMain() {}

  private static long sum;

  private static final boolean TRACE_OUT = Boolean.getBoolean("adversarial.trace");

  private static void out(Object o) {
    sum = sum * 1_000_003L + (o == null ? 7 : o.hashCode());
    if (TRACE_OUT) System.out.println("OUT " + o);
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    Random r = new Random(7);
    InheritingReplica replica = new InheritingReplica();
    GenericCounter generic = new GenericCounter();
    Voters voters = new Voters();
    Inventory inventory = new Inventory();
    Collections1 c1 = new Collections1();
    ArrayState arrays = new ArrayState();
    Keys keys = new Keys();
    Flow flow = new Flow();
    Flow peer = new Flow();
    Relay relay = new Relay(peer);
    Tricky tricky = new Tricky();
    Holders holders = new Holders();
    Leases leases = new Leases();
    Caches caches = new Caches();
    Copies copies = new Copies();
    long exceptions = 0;
    for (int i = 0; i < n; i++) {
      replica.onAccept(new Accept(i, "v" + r.nextInt(50)));
      generic.handle(new Incr("g" + r.nextInt(40), 1 + r.nextInt(3)));
      voters.onVote(new Vote(r.nextInt(30), "n" + r.nextInt(5)));
      inventory.restock(new Incr("item" + r.nextInt(60), 1 + r.nextInt(5)));
      if (i % 3 == 0) inventory.sellOut(new Incr("item" + r.nextInt(60), 0));
      c1.put(new Put(r.nextInt(1000), "p" + i));
      out(c1.floor(new Read(r.nextInt(1000))));
      int from = r.nextInt(900);
      out(c1.range(new Range(from, from + r.nextInt(100))));
      c1.enqueue(new Item("q" + i));
      if (i % 2 == 0) out(c1.dequeue(new Item("none")));
      c1.setSlot(new SetSlot(r.nextInt(64), r.nextInt(1000)));
      if (i % 10 == 0) c1.insertFront(new SetSlot(0, i));
      c1.begin(new Begin("c" + r.nextInt(20)));
      c1.hit(new Begin("c" + r.nextInt(20)));
      arrays.bump(new Bump(r.nextInt(16), 1 + r.nextInt(9)));
      if (i % 7 == 0) arrays.reset(new Bump(r.nextInt(16), 0));
      out(arrays.peek(new Bump(r.nextInt(16), 0)));
      keys.upsert(new Row("t" + r.nextInt(4), r.nextInt(8), "x" + i));
      keys.tick(new Tick(Phase.values()[r.nextInt(3)]));
      keys.register(new Entry("o" + r.nextInt(100), r.nextInt(10)));
      out(keys.resolve(new Lookup("o" + r.nextInt(120))));
      if (i % 5 == 0) out(keys.countPrefix(new Query("o" + r.nextInt(10))));
      if (i % 50 == 0) keys.decayAll(new Decay(1));
      if (i % 100 == 0) out(keys.snapshot(new Query("")).size());
      flow.deposit(new Incr("a" + r.nextInt(30), r.nextInt(10)));
      try {
        flow.withdraw(new Withdraw("a" + r.nextInt(30), r.nextInt(12)));
      } catch (IllegalStateException e) {
        exceptions++;
        out(e.getMessage());
      }
      flow.forward(new Hop("h" + r.nextInt(10), r.nextInt(4)));
      relay.pass(new Batch(List.of("a" + r.nextInt(30), "a" + r.nextInt(30))));
      if (i % 4 == 0) flow.batch(new Batch(List.of("a" + r.nextInt(30), "a" + r.nextInt(30))));
      flow.addAll("s" + r.nextInt(10), r.nextInt(5), r.nextInt(5), r.nextInt(5));
      out(flow.checksum(new byte[] {(byte) i, (byte) r.nextInt(), 3}, "s" + r.nextInt(10)));
      Tricky.OddMessage odd = new Tricky.OddMessage("k" + r.nextInt(20));
      holders.assign(new Begin("c" + r.nextInt(9)));
      out(holders.peekId(new Begin("c")));
      holders.append(new Put(r.nextInt(100), "h" + i));
      if (i % 5 == 0) holders.compact(new Item(""));
      holders.setCell(new Bump(r.nextInt(32), r.nextInt(100)));
      out(holders.readCell(new Bump(r.nextInt(32), 0)));
      leases.touch(new Incr("l" + r.nextInt(10), 4));
      if (i % 50 == 0) {
        // the executor must be done before the halving, or the result depends on timing
        leases.renewAsync(new Incr("l" + r.nextInt(10), 0));
        leases.logAsync(new Incr("x", 0));
        leases.expireLater(new Incr("", 0));
      }
      out(caches.lookup(new Incr("c" + r.nextInt(30), 0)));
      caches.count(new Incr("n" + r.nextInt(30), 0));
      try {
        caches.tryWrite(new Incr("w", 0));
      } catch (UnsupportedOperationException e) {
        out("read-only");
      }
      if (i % 10 == 0) {
        try {
          caches.takeBatch(new Incr("", 1 + r.nextInt(4)));
        } catch (IllegalStateException e) {
          out(e.getMessage());
        }
      }
      copies.record(new Incr("b" + r.nextInt(20), r.nextInt(5)));
      if (i % 20 == 0) {
        out(copies.copy(new Incr("", 0)));
        out(copies.copyValues(new Incr("", 0)).size());
        out(copies.describe(new Incr("", 0)).length());
        out(copies.status(new Incr("s", 0)).length());
        out(copies.statusBuilder(new Incr("s", 0)).length());
      }
      copies.load(new Bump(r.nextInt(12), r.nextInt(100)));
      copies.pair(new Incr("p" + r.nextInt(15), r.nextInt(9)));
      Registry.INSTANCE.join(new Incr("m" + r.nextInt(15), 0));
      if (i % 3 == 0) Registry.leave(new Incr("m" + r.nextInt(15), 0));
      tricky.onOdd(odd);
      out(odd.getReads());
      Tricky.Node a = new Tricky.Node("a" + r.nextInt(5));
      Tricky.Node b = new Tricky.Node("b" + r.nextInt(5));
      a.next = b;
      b.next = a;
      if (!Boolean.getBoolean("skipCycle")) tricky.onCycle(a);
    }
    out(replica.digest());
    out(replica.seen.size());
    out(generic.counts);
    out(generic.handled);
    out(voters.tally());
    out(inventory.digest());
    out(c1.digest());
    out(arrays.digest());
    out(keys.digest());
    out(flow.digest());
    out(peer.digest());
    out(exceptions);
    out(tricky.digest());
    out(holders.digest());
    out(leases.finish());
    out(caches.digest());
    out(copies.digest());
    out(Registry.INSTANCE.digest());
    out(Tricky.GETTER_CALLS.get());
    out(concurrent(n));
    System.out.println("EXCEPTIONS " + exceptions);
    System.out.println("CHECKSUM " + sum);
    System.out.println("ADVERSARIAL DONE");
  }

  /** Four threads on one service: no deadlock, no lost update. */
  private static long concurrent(int n) throws InterruptedException {
    Concurrent c = new Concurrent();
    int threads = 4;
    CountDownLatch start = new CountDownLatch(1);
    AtomicLong failures = new AtomicLong();
    Thread[] ts = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int id = t;
      ts[t] =
          new Thread(
              () -> {
                try {
                  start.await();
                  Random r = new Random(100 + id);
                  for (int i = 0; i < n; i++) {
                    c.incr(new Incr("k" + r.nextInt(50), 1));
                    c.journal(new Incr("j" + id, 2));
                  }
                } catch (Throwable e) {
                  failures.incrementAndGet();
                  e.printStackTrace();
                }
              });
      ts[t].start();
    }
    start.countDown();
    for (Thread t : ts) t.join(60_000);
    for (Thread t : ts) {
      if (t.isAlive()) throw new IllegalStateException("deadlock: " + t.getName() + " still runs");
    }
    if (failures.get() > 0) throw new IllegalStateException("failures " + failures.get());
    long d = c.digest();
    long expected = (long) threads * n * 31 + (long) threads * n * 2;
    if (d != expected) throw new IllegalStateException("lost updates: " + d + " != " + expected);
    return d;
  }
}
