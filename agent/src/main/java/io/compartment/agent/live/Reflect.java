package io.compartment.agent.live;

import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/** Reflection the router and the worker share: fields and methods by name, bare allocation. */
final class Reflect {
  private Reflect() {}

  /** The field {@code name} declared by {@code type} or a superclass, made accessible. */
  static Field field(Class<?> type, String name) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f;
      } catch (NoSuchFieldException ignored) {
        // look in the superclass
      }
    }
    throw new IllegalStateException("no field " + name + " on " + type.getName());
  }

  /** The method {@code name} with JVM descriptor {@code descriptor} on {@code type} or above. */
  static Method method(Class<?> type, String name, String descriptor) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.getName().equals(name) && descriptor(m).equals(descriptor)) {
          m.setAccessible(true);
          return m;
        }
      }
    }
    for (Class<?> i : type.getInterfaces()) {
      for (Method m : i.getMethods()) {
        if (m.getName().equals(name) && descriptor(m).equals(descriptor)) {
          m.setAccessible(true);
          return m;
        }
      }
    }
    throw new IllegalStateException(
        "no method " + name + descriptor + " on " + type.getName() + " or its superclasses");
  }

  static String descriptor(Method m) {
    return MethodType.methodType(m.getReturnType(), m.getParameterTypes())
        .toMethodDescriptorString();
  }

  /**
   * A new instance of {@code type} made without running any of its constructors (the way
   * serialization does), so that the worker's copy of a service object starts from nothing but what
   * the host ships.
   */
  static Object allocate(Class<?> type) {
    if (type.isInterface() || Modifier.isAbstract(type.getModifiers()) || type.isArray()) {
      throw new IllegalStateException("cannot make an instance of " + type.getName());
    }
    try {
      sun.reflect.ReflectionFactory factory = sun.reflect.ReflectionFactory.getReflectionFactory();
      Constructor<?> ctor =
          factory.newConstructorForSerialization(type, Object.class.getDeclaredConstructor());
      return ctor.newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot make an instance of " + type.getName() + ": " + e, e);
    }
  }

  /** Loads {@code name} without initializing it, from {@code loader}. */
  static Class<?> load(String name, ClassLoader loader) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("class " + name + " is not on the class path", e);
    }
  }
}
