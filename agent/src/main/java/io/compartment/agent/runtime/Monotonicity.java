package io.compartment.agent.runtime;

import io.compartment.analyzer.trace.Values;
import io.compartment.analyzer.trace.WriteKind;
import java.util.Collection;
import java.util.Map;

/** Judges an overwrite: does the new value stand at or above the old one in its natural order? */
final class Monotonicity {
  private Monotonicity() {}

  static WriteKind overwrite(Object oldValue, Object newValue) {
    try {
      if (oldValue == null) return newValue == null ? WriteKind.INFLATE : WriteKind.GROW;
      if (newValue == null) return WriteKind.NONMONOTONE;
      if (Values.same(oldValue, newValue)) return WriteKind.INFLATE;
      if (oldValue instanceof Boolean a && newValue instanceof Boolean b) {
        return !a && b ? WriteKind.INFLATE : WriteKind.NONMONOTONE;
      }
      if (oldValue instanceof Number a && newValue instanceof Number b) {
        return Double.compare(b.doubleValue(), a.doubleValue()) >= 0
                && (!(a instanceof Long || a instanceof Integer) || b.longValue() >= a.longValue())
            ? WriteKind.INFLATE
            : WriteKind.NONMONOTONE;
      }
      if (oldValue instanceof Map<?, ?> a && newValue instanceof Map<?, ?> b) {
        for (Map.Entry<?, ?> e : a.entrySet()) {
          if (!b.containsKey(e.getKey())) return WriteKind.NONMONOTONE;
          if (overwrite(e.getValue(), b.get(e.getKey())) == WriteKind.NONMONOTONE) {
            return WriteKind.NONMONOTONE;
          }
        }
        return WriteKind.INFLATE;
      }
      if (oldValue instanceof Collection<?> a && newValue instanceof Collection<?> b) {
        return b.containsAll(a) ? WriteKind.INFLATE : WriteKind.NONMONOTONE;
      }
      // strings and other text have an order, but an overwrite of one by another is no join
      if (oldValue.getClass() == newValue.getClass()
          && oldValue instanceof Comparable<?>
          && !(oldValue instanceof CharSequence)
          && !(oldValue instanceof Enum<?>)) {
        @SuppressWarnings("unchecked")
        Comparable<Object> a = (Comparable<Object>) oldValue;
        return a.compareTo(newValue) <= 0 ? WriteKind.INFLATE : WriteKind.NONMONOTONE;
      }
    } catch (RuntimeException incomparable) {
      // a user compareTo or equals that throws: say nothing good about the write
    }
    return WriteKind.NONMONOTONE;
  }
}
