package io.compartment.scenarios;

import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import java.util.HashMap;
import java.util.Map;

/** Bad input: a handler without parameters and static state. The application must still run. */
@ProtocolService
public class BadAnnotations {
  @State static int globalCounter;
  @State private final Map<String, Integer> data = new HashMap<>();

  @Handler
  void tick() {
    globalCounter++;
  }

  @Handler
  void put(Messages.Upsert u) {
    data.put(u.key(), u.value());
  }

  public static void main(String[] args) {
    BadAnnotations b = new BadAnnotations();
    for (int i = 0; i < 500; i++) {
      b.tick();
      b.put(new Messages.Upsert("k" + (i % 40), i));
    }
    System.out.println("SCENARIOS DONE ticks=" + globalCounter);
  }
}
