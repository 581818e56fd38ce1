package io.compartment.transport.codec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * The classes a service allows on the wire: its message and state types.
 *
 * <p>Each registered class gets a stable 32-bit id derived from its binary name ({@link
 * #stableId(String)}, FNV-1a), so two processes that register the same classes agree on ids
 * whatever the order of registration. {@link #fingerprint()} additionally covers field layouts so
 * that peers can check they run the same class versions.
 *
 * <p>JDK value and collection types ({@code String}, boxes, {@code UUID}, {@code List}, ...) are
 * built into {@link MessageCodec} and must not be registered. Registered classes may be:
 *
 * <ul>
 *   <li>enums (encoded by ordinal);
 *   <li>records (decoded through the canonical constructor);
 *   <li>plain classes whose superclasses are not JDK classes (other than {@code Object}); all
 *       non-static, non-transient fields are encoded, private and final ones included. Decoding
 *       allocates the instance without running any of its constructors ({@code
 *       sun.reflect.ReflectionFactory} from module {@code jdk.unsupported}) and then sets the
 *       fields, so transient fields come back as {@code 0}/{@code null}/{@code false};
 *   <li>interfaces and abstract classes, which are never instantiated but may name the component
 *       type of an array.
 * </ul>
 *
 * <p>Classes must be reflectively accessible to this module (classes on the class path are).
 * Non-static inner classes, anonymous classes, lambdas and other hidden classes are rejected.
 * Instances are immutable and thread-safe.
 */
public final class TypeRegistry {
  /** How instances of a registered class are written and read. */
  enum Kind {
    ENUM,
    RECORD,
    OBJECT,
    ABSTRACT
  }

  /** Everything the codec needs about one registered class. */
  static final class TypeInfo {
    final Class<?> type;
    final int id;
    final Kind kind;
    final Field[] fields;
    final Object[] enumConstants;
    final Constructor<?> constructor;

    /** Records only: the canonical constructor as {@code (Object[])Object}. */
    final MethodHandle recordFactory;

    TypeInfo(
        final Class<?> type,
        final int id,
        final Kind kind,
        final Field[] fields,
        final Object[] enumConstants,
        final Constructor<?> constructor) {
      this.type = type;
      this.id = id;
      this.kind = kind;
      this.fields = fields;
      this.enumConstants = enumConstants;
      this.constructor = constructor;
      MethodHandle factory = null;
      if (kind == Kind.RECORD) {
        try {
          factory =
              MethodHandles.lookup()
                  .unreflectConstructor(constructor)
                  .asType(MethodType.genericMethodType(fields.length))
                  .asSpreader(Object[].class, fields.length);
        } catch (IllegalAccessException e) {
          throw new IllegalArgumentException(
              "cannot register " + type.getName() + ": canonical constructor not accessible", e);
        }
      }
      this.recordFactory = factory;
    }
  }

  private final Map<Class<?>, TypeInfo> byClass;
  private final Int2ObjectHashMap<TypeInfo> byId;
  private final long fingerprint;

  private TypeRegistry(final Map<Class<?>, TypeInfo> byClass) {
    this.byClass = byClass;
    this.byId = new Int2ObjectHashMap<>();
    final List<TypeInfo> sorted = new ArrayList<>(byClass.values());
    sorted.sort(Comparator.comparing(t -> t.type.getName()));
    long hash = 0xcbf29ce484222325L;
    for (final TypeInfo info : sorted) {
      byId.put(info.id, info);
      hash = fnv64(hash, info.type.getName());
      hash = fnv64(hash, info.kind.name());
      if (info.fields != null) {
        for (final Field field : info.fields) {
          hash = fnv64(hash, field.getName());
          hash = fnv64(hash, field.getType().getName());
        }
      }
      if (info.enumConstants != null) {
        for (final Object constant : info.enumConstants) {
          hash = fnv64(hash, ((Enum<?>) constant).name());
        }
      }
    }
    this.fingerprint = hash;
  }

  /**
   * @return a new builder.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Shorthand for {@code builder().register(classes).build()}.
   *
   * @param classes the message and state classes of the service.
   * @return the registry.
   * @throws IllegalArgumentException if a class cannot be registered (the message says why).
   */
  public static TypeRegistry of(final Class<?>... classes) {
    return builder().register(classes).build();
  }

  /**
   * The stable id of a class name: 32-bit FNV-1a of its UTF-8 bytes. Independent of registration
   * order and of the process.
   *
   * @param className binary class name, as {@link Class#getName()} returns it.
   * @return the id.
   */
  public static int stableId(final String className) {
    int hash = 0x811c9dc5;
    for (final byte b : className.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    return hash;
  }

  /**
   * @param type a class.
   * @return whether it was registered.
   */
  public boolean isRegistered(final Class<?> type) {
    return byClass.containsKey(type);
  }

  /**
   * @param type a registered class.
   * @return its id.
   * @throws CodecException if the class is not registered.
   */
  public int idOf(final Class<?> type) {
    final TypeInfo info = byClass.get(type);
    if (info == null) {
      throw new CodecException("class " + type.getName() + " is not registered", -1);
    }
    return info.id;
  }

  /**
   * @param id a type id.
   * @return the registered class with that id, or {@code null}.
   */
  public Class<?> classOf(final int id) {
    final TypeInfo info = byId.get(id);
    return info == null ? null : info.type;
  }

  /**
   * @return the registered classes, sorted by name.
   */
  public List<Class<?>> classes() {
    final List<Class<?>> list = new ArrayList<>(byClass.keySet());
    list.sort(Comparator.comparing(Class::getName));
    return Collections.unmodifiableList(list);
  }

  /**
   * A 64-bit hash over the registered class names, their kinds, field names and field types, and
   * enum constant names. Two processes with equal fingerprints read each other's bytes.
   *
   * @return the fingerprint.
   */
  public long fingerprint() {
    return fingerprint;
  }

  TypeInfo info(final Class<?> type) {
    return byClass.get(type);
  }

  TypeInfo info(final int id) {
    return byId.get(id);
  }

  private static long fnv64(final long seed, final String s) {
    long hash = seed;
    for (final byte b : s.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    hash ^= 0xff;
    hash *= 0x100000001b3L;
    return hash;
  }

  /** Collects classes and checks each one; {@link #build()} checks ids for collisions. */
  public static final class Builder {
    private final Set<Class<?>> classes = new LinkedHashSet<>();

    private Builder() {}

    /**
     * @param types classes to register; duplicates are ignored.
     * @return this.
     * @throws IllegalArgumentException if a class cannot be registered (the message says why).
     */
    public Builder register(final Class<?>... types) {
      for (final Class<?> type : types) {
        if (type == null) {
          throw new IllegalArgumentException("null class in register(" + Arrays.toString(types));
        }
        classes.add(type);
      }
      return this;
    }

    /**
     * @param types classes to register; duplicates are ignored.
     * @return this.
     */
    public Builder register(final Iterable<Class<?>> types) {
      for (final Class<?> type : types) {
        register(type);
      }
      return this;
    }

    /**
     * @return the immutable registry.
     * @throws IllegalArgumentException if a class cannot be registered or two names share an id.
     */
    public TypeRegistry build() {
      final Map<Class<?>, TypeInfo> byClass = new HashMap<>();
      final Map<Integer, Class<?>> ids = new HashMap<>();
      for (final Class<?> type : classes) {
        final TypeInfo info = describe(type);
        final Class<?> clash = ids.putIfAbsent(info.id, type);
        if (clash != null) {
          throw new IllegalArgumentException(
              "type id collision: "
                  + clash.getName()
                  + " and "
                  + type.getName()
                  + " both hash to 0x"
                  + Integer.toHexString(info.id)
                  + "; rename one of them");
        }
        byClass.put(type, info);
      }
      return new TypeRegistry(byClass);
    }

    private static TypeInfo describe(final Class<?> type) {
      final String name = type.getName();
      if (type.isPrimitive() || type.isArray()) {
        throw new IllegalArgumentException(
            "cannot register " + type.getTypeName() + ": primitives and arrays are built in");
      }
      if (isJdk(type)) {
        throw new IllegalArgumentException(
            "cannot register JDK class "
                + name
                + ": supported JDK types (String, boxes, UUID, BigInteger, BigDecimal, Instant,"
                + " Duration, List, Set, Map, Deque, Queue) are built in, others are unsupported");
      }
      if (type.getSuperclass() != null && type.getSuperclass().isEnum()) {
        throw new IllegalArgumentException(
            "cannot register "
                + name
                + ": it is the body of an enum constant; register "
                + type.getSuperclass().getName());
      }
      if (type.isHidden() || type.isAnonymousClass() || type.isSynthetic()) {
        throw new IllegalArgumentException(
            "cannot register "
                + name
                + ": hidden, anonymous and synthetic classes have no stable name");
      }
      final int id = stableId(name);
      if (type.isEnum()) {
        return new TypeInfo(type, id, Kind.ENUM, null, type.getEnumConstants(), null);
      }
      if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
        return new TypeInfo(type, id, Kind.ABSTRACT, null, null, null);
      }
      try {
        if (type.isRecord()) {
          return describeRecord(type, id);
        }
        return describeObject(type, id);
      } catch (InaccessibleObjectException | SecurityException e) {
        throw new IllegalArgumentException(
            "cannot register "
                + name
                + ": its fields are not accessible to the codec ("
                + e.getMessage()
                + "); open its package to io.compartment.transport",
            e);
      }
    }

    private static TypeInfo describeRecord(final Class<?> type, final int id) {
      final RecordComponent[] components = type.getRecordComponents();
      final Field[] fields = new Field[components.length];
      final Class<?>[] parameterTypes = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        try {
          fields[i] = type.getDeclaredField(components[i].getName());
        } catch (NoSuchFieldException e) {
          throw new IllegalArgumentException("record " + type.getName() + " lacks its field", e);
        }
        fields[i].setAccessible(true);
        parameterTypes[i] = components[i].getType();
      }
      final Constructor<?> constructor;
      try {
        constructor = type.getDeclaredConstructor(parameterTypes);
      } catch (NoSuchMethodException e) {
        throw new IllegalArgumentException(
            "record " + type.getName() + " has no canonical constructor", e);
      }
      constructor.setAccessible(true);
      return new TypeInfo(type, id, Kind.RECORD, fields, null, constructor);
    }

    private static TypeInfo describeObject(final Class<?> type, final int id) {
      final List<Class<?>> hierarchy = new ArrayList<>();
      for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
        if (isJdk(c)) {
          throw new IllegalArgumentException(
              "cannot register "
                  + type.getName()
                  + ": it extends JDK class "
                  + c.getName()
                  + " whose fields the codec cannot read; use composition or a built-in type");
        }
        hierarchy.add(0, c);
      }
      final List<Field> fields = new ArrayList<>();
      for (final Class<?> c : hierarchy) {
        final List<Field> declared = new ArrayList<>();
        for (final Field field : c.getDeclaredFields()) {
          final int modifiers = field.getModifiers();
          if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers)) {
            continue;
          }
          if (field.isSynthetic()) {
            throw new IllegalArgumentException(
                "cannot register "
                    + type.getName()
                    + ": it has synthetic field "
                    + field.getName()
                    + " (a non-static inner or local class captures its enclosing instance);"
                    + " make the class static");
          }
          declared.add(field);
        }
        declared.sort(Comparator.comparing(Field::getName));
        fields.addAll(declared);
      }
      for (final Field field : fields) {
        field.setAccessible(true);
      }
      final Constructor<?> constructor = serializationConstructor(type);
      constructor.setAccessible(true);
      return new TypeInfo(type, id, Kind.OBJECT, fields.toArray(new Field[0]), null, constructor);
    }

    /**
     * A constructor that allocates {@code type} and runs only {@code Object()}: {@code
     * sun.reflect.ReflectionFactory} of module {@code jdk.unsupported}, looked up reflectively.
     */
    private static Constructor<?> serializationConstructor(final Class<?> type) {
      try {
        final Class<?> factoryClass = Class.forName("sun.reflect.ReflectionFactory");
        final Object factory = factoryClass.getMethod("getReflectionFactory").invoke(null);
        return (Constructor<?>)
            factoryClass
                .getMethod("newConstructorForSerialization", Class.class, Constructor.class)
                .invoke(factory, type, Object.class.getDeclaredConstructor());
      } catch (ReflectiveOperationException | LinkageError e) {
        throw new IllegalArgumentException(
            "cannot register "
                + type.getName()
                + ": instantiating without constructors needs sun.reflect.ReflectionFactory"
                + " (module jdk.unsupported): "
                + e,
            e);
      }
    }

    static boolean isJdk(final Class<?> type) {
      final String name = type.getName();
      return type.getClassLoader() == null
          || name.startsWith("java.")
          || name.startsWith("javax.")
          || name.startsWith("jdk.")
          || name.startsWith("sun.")
          || name.startsWith("com.sun.");
    }
  }
}
