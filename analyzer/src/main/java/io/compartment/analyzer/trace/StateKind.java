package io.compartment.analyzer.trace;

/** The shape of a {@code @State} field, from its declared type. */
public enum StateKind {
  SCALAR,
  MAP,
  SET,
  LIST,
  DEQUE,
  COLLECTION,
  OBJECT;

  /** The kind for a declared field type, judged by its name and the JDK collection interfaces. */
  public static StateKind of(Class<?> type) {
    if (type.isPrimitive()
        || Number.class.isAssignableFrom(type)
        || type == String.class
        || type == Boolean.class
        || type == Character.class
        || type.isEnum()) {
      return SCALAR;
    }
    if (java.util.Map.class.isAssignableFrom(type)) return MAP;
    if (java.util.Deque.class.isAssignableFrom(type)
        || java.util.Queue.class.isAssignableFrom(type)) {
      return DEQUE;
    }
    if (java.util.Set.class.isAssignableFrom(type)) return SET;
    if (java.util.List.class.isAssignableFrom(type)) return LIST;
    if (java.util.Collection.class.isAssignableFrom(type)) return COLLECTION;
    if (java.util.concurrent.atomic.AtomicLong.class == type
        || java.util.concurrent.atomic.AtomicInteger.class == type
        || java.util.concurrent.atomic.AtomicBoolean.class == type) {
      return SCALAR;
    }
    return OBJECT;
  }
}
