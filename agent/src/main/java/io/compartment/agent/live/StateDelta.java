package io.compartment.agent.live;

import io.compartment.agent.route.KeyGroups;
import io.compartment.agent.route.StateSplit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What changed in one partitioned container since it was copied for the pre-copy, per worker: the
 * entries (or elements) under dirty keys as they are now, and the dirty keys that were in the copy
 * and are gone. Both containers are scanned whole rather than looked up key by key, so a key that
 * differs from the calls' keys only in its boxed type is still found.
 *
 * @param puts for each worker, a container like the field's with the entries to put
 * @param removals for each worker, the keys to remove (empty sets where none)
 * @param entries entries and removals in all
 */
record StateDelta(List<Object> puts, List<Set<Object>> removals, long entries) {

  /**
   * @param copy the container as it was copied under the first hold
   * @param live the same field's container now, under the second hold
   * @param dirty the keys written since the copy
   * @param groups the key groups of the compartment's route
   * @param workers how many workers share the groups
   */
  static StateDelta of(Object copy, Object live, DirtyKeys dirty, KeyGroups groups, int workers) {
    List<Object> puts = new ArrayList<>(workers);
    List<Set<Object>> removals = new ArrayList<>(workers);
    for (int w = 0; w < workers; w++) {
      puts.add(StateSplit.emptyLike(live));
      removals.add(new HashSet<>());
    }
    long entries = 0;
    if (live instanceof Map<?, ?> now) {
      for (Map.Entry<?, ?> e : now.entrySet()) {
        if (!dirty.contains(e.getKey())) continue;
        @SuppressWarnings("unchecked")
        Map<Object, Object> into =
            (Map<Object, Object>) puts.get(owner(e.getKey(), groups, workers));
        into.put(e.getKey(), e.getValue());
        entries++;
      }
      for (Object k : ((Map<?, ?>) copy).keySet()) {
        if (dirty.contains(k) && !now.containsKey(k)) {
          removals.get(owner(k, groups, workers)).add(k);
          entries++;
        }
      }
    } else if (live instanceof Set<?> now) {
      for (Object k : now) {
        if (!dirty.contains(k)) continue;
        @SuppressWarnings("unchecked")
        Set<Object> into = (Set<Object>) puts.get(owner(k, groups, workers));
        into.add(k);
        entries++;
      }
      for (Object k : (Set<?>) copy) {
        if (dirty.contains(k) && !now.contains(k)) {
          removals.get(owner(k, groups, workers)).add(k);
          entries++;
        }
      }
    } else {
      throw new IllegalArgumentException(
          "not a map or set: " + (live == null ? "null" : live.getClass().getName()));
    }
    return new StateDelta(puts, removals, entries);
  }

  /**
   * The delta by looking the marked keys up in {@code live}, for keys of the container's own class
   * ({@link DirtyKeys#lookupKeys}): a key present is put, one absent is removed (a no-op where the
   * worker never had it). Costs the marked keys, not the state.
   */
  @SuppressWarnings("unchecked")
  static StateDelta lookup(
      java.util.Collection<Object> keys, Object live, KeyGroups groups, int workers) {
    List<Object> puts = new ArrayList<>(workers);
    List<Set<Object>> removals = new ArrayList<>(workers);
    for (int w = 0; w < workers; w++) {
      puts.add(StateSplit.emptyLike(live));
      removals.add(new HashSet<>());
    }
    for (Object k : keys) {
      int w = owner(k, groups, workers);
      if (live instanceof Map<?, ?> m) {
        if (m.containsKey(k)) ((Map<Object, Object>) puts.get(w)).put(k, m.get(k));
        else removals.get(w).add(k);
      } else if (((Set<?>) live).contains(k)) {
        ((Set<Object>) puts.get(w)).add(k);
      } else {
        removals.get(w).add(k);
      }
    }
    return new StateDelta(puts, removals, keys.size());
  }

  /**
   * The one class of {@code container}'s keys (or elements), or null when it is empty or holds keys
   * of several classes.
   */
  static Class<?> keyClass(Object container) {
    Iterable<?> keys = container instanceof Map<?, ?> m ? m.keySet() : (Set<?>) container;
    Class<?> one = null;
    for (Object k : keys) {
      if (k == null) return null;
      if (one == null) one = k.getClass();
      else if (k.getClass() != one) return null;
    }
    return one;
  }

  /** {@code container}'s entries (or elements) split among {@code workers} by key group. */
  static List<Object> byWorker(Object container, KeyGroups groups, int workers) {
    return byWorker(container, groups, workers, () -> false);
  }

  /**
   * {@link #byWorker(Object, KeyGroups, int)}, given up (null) as soon as {@code stop} holds; it is
   * asked every {@value #STOP_EVERY} entries.
   */
  @SuppressWarnings("unchecked")
  static List<Object> byWorker(
      Object container, KeyGroups groups, int workers, java.util.function.BooleanSupplier stop) {
    List<Object> shares = new ArrayList<>(workers);
    for (int w = 0; w < workers; w++) shares.add(StateSplit.emptyLike(container));
    int n = 0;
    if (container instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (++n % STOP_EVERY == 0 && stop.getAsBoolean()) return null;
        ((Map<Object, Object>) shares.get(owner(e.getKey(), groups, workers)))
            .put(e.getKey(), e.getValue());
      }
    } else {
      for (Object k : (Set<?>) container) {
        if (++n % STOP_EVERY == 0 && stop.getAsBoolean()) return null;
        ((Set<Object>) shares.get(owner(k, groups, workers))).add(k);
      }
    }
    return shares;
  }

  /** Entries split between two looks at the stop condition. */
  static final int STOP_EVERY = 4096;

  private static int owner(Object key, KeyGroups groups, int workers) {
    return KeyGroups.workerOf(groups.groupOf(key), workers);
  }
}
