package io.compartment.scenarios.adversarial;

import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.scenarios.adversarial.Msgs.Incr;
import java.util.HashMap;
import java.util.Map;

/** State touched from a static nested class and from an anonymous class. */
@ProtocolService
class Inventory {
  @State private final Map<String, Integer> stock = new HashMap<>();

  @Handler
  void restock(Incr m) {
    Updater.add(stock, m.key(), m.by());
  }

  @Handler
  void sellOut(Incr m) {
    Runnable r =
        new Runnable() {
          @Override
          public void run() {
            stock.remove(m.key());
          }
        };
    r.run();
  }

  long digest() {
    return stock.hashCode();
  }

  static final class Updater {
    static void add(Map<String, Integer> m, String k, int by) {
      m.merge(k, by, Integer::sum);
    }
  }
}
