package io.compartment.agent.live;

import io.compartment.agent.route.StateSplit;
import io.compartment.agent.runtime.HandlerInfo;
import io.compartment.agent.trace.ServiceCatalog;
import io.compartment.analyzer.trace.StateFieldInfo;
import io.compartment.transport.codec.MessageCodec;
import io.compartment.transport.codec.TypeRegistry;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.agrona.ExpandableArrayBuffer;

/**
 * The classes a compartment allows on the wire (DESIGN section 6): its handlers' parameter types,
 * its emits' parameter types, the classes of the values its state and configuration hold now, the
 * classes its messages were seen carrying, and, transitively, the declared types of their fields.
 * Anything else is refused by the codec at both ends.
 */
final class WireTypes {
  /** Objects visited at most when collecting the classes of live values. */
  static final int MAX_VISITED = 200_000;

  private WireTypes() {}

  static TypeRegistry registry(
      Object self,
      List<HandlerInfo> handlers,
      List<StateFieldInfo> fields,
      ServiceCatalog.Entry entry) {
    Set<Class<?>> seeds = new LinkedHashSet<>();
    Class<?> service = self.getClass();
    for (HandlerInfo h : handlers) {
      for (Method m : methods(service)) {
        if (m.getName().equals(h.method()) && Reflect.descriptor(m).equals(h.descriptor())) {
          for (Type t : m.getGenericParameterTypes()) addType(t, seeds);
          addType(m.getGenericReturnType(), seeds);
        }
      }
    }
    for (String key : WorkerEmits.KEYS.entries()) {
      int hash = key.indexOf('#');
      try {
        Class<?> owner = Reflect.load(key.substring(0, hash), service.getClassLoader());
        int paren = key.indexOf('(');
        Method m = Reflect.method(owner, key.substring(hash + 1, paren), key.substring(paren));
        for (Type t : m.getGenericParameterTypes()) addType(t, seeds);
      } catch (RuntimeException unresolvable) {
        // an emit of another loader's class: its values are found below if seen
      }
    }
    Map<Object, Boolean> seen = new IdentityHashMap<>();
    for (StateFieldInfo f : fields) {
      collect(stateValue(self, f), seeds, seen);
    }
    for (String name : entry.config) {
      try {
        collect(Reflect.field(service, name).get(self), seeds, seen);
      } catch (ReflectiveOperationException | RuntimeException ignored) {
        // configuration that cannot be read is not shipped
      }
    }
    for (Class<?> c : MessageClasses.seen()) seeds.add(c);
    // siblings of the message types: replies and the other messages of a protocol live beside them
    Set<String> packages = new LinkedHashSet<>();
    for (Class<?> c : seeds) if (userClass(c)) packages.add(c.getPackageName());
    for (Class<?> c : MessageClasses.loaded()) {
      if (packages.contains(c.getPackageName()) && c.getClassLoader() == service.getClassLoader()) {
        seeds.add(c);
      }
    }
    Set<Class<?>> accepted = new LinkedHashSet<>();
    ArrayDeque<Class<?>> queue = new ArrayDeque<>(seeds);
    Set<Class<?>> visited = new LinkedHashSet<>();
    while (!queue.isEmpty()) {
      Class<?> c = queue.poll();
      while (c.isArray()) c = c.getComponentType();
      if (!visited.add(c) || !userClass(c)) continue;
      try {
        TypeRegistry.of(c);
      } catch (RuntimeException unsupported) {
        continue;
      }
      accepted.add(c);
      for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
        for (Field f : k.getDeclaredFields()) {
          if (Modifier.isStatic(f.getModifiers())) continue;
          Set<Class<?>> more = new LinkedHashSet<>();
          addType(f.getGenericType(), more);
          queue.addAll(more);
        }
      }
    }
    return TypeRegistry.builder().register(accepted).build();
  }

  private static Object stateValue(Object self, StateFieldInfo f) {
    try {
      return StateSplit.locate(self, List.of(f)).get(0).get();
    } catch (RuntimeException notReachable) {
      return null; // enable fails on it later, naming the field
    }
  }

  /** The configuration fields of {@code self} whose values the registry can carry. */
  static Map<String, Object> config(Object self, List<String> names, TypeRegistry registry) {
    Map<String, Object> out = new LinkedHashMap<>();
    MessageCodec codec = new MessageCodec(registry);
    ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);
    for (String name : names) {
      try {
        Object v = Reflect.field(self.getClass(), name).get(self);
        // a class the registry does not know can never be shipped: do not walk it to find out
        if (v == null || (userClass(v.getClass()) && !registry.isRegistered(v.getClass()))) {
          continue;
        }
        codec.encode(v, scratch, 0);
        out.put(name, v);
      } catch (ReflectiveOperationException | RuntimeException notShippable) {
        // left to the worker's stand-in
      }
    }
    return out;
  }

  private static List<Method> methods(Class<?> type) {
    List<Method> out = new java.util.ArrayList<>();
    for (Class<?> c = type; c != null; c = c.getSuperclass())
      out.addAll(List.of(c.getDeclaredMethods()));
    return out;
  }

  private static void addType(Type t, Set<Class<?>> out) {
    if (t instanceof Class<?> c) {
      out.add(c);
    } else if (t instanceof ParameterizedType p) {
      addType(p.getRawType(), out);
      for (Type a : p.getActualTypeArguments()) addType(a, out);
    } else if (t instanceof java.lang.reflect.GenericArrayType g) {
      addType(g.getGenericComponentType(), out);
    } else if (t instanceof java.lang.reflect.WildcardType w) {
      for (Type b : w.getUpperBounds()) addType(b, out);
    }
  }

  /** Adds the class of every object reachable from {@code value}. */
  private static void collect(Object value, Set<Class<?>> out, Map<Object, Boolean> seen) {
    ArrayDeque<Object> queue = new ArrayDeque<>();
    if (value != null) queue.add(value);
    while (!queue.isEmpty() && seen.size() < MAX_VISITED) {
      Object o = queue.poll();
      if (seen.put(o, Boolean.TRUE) != null) continue;
      Class<?> c = o.getClass();
      if (o instanceof Map<?, ?> m) {
        // the service is running: a map changing under us is read again, or left to the check
        // that every value encodes when the state is shipped
        for (Object x : snapshot(m.keySet())) queue.add(x);
        for (Object x : snapshot(m.values())) queue.add(x);
        continue;
      }
      if (o instanceof Collection<?> col) {
        for (Object x : snapshot(col)) queue.add(x);
        continue;
      }
      if (c.isArray()) {
        if (!c.getComponentType().isPrimitive()) {
          for (Object x : (Object[]) o) if (x != null) queue.add(x);
        }
        continue;
      }
      if (!userClass(c)) continue;
      out.add(c);
      for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
        for (Field f : k.getDeclaredFields()) {
          if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) continue;
          try {
            f.setAccessible(true);
            Object next = f.get(o);
            if (next != null) queue.add(next);
          } catch (ReflectiveOperationException | RuntimeException unreadable) {
            // not shipped either
          }
        }
      }
    }
  }

  private static List<Object> snapshot(Collection<?> c) {
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        List<Object> out = new java.util.ArrayList<>(c.size());
        for (Object x : c) if (x != null) out.add(x);
        return out;
      } catch (RuntimeException changed) {
        Thread.onSpinWait();
      }
    }
    return List.of();
  }

  static boolean userClass(Class<?> c) {
    if (c.isPrimitive() || c.isArray() || c.isHidden() || c.isAnonymousClass()) return false;
    String n = c.getName();
    return !n.startsWith("java.")
        && !n.startsWith("javax.")
        && !n.startsWith("jdk.")
        && !n.startsWith("sun.")
        && !n.startsWith("com.sun.")
        && !n.startsWith("io.compartment.agent.")
        && !n.startsWith("io.compartment.transport.")
        && !n.startsWith("io.compartment.api.");
  }
}
