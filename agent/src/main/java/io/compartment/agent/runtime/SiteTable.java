package io.compartment.agent.runtime;

import java.util.Arrays;

/**
 * Ids for rewritten sites, handed to the bootstrap methods as constants. Append-only; reads are
 * lock-free after publication through the volatile array.
 */
public final class SiteTable<T> {
  private volatile Object[] entries = new Object[256];
  private int size;

  /** Adds the entry made for the next id and returns that id. */
  public synchronized int add(java.util.function.IntFunction<T> factory) {
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

  @SuppressWarnings("unchecked")
  public T get(int id) {
    return (T) entries[id];
  }
}
