package io.compartment.scenarios.adversarial;

import java.util.ArrayList;
import java.util.List;

/** A timer wheel of the application's own: callbacks run later, outside any handler. */
final class Deferred {
  private final List<Runnable> pending = new ArrayList<>();

  void later(Runnable r) {
    pending.add(r);
  }

  void runAll() {
    for (Runnable r : pending) r.run();
    pending.clear();
  }
}
