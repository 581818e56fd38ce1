package io.compartment.agent.route;

import io.compartment.analyzer.trace.StateFieldInfo;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Moves a compartment's state between a live service instance and its partitions: finds the state
 * fields on the instance (the root object and what is reachable from it), splits keyed collections
 * by key group, copies replicated fields to every partition, and merges partitions back, joining
 * replicated fields by their lattice join (DESIGN section 6).
 */
public final class StateSplit {
  /** Objects visited at most when looking for a state holder reachable from the root. */
  static final int MAX_VISITED = 10_000;

  private StateSplit() {}

  /** A state field found on a live instance: the object that holds it, and the field. */
  public record Located(String id, Object holder, Field field) {
    public Object get() {
      try {
        return field.get(holder);
      } catch (IllegalAccessException e) {
        throw new StateSplitException("cannot read state field " + id + ": " + e.getMessage());
      }
    }

    void set(Object value) {
      try {
        field.set(holder, value);
      } catch (IllegalAccessException e) {
        throw new StateSplitException("cannot write state field " + id + ": " + e.getMessage());
      }
    }
  }

  /** The state could not be found, split or merged; the message says which field and why. */
  public static final class StateSplitException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    StateSplitException(String message) {
      super(message);
    }
  }

  /**
   * Finds each state field on {@code root}: on the root itself when declared by its class (or a
   * superclass), else on the first object of the owner's class reachable from the root through
   * instance fields (a log, an instance table held for the service).
   */
  public static List<Located> locate(Object root, Collection<StateFieldInfo> fields) {
    List<Located> found = new ArrayList<>();
    for (StateFieldInfo info : fields) {
      Object holder = findHolder(root, info.owner());
      if (holder == null) {
        throw new StateSplitException(
            "state field "
                + info.id()
                + ": no object of class "
                + info.owner()
                + " is reachable from the service instance");
      }
      found.add(new Located(info.id(), holder, field(holder.getClass(), info.name(), info.id())));
    }
    return found;
  }

  /**
   * The first object reachable from {@code root} through instance fields (breadth first, at most
   * {@value #MAX_VISITED} objects) whose class is {@code owner} or a subclass of it; null if none.
   */
  public static Object findHolder(Object root, String owner) {
    Map<Object, Boolean> seen = new IdentityHashMap<>();
    ArrayDeque<Object> queue = new ArrayDeque<>();
    queue.add(root);
    while (!queue.isEmpty() && seen.size() < MAX_VISITED) {
      Object o = queue.poll();
      if (seen.put(o, Boolean.TRUE) != null) continue;
      for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
        if (c.getName().equals(owner)) return o;
      }
      if (!inspectable(o.getClass())) continue;
      for (Class<?> c = o.getClass(); c != null && inspectable(c); c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) continue;
          try {
            f.setAccessible(true);
            Object next = f.get(o);
            if (next != null) queue.add(next);
          } catch (RuntimeException | IllegalAccessException unreadable) {
            // a field we may not read leads nowhere we can use
          }
        }
      }
    }
    return null;
  }

  private static boolean inspectable(Class<?> c) {
    String n = c.getName();
    return !c.isArray()
        && !n.startsWith("java.")
        && !n.startsWith("javax.")
        && !n.startsWith("jdk.")
        && !n.startsWith("sun.");
  }

  private static Field field(Class<?> type, String name, String id) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f;
      } catch (NoSuchFieldException ignored) {
        // look in the superclass
      } catch (RuntimeException e) {
        throw new StateSplitException("state field " + id + " cannot be opened: " + e);
      }
    }
    throw new StateSplitException("state field " + id + " not found on " + type.getName());
  }

  /**
   * Puts partitions' shares back into the host's fields: each partitioned field becomes the union
   * of its shares (keys never overlap: each lives in one group), each replicated field the join of
   * the host's value and every partition's copy.
   */
  public static void merge(
      List<Located> partitioned,
      List<Located> replicated,
      List<Map<String, Object>> partitionStates) {
    for (Located l : partitioned) {
      Object current = l.get();
      Object merged = emptyLike(current);
      for (Map<String, Object> p : partitionStates) {
        Object share = p.get(l.id());
        if (share == null) continue;
        addAll(merged, share, l.id());
      }
      if (!refill(current, merged)) l.set(merged);
    }
    for (Located l : replicated) {
      Object joined = l.get();
      for (Map<String, Object> p : partitionStates) {
        if (p.containsKey(l.id())) joined = join(joined, p.get(l.id()), l.id());
      }
      l.set(joined);
    }
  }

  @SuppressWarnings("unchecked")
  private static void addAll(Object into, Object share, String id) {
    if (into instanceof Map && share instanceof Map) {
      ((Map<Object, Object>) into).putAll((Map<Object, Object>) share);
    } else if (into instanceof Set && share instanceof Set) {
      ((Set<Object>) into).addAll((Set<Object>) share);
    } else {
      throw new StateSplitException("partition state of " + id + " does not match the host's kind");
    }
  }

  /** Refills a mutable host collection in place (others may hold it); false if it is immutable. */
  @SuppressWarnings("unchecked")
  private static boolean refill(Object current, Object merged) {
    try {
      if (current instanceof Map<?, ?> m) {
        m.clear();
        ((Map<Object, Object>) m).putAll((Map<Object, Object>) merged);
        return true;
      }
      if (current instanceof Set<?> s) {
        s.clear();
        ((Set<Object>) s).addAll((Set<Object>) merged);
        return true;
      }
    } catch (UnsupportedOperationException immutable) {
      return false;
    }
    return false;
  }

  /** An empty mutable collection of the same kind (sorted ones keep their comparator). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Object emptyLike(Object collection) {
    if (collection instanceof SortedMap<?, ?> m) return new TreeMap<>((Comparator) m.comparator());
    if (collection instanceof Map<?, ?>) return new HashMap<>();
    if (collection instanceof SortedSet<?> s) return new TreeSet<>((Comparator) s.comparator());
    if (collection instanceof Set<?>) return new HashSet<>();
    return new HashMap<>();
  }

  /**
   * The lattice join of two values of a replicated field: the larger number or comparable, the
   * union of sets, the pointwise join of maps, {@code or} of booleans.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Object join(Object a, Object b, String id) {
    if (a == null) return b;
    if (b == null) return a;
    if (a instanceof Boolean x && b instanceof Boolean y) return x || y;
    if (a instanceof Number x && b instanceof Number y && a.getClass() == b.getClass()) {
      return Double.compare(x.doubleValue(), y.doubleValue()) >= 0
              && (!(x instanceof Long) || x.longValue() >= y.longValue())
          ? a
          : b;
    }
    if (a instanceof Set<?> x && b instanceof Set<?> y) {
      Set<Object> u = (Set<Object>) emptyLike(x);
      u.addAll(x);
      u.addAll(y);
      return u;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      Map<Object, Object> u = (Map<Object, Object>) emptyLike(x);
      u.putAll(x);
      for (Map.Entry<?, ?> e : y.entrySet()) {
        u.merge(e.getKey(), e.getValue(), (p, q) -> join(p, q, id + "[" + e.getKey() + "]"));
      }
      return u;
    }
    if (a instanceof Comparable && a.getClass() == b.getClass()) {
      return ((Comparable) a).compareTo(b) >= 0 ? a : b;
    }
    throw new StateSplitException(
        "replicated field "
            + id
            + " holds "
            + a.getClass().getName()
            + " and "
            + b.getClass().getName()
            + ", which have no lattice join");
  }
}
