package io.compartment.transport.codec;

import io.compartment.transport.codec.TypeRegistry.Kind;
import io.compartment.transport.codec.TypeRegistry.TypeInfo;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes object graphs into Agrona buffers and decodes them back, instantiating only classes of
 * its {@link TypeRegistry} and a fixed set of JDK types.
 *
 * <p>Supported values: {@code null}; primitives and their boxes; {@code String} (UTF-8; unpaired
 * surrogates become {@code '?'}); {@code UUID}, {@code BigInteger}, {@code BigDecimal}, {@code
 * Instant}, {@code Duration}; registered enums, records and plain classes; arrays of primitives or
 * of any supported type; JDK collections and maps. Collections keep their concrete JDK class where
 * it is one of {@code ArrayList, LinkedList, HashSet, LinkedHashSet, TreeSet, ArrayDeque,
 * PriorityQueue, CopyOnWriteArrayList, ConcurrentSkipListSet, ConcurrentLinkedQueue,
 * ConcurrentLinkedDeque, HashMap, LinkedHashMap, TreeMap, ConcurrentHashMap,
 * ConcurrentSkipListMap}, and {@code EnumSet} of a registered enum; unmodifiable JDK collections
 * come back unmodifiable with the same iteration order; any other JDK collection comes back as the
 * closest of those by interface (a {@code List} as {@code ArrayList}, a {@code Set} as {@code
 * LinkedHashSet}, a {@code Queue} as {@code ArrayDeque}, a {@code Map}, {@code EnumMap} included,
 * as {@code LinkedHashMap}). Sorted collections keep their ordering when the comparator is natural,
 * {@code Collections.reverseOrder()}, or an instance of a registered class.
 *
 * <p>Shared references are written once per occurrence (a DAG becomes a tree). Cycles and nesting
 * deeper than {@code maxDepth} (default {@value #DEFAULT_MAX_DEPTH}) are rejected with a {@link
 * CodecException}. Decoding checks every length against the bytes that remain, so garbage or
 * truncated input gives a {@link CodecException} with the offset, never an out-of-memory error or
 * an instance of an unregistered class.
 *
 * <p>Multi-byte values are little-endian. Instances keep per-call scratch state and are <b>not
 * thread-safe</b>: use one per thread (they are cheap; the registry is shared).
 */
public final class MessageCodec {
  /** Default limit on nesting of objects, arrays and collections: {@value}. */
  public static final int DEFAULT_MAX_DEPTH = 256;

  private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

  static final byte T_NULL = 0;
  static final byte T_FALSE = 1;
  static final byte T_TRUE = 2;
  static final byte T_BYTE = 3;
  static final byte T_SHORT = 4;
  static final byte T_CHAR = 5;
  static final byte T_INT = 6;
  static final byte T_LONG = 7;
  static final byte T_FLOAT = 8;
  static final byte T_DOUBLE = 9;
  static final byte T_STRING = 10;
  static final byte T_UUID = 11;
  static final byte T_ENUM = 12;
  static final byte T_OBJECT = 13;
  static final byte T_BOOLEAN_ARRAY = 14;
  static final byte T_BYTE_ARRAY = 15;
  static final byte T_SHORT_ARRAY = 16;
  static final byte T_CHAR_ARRAY = 17;
  static final byte T_INT_ARRAY = 18;
  static final byte T_LONG_ARRAY = 19;
  static final byte T_FLOAT_ARRAY = 20;
  static final byte T_DOUBLE_ARRAY = 21;
  static final byte T_OBJECT_ARRAY = 22;
  static final byte T_COLLECTION = 23;
  static final byte T_MAP = 24;
  static final byte T_BIG_INTEGER = 25;
  static final byte T_BIG_DECIMAL = 26;
  static final byte T_INSTANT = 27;
  static final byte T_DURATION = 28;
  static final byte T_REVERSE_ORDER = 29;

  // Collection kinds (after T_COLLECTION).
  private static final byte C_ARRAY_LIST = 0;
  private static final byte C_LINKED_LIST = 1;
  private static final byte C_UNMODIFIABLE_LIST = 2;
  private static final byte C_HASH_SET = 3;
  private static final byte C_LINKED_HASH_SET = 4;
  private static final byte C_TREE_SET = 5;
  private static final byte C_UNMODIFIABLE_SET = 6;
  private static final byte C_ARRAY_DEQUE = 7;
  private static final byte C_PRIORITY_QUEUE = 8;
  private static final byte C_COPY_ON_WRITE_LIST = 9;
  private static final byte C_CONCURRENT_SKIP_LIST_SET = 10;
  private static final byte C_CONCURRENT_LINKED_QUEUE = 11;
  private static final byte C_CONCURRENT_LINKED_DEQUE = 12;
  private static final byte C_CONCURRENT_HASH_SET = 13;
  private static final byte C_ENUM_SET = 14;
  private static final byte C_MAX = 14;

  // Map kinds (after T_MAP).
  private static final byte M_HASH_MAP = 0;
  private static final byte M_LINKED_HASH_MAP = 1;
  private static final byte M_TREE_MAP = 2;
  private static final byte M_UNMODIFIABLE_MAP = 3;
  private static final byte M_CONCURRENT_HASH_MAP = 4;
  private static final byte M_CONCURRENT_SKIP_LIST_MAP = 5;
  private static final byte M_MAX = 5;

  // Array component descriptors (after T_OBJECT_ARRAY).
  private static final Class<?>[] BUILTIN_COMPONENTS = {
    Object.class,
    String.class,
    Boolean.class,
    Byte.class,
    Short.class,
    Character.class,
    Integer.class,
    Long.class,
    Float.class,
    Double.class,
    UUID.class,
    Number.class,
    CharSequence.class,
    List.class,
    Set.class,
    Map.class,
    Collection.class,
    Queue.class,
    Deque.class,
    Comparable.class,
    BigInteger.class,
    BigDecimal.class,
    Instant.class,
    Duration.class,
  };
  private static final byte D_REGISTERED = 30;
  private static final byte D_ARRAY = 31;
  private static final byte D_PRIMITIVE = 40;
  private static final Class<?>[] PRIMITIVES = {
    boolean.class,
    byte.class,
    short.class,
    char.class,
    int.class,
    long.class,
    float.class,
    double.class
  };
  private static final Map<Class<?>, Byte> DESCRIPTORS = new IdentityHashMap<>();
  private static final Map<Class<?>, Byte> COLLECTION_KINDS = new IdentityHashMap<>();
  private static final Map<Class<?>, Byte> MAP_KINDS = new IdentityHashMap<>();
  private static final Comparator<?> REVERSE_ORDER = Collections.reverseOrder();

  static {
    for (int i = 0; i < BUILTIN_COMPONENTS.length; i++) {
      DESCRIPTORS.put(BUILTIN_COMPONENTS[i], (byte) i);
    }
    for (int i = 0; i < PRIMITIVES.length; i++) {
      DESCRIPTORS.put(PRIMITIVES[i], (byte) (D_PRIMITIVE + i));
    }
    COLLECTION_KINDS.put(ArrayList.class, C_ARRAY_LIST);
    COLLECTION_KINDS.put(LinkedList.class, C_LINKED_LIST);
    COLLECTION_KINDS.put(HashSet.class, C_HASH_SET);
    COLLECTION_KINDS.put(LinkedHashSet.class, C_LINKED_HASH_SET);
    COLLECTION_KINDS.put(TreeSet.class, C_TREE_SET);
    COLLECTION_KINDS.put(ArrayDeque.class, C_ARRAY_DEQUE);
    COLLECTION_KINDS.put(PriorityQueue.class, C_PRIORITY_QUEUE);
    COLLECTION_KINDS.put(CopyOnWriteArrayList.class, C_COPY_ON_WRITE_LIST);
    COLLECTION_KINDS.put(ConcurrentSkipListSet.class, C_CONCURRENT_SKIP_LIST_SET);
    COLLECTION_KINDS.put(ConcurrentLinkedQueue.class, C_CONCURRENT_LINKED_QUEUE);
    COLLECTION_KINDS.put(ConcurrentLinkedDeque.class, C_CONCURRENT_LINKED_DEQUE);
    COLLECTION_KINDS.put(ConcurrentHashMap.KeySetView.class, C_CONCURRENT_HASH_SET);
    MAP_KINDS.put(HashMap.class, M_HASH_MAP);
    MAP_KINDS.put(LinkedHashMap.class, M_LINKED_HASH_MAP);
    MAP_KINDS.put(TreeMap.class, M_TREE_MAP);
    MAP_KINDS.put(ConcurrentHashMap.class, M_CONCURRENT_HASH_MAP);
    MAP_KINDS.put(ConcurrentSkipListMap.class, M_CONCURRENT_SKIP_LIST_MAP);
  }

  private final TypeRegistry registry;
  private final int maxDepth;
  private final Object[] path;

  // Encoding state.
  private MutableDirectBuffer out;
  private int wpos;
  private int depth;

  // Decoding state.
  private DirectBuffer in;
  private int rpos;
  private int limit;

  /**
   * @param registry the classes allowed on the wire.
   */
  public MessageCodec(final TypeRegistry registry) {
    this(registry, DEFAULT_MAX_DEPTH);
  }

  /**
   * @param registry the classes allowed on the wire.
   * @param maxDepth maximum nesting of objects, arrays and collections, at least 1.
   */
  public MessageCodec(final TypeRegistry registry, final int maxDepth) {
    if (registry == null) {
      throw new IllegalArgumentException("registry must not be null");
    }
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth must be >= 1: " + maxDepth);
    }
    this.registry = registry;
    this.maxDepth = maxDepth;
    this.path = new Object[maxDepth + 1];
  }

  /**
   * @return the registry this codec accepts.
   */
  public TypeRegistry registry() {
    return registry;
  }

  // ------------------------------------------------------------------------------------------
  // Encoding
  // ------------------------------------------------------------------------------------------

  /**
   * Encodes {@code value} at {@code offset}. An expandable buffer grows as needed; a fixed one that
   * is too small gives a {@link CodecException}.
   *
   * @param value the value, may be {@code null}.
   * @param buffer where to write.
   * @param offset index of the first byte to write.
   * @return the number of bytes written.
   * @throws CodecException if the value holds an unsupported or unregistered type, a cycle, nests
   *     deeper than {@code maxDepth}, or does not fit in the buffer.
   */
  public int encode(final Object value, final MutableDirectBuffer buffer, final int offset) {
    out = buffer;
    wpos = offset;
    depth = 0;
    try {
      writeValue(value);
      return wpos - offset;
    } catch (IndexOutOfBoundsException e) {
      throw new CodecException(
          "buffer too small: capacity " + buffer.capacity() + " bytes", wpos, e);
    } catch (IllegalAccessException e) {
      throw new CodecException("cannot read field: " + e.getMessage(), -1, e);
    } finally {
      java.util.Arrays.fill(path, 0, Math.min(depth, path.length), null);
      out = null;
    }
  }

  private void writeValue(final Object value) throws IllegalAccessException {
    if (value == null) {
      putByte(T_NULL);
      return;
    }
    final Class<?> type = value.getClass();
    if (type == String.class) {
      putByte(T_STRING);
      putString((String) value);
    } else if (type == Integer.class) {
      putByte(T_INT);
      putInt((Integer) value);
    } else if (type == Long.class) {
      putByte(T_LONG);
      putLong((Long) value);
    } else if (type == Boolean.class) {
      putByte((Boolean) value ? T_TRUE : T_FALSE);
    } else if (type == Double.class) {
      putByte(T_DOUBLE);
      putLong(Double.doubleToRawLongBits((Double) value));
    } else if (type == Float.class) {
      putByte(T_FLOAT);
      putInt(Float.floatToRawIntBits((Float) value));
    } else if (type == Byte.class) {
      putByte(T_BYTE);
      putByte((Byte) value);
    } else if (type == Short.class) {
      putByte(T_SHORT);
      putShort((Short) value);
    } else if (type == Character.class) {
      putByte(T_CHAR);
      putShort((short) ((Character) value).charValue());
    } else if (type == UUID.class) {
      putByte(T_UUID);
      putLong(((UUID) value).getMostSignificantBits());
      putLong(((UUID) value).getLeastSignificantBits());
    } else if (value instanceof Enum) {
      final Class<?> enumType = ((Enum<?>) value).getDeclaringClass();
      final TypeInfo info = registered(enumType, value);
      putByte(T_ENUM);
      putInt(info.id);
      putInt(((Enum<?>) value).ordinal());
    } else if (type.isArray()) {
      enter(value);
      writeArray(value, type);
      exit();
    } else if (value instanceof Collection && !registry.isRegistered(type)) {
      enter(value);
      writeCollection((Collection<?>) value, type);
      exit();
    } else if (value instanceof Map && !registry.isRegistered(type)) {
      enter(value);
      writeMap((Map<?, ?>) value, type);
      exit();
    } else if (type == BigInteger.class) {
      putByte(T_BIG_INTEGER);
      putBytes(((BigInteger) value).toByteArray());
    } else if (type == BigDecimal.class) {
      putByte(T_BIG_DECIMAL);
      putInt(((BigDecimal) value).scale());
      putBytes(((BigDecimal) value).unscaledValue().toByteArray());
    } else if (type == Instant.class) {
      putByte(T_INSTANT);
      putLong(((Instant) value).getEpochSecond());
      putInt(((Instant) value).getNano());
    } else if (type == Duration.class) {
      putByte(T_DURATION);
      putLong(((Duration) value).getSeconds());
      putInt(((Duration) value).getNano());
    } else if (value == REVERSE_ORDER) {
      putByte(T_REVERSE_ORDER);
    } else {
      final TypeInfo info = registered(type, value);
      enter(value);
      putByte(T_OBJECT);
      putInt(info.id);
      for (final Field field : info.fields) {
        writeField(field, value);
      }
      exit();
    }
  }

  private TypeInfo registered(final Class<?> type, final Object value) {
    final TypeInfo info = registry.info(type);
    if (info == null) {
      final Object container = depth > 0 ? path[depth - 1] : null;
      throw new CodecException(
          "cannot encode "
              + describe(type)
              + (container == null ? "" : " (inside " + describe(container.getClass()) + ")")
              + ": "
              + (TypeRegistry.Builder.isJdk(type)
                  ? "JDK type not supported by the codec"
                  : "class is not registered in the TypeRegistry"),
          -1);
    }
    return info;
  }

  private static String describe(final Class<?> type) {
    return type.isHidden() ? "hidden class (lambda?) " + type.getName() : type.getTypeName();
  }

  private void enter(final Object value) {
    if (depth >= maxDepth) {
      for (int i = 0; i < depth; i++) {
        if (path[i] == value) {
          final StringBuilder cycle = new StringBuilder();
          for (int j = i; j < depth; j++) {
            cycle.append(describe(path[j].getClass())).append(" -> ");
          }
          cycle.append(describe(value.getClass()));
          throw new CodecException("cannot encode a cyclic object graph: " + cycle, -1);
        }
      }
      throw new CodecException(
          "cannot encode: nesting deeper than maxDepth="
              + maxDepth
              + " (innermost "
              + describe(value.getClass())
              + ")",
          -1);
    }
    path[depth++] = value;
  }

  private void exit() {
    path[--depth] = null;
  }

  private void writeField(final Field field, final Object owner) throws IllegalAccessException {
    final Class<?> fieldType = field.getType();
    if (!fieldType.isPrimitive()) {
      writeValue(field.get(owner));
    } else if (fieldType == int.class) {
      putInt(field.getInt(owner));
    } else if (fieldType == long.class) {
      putLong(field.getLong(owner));
    } else if (fieldType == boolean.class) {
      putByte(field.getBoolean(owner) ? (byte) 1 : (byte) 0);
    } else if (fieldType == double.class) {
      putLong(Double.doubleToRawLongBits(field.getDouble(owner)));
    } else if (fieldType == float.class) {
      putInt(Float.floatToRawIntBits(field.getFloat(owner)));
    } else if (fieldType == byte.class) {
      putByte(field.getByte(owner));
    } else if (fieldType == short.class) {
      putShort(field.getShort(owner));
    } else {
      putShort((short) field.getChar(owner));
    }
  }

  private void writeArray(final Object array, final Class<?> type) throws IllegalAccessException {
    final Class<?> component = type.getComponentType();
    if (component.isPrimitive()) {
      writePrimitiveArray(array, component);
      return;
    }
    putByte(T_OBJECT_ARRAY);
    writeDescriptor(component, array);
    final Object[] elements = (Object[]) array;
    putInt(elements.length);
    for (final Object element : elements) {
      writeValue(element);
    }
  }

  private void writeDescriptor(final Class<?> component, final Object array) {
    final Byte code = DESCRIPTORS.get(component);
    if (code != null) {
      putByte(code);
    } else if (component.isArray()) {
      putByte(D_ARRAY);
      writeDescriptor(component.getComponentType(), array);
    } else {
      final TypeInfo info = registry.info(component);
      if (info == null) {
        throw new CodecException(
            "cannot encode array "
                + array.getClass().getTypeName()
                + ": component type "
                + component.getName()
                + " is neither built in nor registered",
            -1);
      }
      putByte(D_REGISTERED);
      putInt(info.id);
    }
  }

  private void writePrimitiveArray(final Object array, final Class<?> component) {
    if (component == byte.class) {
      putByte(T_BYTE_ARRAY);
      putBytes((byte[]) array);
    } else if (component == int.class) {
      final int[] a = (int[]) array;
      putByte(T_INT_ARRAY);
      putInt(a.length);
      for (final int v : a) {
        putInt(v);
      }
    } else if (component == long.class) {
      final long[] a = (long[]) array;
      putByte(T_LONG_ARRAY);
      putInt(a.length);
      for (final long v : a) {
        putLong(v);
      }
    } else if (component == double.class) {
      final double[] a = (double[]) array;
      putByte(T_DOUBLE_ARRAY);
      putInt(a.length);
      for (final double v : a) {
        putLong(Double.doubleToRawLongBits(v));
      }
    } else if (component == boolean.class) {
      final boolean[] a = (boolean[]) array;
      putByte(T_BOOLEAN_ARRAY);
      putInt(a.length);
      for (final boolean v : a) {
        putByte(v ? (byte) 1 : (byte) 0);
      }
    } else if (component == char.class) {
      final char[] a = (char[]) array;
      putByte(T_CHAR_ARRAY);
      putInt(a.length);
      for (final char v : a) {
        putShort((short) v);
      }
    } else if (component == short.class) {
      final short[] a = (short[]) array;
      putByte(T_SHORT_ARRAY);
      putInt(a.length);
      for (final short v : a) {
        putShort(v);
      }
    } else {
      final float[] a = (float[]) array;
      putByte(T_FLOAT_ARRAY);
      putInt(a.length);
      for (final float v : a) {
        putInt(Float.floatToRawIntBits(v));
      }
    }
  }

  private void writeCollection(final Collection<?> collection, final Class<?> type)
      throws IllegalAccessException {
    if (collection instanceof EnumSet) {
      writeEnumSet((EnumSet<?>) collection);
      return;
    }
    Byte kind = COLLECTION_KINDS.get(type);
    if (kind == null) {
      if (!TypeRegistry.Builder.isJdk(type)) {
        throw new CodecException(
            "cannot encode collection of class "
                + type.getName()
                + ": only JDK collections are built in, and a registered class may not extend one",
            -1);
      }
      kind = fallbackCollectionKind(collection, type);
    }
    putByte(T_COLLECTION);
    putByte(kind);
    if (kind == C_TREE_SET || kind == C_CONCURRENT_SKIP_LIST_SET) {
      writeComparator(((SortedSet<?>) collection).comparator());
    } else if (kind == C_PRIORITY_QUEUE) {
      writeComparator(((PriorityQueue<?>) collection).comparator());
    }
    final int sizeAt = wpos;
    putInt(0);
    int size = 0;
    for (final Object element : collection) {
      writeValue(element);
      size++;
    }
    out.putInt(sizeAt, size, ORDER);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void writeEnumSet(final EnumSet<?> set) {
    // the complement of an empty set is non-empty, so the element type is always found
    final EnumSet<?> sample = set.isEmpty() ? EnumSet.complementOf((EnumSet) set) : set;
    final Class<?> enumType =
        sample.isEmpty() ? null : ((Enum<?>) sample.iterator().next()).getDeclaringClass();
    if (enumType == null) {
      throw new CodecException("cannot encode an EnumSet of an enum without constants", -1);
    }
    final TypeInfo info = registered(enumType, set);
    putByte(T_COLLECTION);
    putByte(C_ENUM_SET);
    putInt(info.id);
    putInt(set.size());
    for (final Enum<?> element : set) {
      putInt(element.ordinal());
    }
  }

  private static byte fallbackCollectionKind(final Collection<?> collection, final Class<?> type) {
    if (collection instanceof SortedSet) {
      return C_TREE_SET;
    }
    final boolean unmodifiable = isUnmodifiable(type);
    if (collection instanceof List) {
      return unmodifiable ? C_UNMODIFIABLE_LIST : C_ARRAY_LIST;
    }
    if (collection instanceof Set) {
      return unmodifiable ? C_UNMODIFIABLE_SET : C_LINKED_HASH_SET;
    }
    if (collection instanceof Queue) {
      return C_ARRAY_DEQUE;
    }
    return unmodifiable ? C_UNMODIFIABLE_LIST : C_ARRAY_LIST;
  }

  private static boolean isUnmodifiable(final Class<?> type) {
    final String name = type.getName();
    return name.startsWith("java.util.ImmutableCollections$")
        || name.startsWith("java.util.Collections$Unmodifiable")
        || name.startsWith("java.util.Collections$Empty")
        || name.startsWith("java.util.Collections$Singleton");
  }

  private void writeComparator(final Comparator<?> comparator) throws IllegalAccessException {
    if (comparator == null || comparator == Comparator.naturalOrder()) {
      putByte(T_NULL);
    } else {
      writeValue(comparator);
    }
  }

  private void writeMap(final Map<?, ?> map, final Class<?> type) throws IllegalAccessException {
    Byte kind = MAP_KINDS.get(type);
    if (kind == null) {
      if (!TypeRegistry.Builder.isJdk(type)) {
        throw new CodecException(
            "cannot encode map of class "
                + type.getName()
                + ": only JDK maps are built in, and a registered class may not extend one",
            -1);
      }
      if (map instanceof SortedMap) {
        kind = M_TREE_MAP;
      } else {
        kind = isUnmodifiable(type) ? M_UNMODIFIABLE_MAP : M_LINKED_HASH_MAP;
      }
    }
    putByte(T_MAP);
    putByte(kind);
    if (kind == M_TREE_MAP || kind == M_CONCURRENT_SKIP_LIST_MAP) {
      writeComparator(((SortedMap<?, ?>) map).comparator());
    }
    final int sizeAt = wpos;
    putInt(0);
    int size = 0;
    for (final Map.Entry<?, ?> entry : map.entrySet()) {
      writeValue(entry.getKey());
      writeValue(entry.getValue());
      size++;
    }
    out.putInt(sizeAt, size, ORDER);
  }

  private void putByte(final byte v) {
    out.putByte(wpos, v);
    wpos += 1;
  }

  private void putShort(final short v) {
    out.putShort(wpos, v, ORDER);
    wpos += 2;
  }

  private void putInt(final int v) {
    out.putInt(wpos, v, ORDER);
    wpos += 4;
  }

  private void putLong(final long v) {
    out.putLong(wpos, v, ORDER);
    wpos += 8;
  }

  private void putBytes(final byte[] bytes) {
    putInt(bytes.length);
    out.putBytes(wpos, bytes);
    wpos += bytes.length;
  }

  private void putString(final String s) {
    final int length = s.length();
    boolean ascii = true;
    for (int i = 0; i < length; i++) {
      if (s.charAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      putInt(length);
      out.putStringWithoutLengthAscii(wpos, s);
      wpos += length;
    } else {
      putBytes(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  // ------------------------------------------------------------------------------------------
  // Decoding
  // ------------------------------------------------------------------------------------------

  /**
   * Decodes one value that occupies exactly {@code length} bytes at {@code offset}.
   *
   * @param buffer where to read.
   * @param offset index of the first byte.
   * @param length number of bytes the value occupies.
   * @return the value, may be {@code null}.
   * @throws CodecException if the bytes are not a valid encoding, name a class that is not
   *     registered, or do not fill exactly {@code length} bytes; the message has the offset.
   */
  public Object decode(final DirectBuffer buffer, final int offset, final int length) {
    if (offset < 0 || length < 0 || (long) offset + length > buffer.capacity()) {
      throw new CodecException(
          "range offset="
              + offset
              + " length="
              + length
              + " lies outside buffer of capacity "
              + buffer.capacity(),
          offset);
    }
    in = buffer;
    rpos = offset;
    limit = offset + length;
    depth = 0;
    try {
      final Object value = readValue();
      if (rpos != limit) {
        throw new CodecException(
            (limit - rpos) + " trailing bytes after a complete value of length " + (rpos - offset),
            rpos);
      }
      return value;
    } catch (CodecException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw new CodecException("invalid encoding: " + e, rpos, e);
    } finally {
      in = null;
    }
  }

  /**
   * Decodes one value and checks its type.
   *
   * @param buffer where to read.
   * @param offset index of the first byte.
   * @param length number of bytes the value occupies.
   * @param expected the type the value must have ({@code null} is accepted).
   * @param <T> that type.
   * @return the value.
   * @throws CodecException as {@link #decode(DirectBuffer, int, int)}, or if the value is not an
   *     instance of {@code expected}.
   */
  public <T> T decode(
      final DirectBuffer buffer, final int offset, final int length, final Class<T> expected) {
    final Object value = decode(buffer, offset, length);
    if (value != null && !expected.isInstance(value)) {
      throw new CodecException(
          "expected " + expected.getName() + " but decoded " + value.getClass().getName(), offset);
    }
    return expected.cast(value);
  }

  private Object readValue() {
    final int at = rpos;
    final byte tag = getByte();
    switch (tag) {
      case T_NULL:
        return null;
      case T_FALSE:
        return Boolean.FALSE;
      case T_TRUE:
        return Boolean.TRUE;
      case T_BYTE:
        return getByte();
      case T_SHORT:
        return getShort();
      case T_CHAR:
        return (char) getShort();
      case T_INT:
        return getInt();
      case T_LONG:
        return getLong();
      case T_FLOAT:
        return Float.intBitsToFloat(getInt());
      case T_DOUBLE:
        return Double.longBitsToDouble(getLong());
      case T_STRING:
        return getString();
      case T_UUID:
        return new UUID(getLong(), getLong());
      case T_ENUM:
        return readEnum(at);
      case T_OBJECT:
        return readObject(at);
      case T_BOOLEAN_ARRAY:
      case T_BYTE_ARRAY:
      case T_SHORT_ARRAY:
      case T_CHAR_ARRAY:
      case T_INT_ARRAY:
      case T_LONG_ARRAY:
      case T_FLOAT_ARRAY:
      case T_DOUBLE_ARRAY:
        return readPrimitiveArray(tag);
      case T_OBJECT_ARRAY:
        return readObjectArray(at);
      case T_COLLECTION:
        return readCollection(at);
      case T_MAP:
        return readMap(at);
      case T_BIG_INTEGER:
        return readBigInteger(at);
      case T_BIG_DECIMAL:
        {
          final int scale = getInt();
          return new BigDecimal(readBigInteger(at), scale);
        }
      case T_INSTANT:
        {
          final long seconds = getLong();
          final int nanos = getInt();
          if (nanos < 0 || nanos > 999_999_999) {
            throw new CodecException("Instant nanos out of range: " + nanos, at);
          }
          try {
            return Instant.ofEpochSecond(seconds, nanos);
          } catch (java.time.DateTimeException e) {
            throw new CodecException("Instant out of range: " + e.getMessage(), at, e);
          }
        }
      case T_DURATION:
        {
          final long seconds = getLong();
          final int nanos = getInt();
          if (nanos < 0 || nanos > 999_999_999) {
            throw new CodecException("Duration nanos out of range: " + nanos, at);
          }
          return Duration.ofSeconds(seconds, nanos);
        }
      case T_REVERSE_ORDER:
        return REVERSE_ORDER;
      default:
        throw new CodecException("unknown type tag " + tag, at);
    }
  }

  private BigInteger readBigInteger(final int at) {
    final int length = getLength(1);
    if (length == 0) {
      throw new CodecException("BigInteger with zero-length magnitude", at);
    }
    final byte[] bytes = new byte[length];
    in.getBytes(rpos, bytes);
    rpos += length;
    return new BigInteger(bytes);
  }

  private TypeInfo readTypeId(final int at) {
    final int idAt = rpos;
    final int id = getInt();
    final TypeInfo info = registry.info(id);
    if (info == null) {
      throw new CodecException(
          "type id 0x"
              + Integer.toHexString(id)
              + " is not registered (value tagged at "
              + at
              + ")",
          idAt);
    }
    return info;
  }

  private Object readEnum(final int at) {
    final TypeInfo info = readTypeId(at);
    if (info.kind != Kind.ENUM) {
      throw new CodecException(
          "enum tag names " + info.type.getName() + ", which is not an enum", at);
    }
    final int ordinalAt = rpos;
    final int ordinal = getInt();
    if (ordinal < 0 || ordinal >= info.enumConstants.length) {
      throw new CodecException(
          "ordinal " + ordinal + " out of range for enum " + info.type.getName(), ordinalAt);
    }
    return info.enumConstants[ordinal];
  }

  private void descend(final int at) {
    if (++depth > maxDepth) {
      throw new CodecException("nesting deeper than maxDepth=" + maxDepth, at);
    }
  }

  private Object readObject(final int at) {
    final TypeInfo info = readTypeId(at);
    if (info.kind != Kind.OBJECT && info.kind != Kind.RECORD) {
      throw new CodecException(
          "object tag names "
              + info.type.getName()
              + ", which is "
              + (info.kind == Kind.ENUM ? "an enum" : "abstract")
              + " and cannot be instantiated",
          at);
    }
    descend(at);
    final Field[] fields = info.fields;
    final Object result;
    try {
      if (info.kind == Kind.RECORD) {
        final Object[] args = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
          args[i] = readFieldValue(fields[i]);
        }
        try {
          result = (Object) info.recordFactory.invokeExact(args);
        } catch (Throwable t) {
          if (t instanceof Error && !(t instanceof StackOverflowError)) {
            throw (Error) t;
          }
          throw new CodecException(
              "constructor of record " + info.type.getName() + " rejected the decoded values: " + t,
              at,
              t);
        }
      } else {
        result = info.constructor.newInstance();
        for (final Field field : fields) {
          field.set(result, readFieldValue(field));
        }
      }
    } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
      throw new CodecException("cannot instantiate " + info.type.getName() + ": " + e, at, e);
    }
    depth--;
    return result;
  }

  private Object readFieldValue(final Field field) {
    final Class<?> fieldType = field.getType();
    if (fieldType.isPrimitive()) {
      if (fieldType == int.class) {
        return getInt();
      } else if (fieldType == long.class) {
        return getLong();
      } else if (fieldType == boolean.class) {
        final int at = rpos;
        final byte b = getByte();
        if (b != 0 && b != 1) {
          throw new CodecException("invalid boolean byte " + b, at);
        }
        return b == 1;
      } else if (fieldType == double.class) {
        return Double.longBitsToDouble(getLong());
      } else if (fieldType == float.class) {
        return Float.intBitsToFloat(getInt());
      } else if (fieldType == byte.class) {
        return getByte();
      } else if (fieldType == short.class) {
        return getShort();
      } else {
        return (char) getShort();
      }
    }
    final int at = rpos;
    final Object value = readValue();
    if (value != null && !fieldType.isInstance(value)) {
      throw new CodecException(
          "field "
              + field.getDeclaringClass().getName()
              + "."
              + field.getName()
              + " of type "
              + fieldType.getTypeName()
              + " cannot hold decoded "
              + value.getClass().getName(),
          at);
    }
    return value;
  }

  private Object readPrimitiveArray(final byte tag) {
    switch (tag) {
      case T_BYTE_ARRAY:
        {
          final byte[] a = new byte[getLength(1)];
          in.getBytes(rpos, a);
          rpos += a.length;
          return a;
        }
      case T_INT_ARRAY:
        {
          final int[] a = new int[getLength(4)];
          for (int i = 0; i < a.length; i++) {
            a[i] = getInt();
          }
          return a;
        }
      case T_LONG_ARRAY:
        {
          final long[] a = new long[getLength(8)];
          for (int i = 0; i < a.length; i++) {
            a[i] = getLong();
          }
          return a;
        }
      case T_DOUBLE_ARRAY:
        {
          final double[] a = new double[getLength(8)];
          for (int i = 0; i < a.length; i++) {
            a[i] = Double.longBitsToDouble(getLong());
          }
          return a;
        }
      case T_FLOAT_ARRAY:
        {
          final float[] a = new float[getLength(4)];
          for (int i = 0; i < a.length; i++) {
            a[i] = Float.intBitsToFloat(getInt());
          }
          return a;
        }
      case T_SHORT_ARRAY:
        {
          final short[] a = new short[getLength(2)];
          for (int i = 0; i < a.length; i++) {
            a[i] = getShort();
          }
          return a;
        }
      case T_CHAR_ARRAY:
        {
          final char[] a = new char[getLength(2)];
          for (int i = 0; i < a.length; i++) {
            a[i] = (char) getShort();
          }
          return a;
        }
      default:
        {
          final boolean[] a = new boolean[getLength(1)];
          for (int i = 0; i < a.length; i++) {
            final int at = rpos;
            final byte b = getByte();
            if (b != 0 && b != 1) {
              throw new CodecException("invalid boolean byte " + b, at);
            }
            a[i] = b == 1;
          }
          return a;
        }
    }
  }

  private Class<?> readDescriptor(final int at, final int dimensions) {
    final int codeAt = rpos;
    final byte code = getByte();
    if (code >= 0 && code < BUILTIN_COMPONENTS.length) {
      return BUILTIN_COMPONENTS[code];
    }
    if (code >= D_PRIMITIVE && code < D_PRIMITIVE + PRIMITIVES.length) {
      if (dimensions == 0) {
        throw new CodecException("object array of primitive component type", codeAt);
      }
      return PRIMITIVES[code - D_PRIMITIVE];
    }
    if (code == D_REGISTERED) {
      return readTypeId(at).type;
    }
    if (code == D_ARRAY) {
      if (dimensions >= 254 || dimensions >= maxDepth) {
        throw new CodecException("array type with too many dimensions", codeAt);
      }
      return readDescriptor(at, dimensions + 1).arrayType();
    }
    throw new CodecException("unknown array component descriptor " + code, codeAt);
  }

  private Object readObjectArray(final int at) {
    final Class<?> component = readDescriptor(at, 0);
    final int length = getLength(1);
    descend(at);
    final Object[] array = (Object[]) Array.newInstance(component, length);
    for (int i = 0; i < length; i++) {
      final int elementAt = rpos;
      final Object element = readValue();
      if (element != null && !component.isInstance(element)) {
        throw new CodecException(
            "array of "
                + component.getTypeName()
                + " cannot hold decoded "
                + element.getClass().getName(),
            elementAt);
      }
      array[i] = element;
    }
    depth--;
    return array;
  }

  private Comparator<?> readComparator() {
    final int at = rpos;
    final Object value = readValue();
    if (value != null && !(value instanceof Comparator)) {
      throw new CodecException(
          "sorted collection comparator is a " + value.getClass().getName(), at);
    }
    return (Comparator<?>) value;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Object readCollection(final int at) {
    final int kindAt = rpos;
    final byte kind = getByte();
    if (kind < 0 || kind > C_MAX) {
      throw new CodecException("unknown collection kind " + kind, kindAt);
    }
    if (kind == C_ENUM_SET) {
      return readEnumSet(at);
    }
    descend(at);
    Comparator comparator = null;
    if (kind == C_TREE_SET || kind == C_CONCURRENT_SKIP_LIST_SET || kind == C_PRIORITY_QUEUE) {
      comparator = readComparator();
    }
    final int size = getLength(1);
    final int capacity = Math.min(size, 1024);
    final Collection collection;
    switch (kind) {
      case C_ARRAY_LIST:
      case C_UNMODIFIABLE_LIST:
        collection = new ArrayList<>(capacity);
        break;
      case C_LINKED_LIST:
        collection = new LinkedList<>();
        break;
      case C_HASH_SET:
        collection = new HashSet<>(capacity);
        break;
      case C_LINKED_HASH_SET:
      case C_UNMODIFIABLE_SET:
        collection = new LinkedHashSet<>(capacity);
        break;
      case C_TREE_SET:
        collection = new TreeSet<>(comparator);
        break;
      case C_ARRAY_DEQUE:
        collection = new ArrayDeque<>(capacity);
        break;
      case C_PRIORITY_QUEUE:
        collection = new PriorityQueue<>(Math.max(1, capacity), comparator);
        break;
      case C_COPY_ON_WRITE_LIST:
        collection = new ArrayList<>(capacity);
        break;
      case C_CONCURRENT_SKIP_LIST_SET:
        collection = new ConcurrentSkipListSet<>(comparator);
        break;
      case C_CONCURRENT_LINKED_QUEUE:
        collection = new ConcurrentLinkedQueue<>();
        break;
      case C_CONCURRENT_LINKED_DEQUE:
        collection = new ConcurrentLinkedDeque<>();
        break;
      default:
        collection = ConcurrentHashMap.newKeySet(capacity);
        break;
    }
    for (int i = 0; i < size; i++) {
      final int elementAt = rpos;
      final Object element = readValue();
      try {
        collection.add(element);
      } catch (RuntimeException e) {
        throw new CodecException(
            "cannot add decoded element to " + collection.getClass().getSimpleName() + ": " + e,
            elementAt,
            e);
      }
    }
    depth--;
    switch (kind) {
      case C_UNMODIFIABLE_LIST:
        return Collections.unmodifiableList((List) collection);
      case C_UNMODIFIABLE_SET:
        return Collections.unmodifiableSet((Set) collection);
      case C_COPY_ON_WRITE_LIST:
        return new CopyOnWriteArrayList<>(collection);
      default:
        return collection;
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Object readEnumSet(final int at) {
    final TypeInfo info = readTypeId(at);
    if (info.kind != Kind.ENUM) {
      throw new CodecException("EnumSet names " + info.type.getName() + ", not an enum", at);
    }
    final EnumSet set = EnumSet.noneOf((Class) info.type);
    final int size = getLength(4);
    for (int i = 0; i < size; i++) {
      final int ordinalAt = rpos;
      final int ordinal = getInt();
      if (ordinal < 0 || ordinal >= info.enumConstants.length) {
        throw new CodecException(
            "ordinal " + ordinal + " out of range for enum " + info.type.getName(), ordinalAt);
      }
      set.add(info.enumConstants[ordinal]);
    }
    return set;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Object readMap(final int at) {
    final int kindAt = rpos;
    final byte kind = getByte();
    if (kind < 0 || kind > M_MAX) {
      throw new CodecException("unknown map kind " + kind, kindAt);
    }
    descend(at);
    Comparator comparator = null;
    if (kind == M_TREE_MAP || kind == M_CONCURRENT_SKIP_LIST_MAP) {
      comparator = readComparator();
    }
    final int size = getLength(2);
    final int capacity = Math.min(size, 1024);
    final Map map;
    switch (kind) {
      case M_HASH_MAP:
        map = new HashMap<>(capacity);
        break;
      case M_LINKED_HASH_MAP:
      case M_UNMODIFIABLE_MAP:
        map = new LinkedHashMap<>(capacity);
        break;
      case M_TREE_MAP:
        map = new TreeMap<>(comparator);
        break;
      case M_CONCURRENT_HASH_MAP:
        map = new ConcurrentHashMap<>(capacity);
        break;
      default:
        map = new ConcurrentSkipListMap<>(comparator);
        break;
    }
    for (int i = 0; i < size; i++) {
      final int entryAt = rpos;
      final Object key = readValue();
      final Object value = readValue();
      try {
        map.put(key, value);
      } catch (RuntimeException e) {
        throw new CodecException(
            "cannot put decoded entry into " + map.getClass().getSimpleName() + ": " + e,
            entryAt,
            e);
      }
    }
    depth--;
    return kind == M_UNMODIFIABLE_MAP ? Collections.unmodifiableMap(map) : map;
  }

  private void require(final int bytes) {
    if (limit - rpos < bytes) {
      throw new CodecException(
          "truncated input: need " + bytes + " bytes, " + (limit - rpos) + " remain", rpos);
    }
  }

  /** Reads a count and checks that {@code count * minBytesEach} bytes remain. */
  private int getLength(final int minBytesEach) {
    final int at = rpos;
    final int length = getInt();
    if (length < 0) {
      throw new CodecException("negative length " + length, at);
    }
    if ((long) length * minBytesEach > limit - rpos) {
      throw new CodecException(
          "length "
              + length
              + " needs at least "
              + ((long) length * minBytesEach)
              + " bytes but only "
              + (limit - rpos)
              + " remain",
          at);
    }
    return length;
  }

  private byte getByte() {
    require(1);
    return in.getByte(rpos++);
  }

  private short getShort() {
    require(2);
    final short v = in.getShort(rpos, ORDER);
    rpos += 2;
    return v;
  }

  private int getInt() {
    require(4);
    final int v = in.getInt(rpos, ORDER);
    rpos += 4;
    return v;
  }

  private long getLong() {
    require(8);
    final long v = in.getLong(rpos, ORDER);
    rpos += 8;
    return v;
  }

  private String getString() {
    final int length = getLength(1);
    final String s = in.getStringWithoutLengthUtf8(rpos, length);
    rpos += length;
    return s;
  }
}
