package io.compartment.scenarios.adversarial;

import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.scenarios.adversarial.Msgs.Batch;
import io.compartment.scenarios.adversarial.Msgs.Hop;
import io.compartment.scenarios.adversarial.Msgs.Incr;
import io.compartment.scenarios.adversarial.Msgs.Withdraw;
import java.util.HashMap;
import java.util.Map;

/** Exceptions midway, recursion, one handler calling another, varargs and primitive arrays. */
@ProtocolService
class Flow {
  @State private final Map<String, Long> balances = new HashMap<>();
  @State private final Map<String, Integer> visits = new HashMap<>();
  @State private final Map<String, Long> sums = new HashMap<>();

  @Handler
  void deposit(Incr m) {
    balances.merge(m.key(), (long) m.by(), Long::sum);
  }

  @Handler
  void withdraw(Withdraw w) {
    long now = balances.merge(w.account(), -w.amount(), Long::sum);
    if (now < 0) {
      balances.merge(w.account(), w.amount(), Long::sum);
      throw new IllegalStateException("overdraft " + w.account() + " " + now);
    }
  }

  @Handler
  void forward(Hop h) {
    if (h.ttl() > 0) forward(new Hop(h.key(), h.ttl() - 1));
    visits.merge(h.key(), 1, Integer::sum);
  }

  /** Calls another handler for several keys: writes many keys of {@code balances}. */
  @Handler
  void batch(Batch b) {
    for (String k : b.keys()) deposit(new Incr(k, 1));
  }

  @Handler
  void addAll(String key, long... values) {
    long s = 0;
    for (long v : values) s += v;
    sums.merge(key, s, Long::sum);
  }

  @Handler
  int checksum(byte[] payload, String key) {
    int h = 0;
    for (byte b : payload) h = h * 31 + b;
    sums.merge(key, (long) h, Long::sum);
    return h;
  }

  long digest() {
    return balances.hashCode() * 31L + visits.hashCode() + sums.hashCode();
  }
}
