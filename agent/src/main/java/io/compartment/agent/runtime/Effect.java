package io.compartment.agent.runtime;

import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;

/**
 * What a method call does to the object it is called on, judged from the receiver's run-time type
 * and the method's name and arity. Anything not known is {@link #UNKNOWN} (or {@link #GETTER} for a
 * no-argument method returning a value), which the recorder counts conservatively.
 */
enum Effect {
  KEYED_READ,
  KEYED_PUT,
  KEYED_PUT_IF_ABSENT,
  KEYED_COMPUTE_IF_ABSENT,
  KEYED_COMPUTE,
  KEYED_REMOVE,
  KEYED_REPLACE,
  SET_ADD,
  APPEND,
  INDEX_READ,
  INDEX_SET,
  WHOLE_READ,
  WHOLE_VIEW,
  WHOLE_GROW,
  WHOLE_WRITE,
  WHOLE_POLL,
  VALUE_READ,
  VALUE_WRITE,
  GETTER,
  /**
   * A no-argument method of a collection not known by name: a view or read when the collection's
   * own code merely reads (see {@link PureMethods}), otherwise {@link #UNKNOWN}.
   */
  DEFAULT_VIEW,
  UNKNOWN;

  boolean isKeyed() {
    return switch (this) {
      case KEYED_READ,
              KEYED_PUT,
              KEYED_PUT_IF_ABSENT,
              KEYED_COMPUTE_IF_ABSENT,
              KEYED_COMPUTE,
              KEYED_REMOVE,
              KEYED_REPLACE,
              SET_ADD,
              INDEX_READ,
              INDEX_SET ->
          true;
      default -> false;
    };
  }

  /** True when the call's result is an element, value or view of the receiver. */
  boolean yieldsContent() {
    return switch (this) {
      case KEYED_READ,
              KEYED_COMPUTE_IF_ABSENT,
              KEYED_COMPUTE,
              INDEX_READ,
              WHOLE_VIEW,
              WHOLE_POLL,
              GETTER ->
          true;
      default -> false;
    };
  }

  static Effect of(Object receiver, String name, int argc) {
    if (receiver instanceof Map) return ofMap(name, argc);
    if (receiver instanceof List) return ofList(name, argc);
    if (receiver instanceof Deque || receiver instanceof Queue) return ofQueue(name, argc);
    if (receiver instanceof Set || receiver instanceof Collection) return ofSet(name, argc);
    if (receiver instanceof Iterator) {
      return switch (name) {
        case "next", "hasNext", "forEachRemaining" -> WHOLE_VIEW;
        case "remove" -> WHOLE_WRITE;
        default -> UNKNOWN;
      };
    }
    if (receiver instanceof Map.Entry) {
      return switch (name) {
        case "getKey", "getValue" -> GETTER;
        case "setValue" -> VALUE_WRITE;
        default -> argc == 0 ? GETTER : UNKNOWN;
      };
    }
    if (isAtomic(receiver)) return ofAtomic(name);
    return UNKNOWN;
  }

  static boolean isAtomic(Object o) {
    return o instanceof java.util.concurrent.atomic.AtomicLong
        || o instanceof java.util.concurrent.atomic.AtomicInteger
        || o instanceof java.util.concurrent.atomic.AtomicBoolean
        || o instanceof java.util.concurrent.atomic.AtomicReference
        || o instanceof java.util.concurrent.atomic.LongAdder
        || o instanceof java.util.concurrent.atomic.LongAccumulator;
  }

