package io.compartment.scenarios;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A key-value node with no annotations at all: described only by a mapping file in the tests. Its
 * reply goes through an outbox field.
 */
public class MappedKv {
  public record Put(String key, String value) {}

  public record Get(String key) {}

  private final Map<String, String> data = new HashMap<>();
  private final Consumer<Object> outbox;
  private long served;

  public MappedKv(Consumer<Object> outbox) {
    this.outbox = outbox;
  }

  public void put(Put p) {
    data.put(p.key(), p.value());
    outbox.accept("ok " + p.key());
  }

  public void get(Get g) {
    outbox.accept(data.get(g.key()));
  }

  public static void main(String[] args) {
    MappedKv kv = new MappedKv(m -> {});
    java.util.Random r = new java.util.Random(7);
    for (int i = 0; i < 2000; i++) {
      kv.put(new Put("k" + r.nextInt(300), "v" + i));
      kv.get(new Get("k" + r.nextInt(300)));
      kv.served++;
    }
    System.out.println("SCENARIOS DONE");
  }
}
