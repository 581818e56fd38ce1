package io.compartment.agent.live;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * A partition-key path of the report ({@code arg0.header.txId}) compiled against the handler's
 * parameter types: each step reads a field, a record component, {@code name()}, {@code getName()}
 * or {@code isName()}, whichever the value's class has. Steps resolve lazily per runtime class so
 * that a subclass or an implementation of an interface parameter works too.
 */
final class KeyPath {
  private final String text;
  private final int argument;
  private final String[] steps;
  private final ClassValue<Object>[] readers;

  @SuppressWarnings("unchecked")
  KeyPath(String text) {
    this.text = text;
    String[] parts = text.split("\\.");
    if (parts.length == 0 || !parts[0].matches("arg\\d+")) {
      throw new IllegalArgumentException(
          "partition key path " + text + " does not start with argN");
    }
    this.argument = Integer.parseInt(parts[0].substring(3));
    this.steps = new String[parts.length - 1];
    System.arraycopy(parts, 1, steps, 0, steps.length);
    this.readers = new ClassValue[steps.length];
    for (int i = 0; i < steps.length; i++) {
      String step = steps[i];
      readers[i] =
          new ClassValue<>() {
            @Override
            protected Object computeValue(Class<?> type) {
              return reader(type, step);
            }
          };
    }
  }

  /** The key of a call with these arguments; throws naming the step that cannot be read. */
  Object evaluate(Object[] args) {
    if (argument >= args.length) {
      throw new IllegalArgumentException(
          "partition key " + text + ": the handler has only " + args.length + " arguments");
    }
    Object value = args[argument];
    for (int i = 0; i < steps.length; i++) {
      if (value == null) {
        throw new IllegalArgumentException(
            "partition key " + text + ": null before step " + steps[i]);
      }
      Object reader = readers[i].get(value.getClass());
      try {
        if (reader instanceof Field f) {
          value = f.get(value);
        } else if (reader instanceof Method m) {
          value = m.invoke(value);
        } else {
          throw new IllegalArgumentException(
              "partition key "
                  + text
                  + ": "
                  + value.getClass().getName()
                  + " has no field or accessor "
                  + steps[i]);
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalArgumentException(
            "partition key " + text + ": cannot read " + steps[i] + ": " + e, e);
      }
    }
    return value;
  }

  private static Object reader(Class<?> type, String step) {
    String cap = Character.toUpperCase(step.charAt(0)) + step.substring(1);
    List<String> names = List.of(step, "get" + cap, "is" + cap);
    for (String n : names) {
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        try {
          Method m = c.getDeclaredMethod(n);
          if (!Modifier.isStatic(m.getModifiers()) && m.getReturnType() != void.class) {
            m.setAccessible(true);
            return m;
          }
        } catch (NoSuchMethodException | RuntimeException ignored) {
          // try the next name or the superclass
        }
      }
    }
    List<Class<?>> chain = new ArrayList<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) chain.add(c);
    for (Class<?> c : chain) {
      try {
        Field f = c.getDeclaredField(step);
        if (!Modifier.isStatic(f.getModifiers())) {
          f.setAccessible(true);
          return f;
        }
      } catch (NoSuchFieldException | RuntimeException ignored) {
        // the superclass may have it
      }
    }
    return Boolean.FALSE;
  }

  @Override
  public String toString() {
    return text;
  }
}