  private static Effect ofMap(String name, int argc) {
    return switch (name) {
      case "get", "containsKey", "getOrDefault" -> KEYED_READ;
      case "put" -> KEYED_PUT;
      case "putIfAbsent" -> KEYED_PUT_IF_ABSENT;
      case "computeIfAbsent" -> KEYED_COMPUTE_IF_ABSENT;
      case "compute", "computeIfPresent", "merge" -> KEYED_COMPUTE;
      case "remove" -> argc >= 1 ? KEYED_REMOVE : UNKNOWN;
      case "replace" -> KEYED_REPLACE;
      case "size", "isEmpty", "containsValue", "equals", "hashCode", "toString", "forEach" ->
          WHOLE_READ;
      case "keySet",
              "values",
              "entrySet",
              "headMap",
              "tailMap",
              "subMap",
              "descendingMap",
              "navigableKeySet",
              "descendingKeySet",
              "firstEntry",
              "lastEntry",
              "floorEntry",
              "ceilingEntry",
              "higherEntry",
              "lowerEntry",
              "firstKey",
              "lastKey",
              "floorKey",
              "ceilingKey",
              "higherKey",
              "lowerKey",
              "sequencedKeySet",
              "sequencedValues",
              "sequencedEntrySet",
              "reversed" ->
          WHOLE_VIEW;
      case "putAll" -> WHOLE_GROW;
      case "clear", "replaceAll" -> WHOLE_WRITE;
      case "pollFirstEntry", "pollLastEntry" -> WHOLE_POLL;
      default -> argc == 0 ? DEFAULT_VIEW : UNKNOWN;
    };
  }

  private static Effect ofSet(String name, int argc) {
    return switch (name) {
      case "add" -> SET_ADD;
      case "contains" -> KEYED_READ;
      case "remove" -> KEYED_REMOVE;
      case "addAll" -> WHOLE_GROW;
      case "clear", "removeIf", "removeAll", "retainAll" -> WHOLE_WRITE;
      case "pollFirst", "pollLast" -> WHOLE_POLL;
      default -> commonRead(name, argc);
    };
  }

  private static Effect ofList(String name, int argc) {
    return switch (name) {
      case "get" -> INDEX_READ;
      case "set" -> INDEX_SET;
      case "add", "addLast" -> argc == 1 ? APPEND : WHOLE_WRITE;
      case "addAll" -> argc == 1 ? WHOLE_GROW : WHOLE_WRITE;
      case "remove",
              "removeFirst",
              "removeLast",
              "clear",
              "removeIf",
              "removeAll",
              "retainAll",
              "sort",
              "replaceAll",
              "addFirst" ->
          WHOLE_WRITE;
      default -> commonRead(name, argc);
    };
  }

  private static Effect ofQueue(String name, int argc) {
    return switch (name) {
      case "add", "offer", "offerLast", "addLast", "push", "offerFirst", "addFirst", "put" ->
          APPEND;
      case "addAll" -> WHOLE_GROW;
      case "poll",
              "pop",
              "remove",
              "removeFirst",
              "removeLast",
              "pollFirst",
              "pollLast",
              "take",
              "clear",
              "removeIf",
              "removeAll",
              "retainAll",
              "drainTo" ->
          argc == 0 || !name.equals("remove") ? WHOLE_POLL : WHOLE_WRITE;
      default -> commonRead(name, argc);
    };
  }

  private static Effect commonRead(String name, int argc) {
    return switch (name) {
      case "size",
              "isEmpty",
              "containsAll",
              "equals",
              "hashCode",
              "toString",
              "indexOf",
              "lastIndexOf",
              "forEach",
              "toArray",
              "contains" ->
          WHOLE_READ;
      case "iterator",
              "listIterator",
              "stream",
              "parallelStream",
              "spliterator",
              "first",
              "last",
              "floor",
              "ceiling",
              "higher",
              "lower",
              "headSet",
              "tailSet",
              "subSet",
              "subList",
              "descendingSet",
              "descendingIterator",
              "peek",
              "element",
              "peekFirst",
              "peekLast",
              "getFirst",
              "getLast",
              "reversed" ->
          WHOLE_VIEW;
      default -> argc == 0 ? DEFAULT_VIEW : UNKNOWN;
    };
  }

  private static Effect ofAtomic(String name) {
    return switch (name) {
      case "get",
              "intValue",
              "longValue",
              "doubleValue",
              "floatValue",
              "getPlain",
              "getAcquire",
              "getOpaque",
              "sum",
              "toString" ->
          VALUE_READ;
      default -> VALUE_WRITE;
    };
  }
}
