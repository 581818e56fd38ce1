package io.compartment.agent.runtime;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Ids for rewritten sites and handlers, handed to bootstrap methods and advice as constants.
 * Append-only. Reads are plain loads on the hot path; a reader that does not yet see an entry
 * (published by another thread) falls back to a synchronized read.
 */
public final class SiteTable<T> {
  private Object[] entries = new Object[256];
  private int size;

  /** Adds the entry made for the next id and returns that id. */
  public synchronized int add(IntFunction<T> factory) {
    return add(factory.apply(size));
  }

  /** Adds an entry and returns its id. */
  public synchronized int add(T entry) {
    Object[] current = entries;
    if (size == current.length) {
      current = Arrays.copyOf(current, size * 2);
    }
    current[size] = entry;
    entries = current;
    return size++;
  }

  /** Every entry, in id order. */
  @SuppressWarnings("unchecked")
  public synchronized java.util.List<T> entries() {
    java.util.List<T> out = new java.util.ArrayList<>(size);
    for (int i = 0; i < size; i++) out.add((T) entries[i]);
    return out;
  }

  @SuppressWarnings("unchecked")
  public T get(int id) {
    Object[] current = entries;
    if (id < current.length) {
      Object e = current[id];
      if (e != null) return (T) e;
    }
    synchronized (this) {
      return (T) entries[id];
    }
  }
}
