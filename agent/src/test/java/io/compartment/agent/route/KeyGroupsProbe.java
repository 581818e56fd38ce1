package io.compartment.agent.route;

import java.util.List;
import java.util.UUID;

/** Prints the key group of a fixed list of keys; run in another JVM to compare. */
final class KeyGroupsProbe {
  enum Color {
    RED,
    GREEN
  }

  record Composite(String tenant, long id, Color color) {}

  static List<Object> keys() {
    return List.of(
        7L,
        "slot-41",
        Color.GREEN,
        new Composite("t1", 99, Color.RED),
        UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
        List.of("a", 1, Color.RED),
        'x',
        true,
        3.25d);
  }

  public static void main(String[] args) {
    KeyGroups kg = new KeyGroups(256);
    StringBuilder sb = new StringBuilder();
    for (Object k : keys()) sb.append(kg.groupOf(k)).append(' ');
    System.out.println(sb.toString().trim());
  }
}
