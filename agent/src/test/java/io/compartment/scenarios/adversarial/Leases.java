package io.compartment.scenarios.adversarial;

import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.scenarios.adversarial.Msgs.Incr;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Handlers that hand work on state to a timer or an executor: it runs after they return. */
@ProtocolService
class Leases {
  @State private final ConcurrentHashMap<String, Long> leases = new ConcurrentHashMap<>();
  private final Deferred timer = new Deferred();
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  @Handler
  void touch(Incr m) {
    leases.merge(m.key(), (long) m.by(), Long::sum);
  }

  /** Expires every lease later, from the timer: a write of the whole map. */
  @Handler
  void expireLater(Incr m) {
    timer.later(() -> leases.replaceAll((k, v) -> v / 2));
  }

  /** Adds to a lease on another thread. */
  @Handler
  void renewAsync(Incr m) {
    String key = m.key();
    executor.execute(() -> leases.merge(key, 1L, Long::sum));
  }

  /** Captures only the message: whatever the executor does, it cannot touch state. */
  @Handler
  void logAsync(Incr m) {
    String key = m.key();
    executor.execute(() -> key.hashCode());
  }

  void tick() {
    timer.runAll();
  }

  long finish() throws InterruptedException {
    executor.shutdown();
    executor.awaitTermination(30, TimeUnit.SECONDS);
    timer.runAll();
    long s = 0;
    for (long v : leases.values()) s += v;
    return s;
  }
}
