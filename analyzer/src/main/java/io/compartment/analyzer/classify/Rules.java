package io.compartment.analyzer.classify;

import io.compartment.analyzer.trace.FieldObservation;
import io.compartment.analyzer.trace.WriteKind;
import java.util.Comparator;
import java.util.Map;

/** Small predicates over the trace counters, shared by the classifier and the planner. */
final class Rules {
  private Rules() {}

  /** Fewer recorded invocations than this leave a verdict unconfirmed. */
  static final int FEW_INVOCATIONS = 20;

  /**
   * An allocation is decisive when the field was advanced by itself and handed out at least once,
   * and in at least a tenth of its changing writes.
   */
  static boolean allocates(FieldObservation o) {
    return o.allocations() >= 1 && o.allocations() * 10 >= o.changingWrites();
  }

  static boolean touched(FieldObservation o) {
    return o.invocations() > 0 || o.reads() + o.writes() > 0;
  }

  /** True if every write seen grew or inflated the field. */
  static boolean monotoneWrites(FieldObservation o) {
    Long non = o.writeKinds().get(WriteKind.NONMONOTONE);
    return non == null || non == 0;
  }

  static long count(Map<WriteKind, Long> kinds, WriteKind k) {
    Long n = kinds.get(k);
    return n == null ? 0 : n;
  }

  static boolean keyedOnly(FieldObservation o) {
    return o.wholeReads() == 0
        && o.wholeWrites() == 0
        && o.scalarReads() == 0
        && o.scalarWrites() == 0
        && o.multiKeyInvocations() == 0
        && o.keyCandidates() != null
        && !o.keyCandidates().isEmpty();
  }

  /** Orders key paths: fewest segments, then argument index, then alphabetically. */
  static final Comparator<String> KEY_ORDER =
      Comparator.comparingInt((String p) -> p.split("\\.").length)
          .thenComparingInt(Rules::argIndex)
          .thenComparing(Comparator.naturalOrder());

  static int argIndex(String path) {
    int dot = path.indexOf('.');
    String head = dot < 0 ? path : path.substring(0, dot);
    if (head.startsWith("arg")) {
      try {
        return Integer.parseInt(head.substring(3));
      } catch (NumberFormatException e) {
        return Integer.MAX_VALUE;
      }
    }
    return Integer.MAX_VALUE;
  }

  static String ratio(long part, long whole) {
    return part + "/" + whole;
  }
}
