package io.compartment.agent.live;

import io.compartment.analyzer.trace.Values;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys a partitioned compartment's calls may have written while its state was being copied to
 * the workers with calls still running in the host (the pre-copy of an enable). A partitionable
 * compartment reaches its state only through the key its call carries (that is what the analyzer
 * checked), so the routing key of every call run during the pre-copy names every entry that may
 * differ from the copy. When that cannot be known for a call (a handler without a key, a broadcast,
 * a key that cannot be read or compared), everything is dirty and the whole state is shipped again
 * under the hold, as without a pre-copy.
 *
 * <p>Keys are kept in {@link Values#normalize normalized} form, so an {@code int} attribute and a
 * {@code Long} map key are one key. Thread safe: calls mark keys on their own threads.
 */
final class DirtyKeys {
  /** Keys tracked at most, whatever the state's size: the set costs host memory. */
  static final int MAX_KEYS = 1_000_000;

  /** Keys tracked at least, however small the state. */
  static final int MIN_KEYS = 4_096;

  /**
   * Keys marked beyond which everything counts as dirty: a quarter of the state's entries, between
   * {@value #MIN_KEYS} and {@value #MAX_KEYS}. Past it, calls write faster than the copy moves
   * (moving everything under the hold is then about as cheap, and the pre-copy stops early).
   */
  static long limitFor(long stateEntries) {
    return Math.max(MIN_KEYS, Math.min(MAX_KEYS, stateEntries / 4));
  }

  private final long limit;

  /** Normalized key to the key as a call carried it. */
  private final Map<Object, Object> keys = new ConcurrentHashMap<>();

  /** Classes of the keys as calls carried them. */
  private final Set<Class<?>> classes = ConcurrentHashMap.newKeySet();

  private volatile String everything;

  /** No limit beyond {@link #MAX_KEYS}. */
  DirtyKeys() {
    this(MAX_KEYS);
  }

  /**
   * @param limit keys marked beyond which everything counts as dirty ({@link #limitFor})
   */
  DirtyKeys(long limit) {
    this.limit = limit;
  }

  /** Marks the key of one call of {@code route} with {@code args}; never throws. */
  void mark(HandlerRoute route, Object[] args) {
    if (everything != null) return;
    try {
      if (route.key() == null) {
        markAll("handler " + route.name() + " has no partition key");
        return;
      }
      Object key = route.key().evaluate(args);
      if (!trackable(key)) {
        markAll("a key of " + route.name() + " cannot be compared (" + describe(key) + ")");
        return;
      }
      keys.putIfAbsent(Values.normalize(key), key);
      classes.add(key.getClass());
      if (keys.size() > limit) {
        markAll(
            "more than " + limit + " keys were written: calls wrote faster than the copy moved");
      }
    } catch (RuntimeException e) {
      markAll("the key of a call of " + route.name() + " could not be read: " + e);
    }
  }

  /** Marks keys of the state itself (a piece that could not be copied); never throws. */
  void markKeys(java.util.Collection<?> stateKeys) {
    for (Object key : stateKeys) {
      if (everything != null) return;
      if (!trackable(key)) {
        markAll("a state key cannot be compared (" + describe(key) + ")");
        return;
      }
      keys.putIfAbsent(Values.normalize(key), key);
      classes.add(key.getClass());
    }
  }

  /** Everything may have been written: the state is shipped again whole. */
  void markAll(String why) {
    if (everything == null) everything = why;
  }

  /** Why everything is dirty, or null when the marked keys are all that can differ. */
  String everything() {
    return everything;
  }

  /**
   * Whether {@code key}, a key of a state container, may have been written. A key of a kind that
   * cannot be compared with the calls' keys counts as written (shipping it again is always safe).
   */
  boolean contains(Object key) {
    return !trackable(key) || keys.containsKey(Values.normalize(key));
  }

  /**
   * The marked keys as calls carried them, when they can be looked up in a container whose keys are
   * all of class {@code stateKeys}: every marked key is of that class. Null otherwise (the
   * container must then be scanned, since an {@code Integer} finds no {@code Long} key).
   */
  java.util.Collection<Object> lookupKeys(Class<?> stateKeys) {
    if (stateKeys == null || everything != null) return null;
    for (Class<?> c : classes) if (c != stateKeys) return null;
    return keys.values();
  }

  int size() {
    return keys.size();
  }

  /**
   * Keys whose {@code equals} and {@code hashCode} are by value and agree after normalizing: boxed
   * numbers (not {@code BigDecimal}, whose equality counts the scale), text, enums, UUIDs, and
   * records of those.
   */
  static boolean trackable(Object key) {
    return trackable(key, 0);
  }

  private static boolean trackable(Object key, int depth) {
    if (key instanceof Long
        || key instanceof Integer
        || key instanceof Short
        || key instanceof Byte
        || key instanceof Double
        || key instanceof Float
        || key instanceof java.math.BigInteger
        || key instanceof String
        || key instanceof Boolean
        || key instanceof Character
        || key instanceof Enum<?>
        || key instanceof UUID) {
      return true;
    }
    if (!(key instanceof Record) || depth > 4) return false;
    try {
      for (RecordComponent c : key.getClass().getRecordComponents()) {
        Method accessor = c.getAccessor();
        accessor.setAccessible(true);
        Object part = accessor.invoke(key);
        // the routing key and the state key are of one record class, so its components need
        // value equality only: no normalizing inside
        if (part != null && !trackable(part, depth + 1)) return false;
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  private static String describe(Object key) {
    return key == null ? "null" : key.getClass().getName();
  }
}
