package io.compartment.agent.trace;

import io.compartment.analyzer.trace.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Screens the application's objects before they reach the analyzer, which hashes, compares and
 * prints them. An object whose {@code hashCode} or {@code toString} fails (a cyclic message whose
 * methods recurse until the stack overflows, tried with {@code hashCode}, {@code toString} and
 * {@code equals}, a method that throws) is replaced by an opaque placeholder equal only to itself,
 * and its class is not tried again. Runs on the aggregation thread.
 */
final class SafeValues {
  private final ClassValue<boolean[]> failing =
      new ClassValue<>() {
        @Override
        protected boolean[] computeValue(Class<?> type) {
          return new boolean[1];
        }
      };

  /** An object that could not be hashed or printed, standing in for it. */
  static final class Opaque {
    private final String text;

    Opaque(Object v) {
      this.text =
          v.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(v));
    }

    @Override
    public String toString() {
      return text;
    }
  }

  Object screen(Object v) {
    if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) return v;
    if (Values.isScalar(v) && v.getClass().getName().startsWith("java.")) return v;
    boolean[] bad = failing.get(v.getClass());
    if (bad[0]) return new Opaque(v);
    try {
      v.hashCode();
      if (!v.getClass().getName().startsWith("java.")) {
        String.valueOf(v);
        v.equals(v);
      }
      return v;
    } catch (Throwable t) {
      bad[0] = true;
      return new Opaque(v);
    }
  }

  Map<String, Object> screen(Map<String, Object> attributes) {
    Map<String, Object> out = new LinkedHashMap<>();
    attributes.forEach((k, v) -> out.put(k, screen(v)));
    return out;
  }

  List<Object> screen(List<Object> values) {
    List<Object> out = new ArrayList<>(values.size());
    for (Object v : values) out.add(screen(v));
    return out;
  }
}
