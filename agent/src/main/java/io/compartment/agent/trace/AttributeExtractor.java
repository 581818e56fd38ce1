package io.compartment.agent.trace;

import io.compartment.analyzer.trace.Values;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a message's attributes, two levels below each argument: {@code arg0}, {@code arg0.slot},
 * {@code arg0.header.txId}, through fields, record components and getters. Runs on the aggregation
 * thread, never on the handler's. Accessors are found once per class. A getter is called only when
 * its bytecode merely reads and returns ({@link io.compartment.agent.runtime.PureMethods}): one
 * with a side effect, a lock or a throw is skipped, so attaching the agent never changes what the
 * application computes.
 */
final class AttributeExtractor {
  static final int DEPTH = 2;

  private record Accessor(String name, Field field, Method method) {
    Object read(Object target) throws ReflectiveOperationException {
      return field != null ? field.get(target) : method.invoke(target);
    }
  }

  private final ClassValue<List<Accessor>> accessors =
      new ClassValue<>() {
        @Override
        protected List<Accessor> computeValue(Class<?> type) {
          return findAccessors(type);
        }
      };

  /** Attribute path to value, for the arguments of one call. */
  Map<String, Object> attributes(Object[] args) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      collect("arg" + i, args[i], 0, out);
    }
    return out;
  }

  /** Every attribute value of {@code value} (itself included), for values handed out. */
  List<Object> values(Object value) {
    Map<String, Object> out = new LinkedHashMap<>();
    collect("v", value, 0, out);
    return new ArrayList<>(out.values());
  }

  List<Object> values(Object[] values) {
    List<Object> all = new ArrayList<>();
    if (values != null) {
      for (Object v : values) all.addAll(values(v));
    }
    return all;
  }

  private void collect(String path, Object value, int depth, Map<String, Object> out) {
    out.put(path, value);
    if (value == null
        || depth >= DEPTH
        || Values.isScalar(value)
        || !inspectable(value.getClass())) {
      return;
    }
    for (Accessor a : accessors.get(value.getClass())) {
      Object child;
      try {
        child = a.read(value);
      } catch (Throwable t) {
        continue; // an attribute that cannot be read is not evidence
      }
      collect(path + "." + a.name(), child, depth + 1, out);
    }
  }

  private static boolean inspectable(Class<?> type) {
    if (type.isArray() || type.isPrimitive()) return false;
    String n = type.getName();
    return !(n.startsWith("java.")
        || n.startsWith("javax.")
        || n.startsWith("jdk.")
        || n.startsWith("sun.")
        || Collection.class.isAssignableFrom(type)
        || Map.class.isAssignableFrom(type));
  }

  private static List<Accessor> findAccessors(Class<?> type) {
    Map<String, Accessor> found = new LinkedHashMap<>();
    try {
      if (type.isRecord()) {
        for (RecordComponent c : type.getRecordComponents()) {
          Method m = c.getAccessor();
          if (io.compartment.agent.runtime.PureMethods.isPure(m) && trySetAccessible(m))
            found.putIfAbsent(c.getName(), new Accessor(c.getName(), null, m));
        }
      }
      for (Class<?> c = type; c != null && inspectable(c); c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) continue;
          if (trySetAccessible(f))
            found.putIfAbsent(f.getName(), new Accessor(f.getName(), f, null));
        }
      }
      for (Method m : type.getMethods()) {
        if (Modifier.isStatic(m.getModifiers())
            || m.getParameterCount() != 0
            || m.getReturnType() == void.class
            || m.getDeclaringClass() == Object.class) {
          continue;
        }
        String name = getterName(m.getName());
        // only a getter that merely reads: the agent must not run a message's side effects
        if (name != null
            && !found.containsKey(name)
            && io.compartment.agent.runtime.PureMethods.isPure(m)
            && trySetAccessible(m)) {
          found.put(name, new Accessor(name, null, m));
        }
      }
    } catch (Throwable t) {
      // a class whose members cannot be listed has no attributes beyond itself
    }
    return List.copyOf(found.values());
  }

  private static String getterName(String method) {
    String rest;
    if (method.startsWith("get") && method.length() > 3) {
      rest = method.substring(3);
    } else if (method.startsWith("is") && method.length() > 2) {
      rest = method.substring(2);
    } else {
      return null;
    }
    if (!Character.isUpperCase(rest.charAt(0))) return null;
    return Character.toLowerCase(rest.charAt(0)) + rest.substring(1);
  }

  private static boolean trySetAccessible(java.lang.reflect.AccessibleObject o) {
    try {
      return o.trySetAccessible();
    } catch (Throwable t) {
      return false;
    }
  }
}
