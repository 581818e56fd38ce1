package io.compartment.scenarios;

import java.util.AbstractMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A minimal immutable map with a functional update, like those of persistent-collection libraries.
 */
final class PersistentMap<K, V> extends AbstractMap<K, V> {
  private final Map<K, V> entries;

  private PersistentMap(Map<K, V> entries) {
    this.entries = entries;
  }

  static <K, V> PersistentMap<K, V> empty() {
    return new PersistentMap<>(Map.of());
  }

  /** A new map with {@code key} set to {@code value}; this one is unchanged. */
  PersistentMap<K, V> plus(K key, V value) {
    Map<K, V> next = new HashMap<>(entries);
    next.put(key, value);
    return new PersistentMap<>(next);
  }

  @Override
  public V get(Object key) {
    return entries.get(key);
  }

  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    return entries.entrySet();
  }
}
