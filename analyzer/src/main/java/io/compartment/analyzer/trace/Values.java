package io.compartment.analyzer.trace;

import java.util.Objects;

/** Value comparisons shared by the agent's recorder and the trace summaries. */
public final class Values {
  private Values() {}

  /**
   * A form in which values equal as message attributes and as keys compare equal: every integral
   * number becomes a {@code Long} (a slot read as {@code int} and used as a {@code Long} key is the
   * same key), a {@code Character} stays itself, everything else is returned as is.
   */
  public static Object normalize(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    return v;
  }

  /** Equality after {@link #normalize}; never throws, even if a user's {@code equals} does. */
  public static boolean same(Object a, Object b) {
    try {
      return Objects.equals(normalize(a), normalize(b));
    } catch (RuntimeException | StackOverflowError e) {
      return false;
    }
  }

  /** True for values that are one immutable scalar: numbers, strings, booleans, chars, enums. */
  public static boolean isScalar(Object v) {
    return v == null
        || v instanceof Number
        || v instanceof CharSequence
        || v instanceof Boolean
        || v instanceof Character
        || v instanceof Enum<?>
        || v instanceof java.util.UUID;
  }

  /** A short printable form for evidence: at most 60 characters. */
  public static String describe(Object v) {
    String s;
    try {
      s = v == null ? "null" : v instanceof String str ? '"' + str + '"' : String.valueOf(v);
    } catch (RuntimeException | StackOverflowError e) {
      s = v.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(v));
    }
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }
}
