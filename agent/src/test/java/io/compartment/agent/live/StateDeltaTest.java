package io.compartment.agent.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.agent.route.KeyGroups;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StateDeltaTest {
  record Write(int slot, String value) {}

  record Pair(long a, String b) {}

  record Holder(byte[] bytes) {}

  private static final KeyGroups GROUPS = new KeyGroups(KeyGroups.DEFAULT_GROUPS);

  private static HandlerRoute keyed(String path) {
    return new HandlerRoute(null, 0, "Log#write", new KeyPath(path), false, false, false);
  }

  @Test
  void onlyEntriesUnderKeysWrittenSinceTheCopyAreShippedAndRemovedOnesAreNamed() {
    Map<Long, String> live = new HashMap<>();
    for (long k = 0; k < 1_000; k++) live.put(k, "v" + k);
    Map<Long, String> copy = new HashMap<>(live);
    DirtyKeys dirty = new DirtyKeys();
    HandlerRoute write = keyed("arg0.slot");
    // the calls carry int slots; the state is keyed by Long: one key after normalizing
    dirty.mark(write, new Object[] {new Write(7, "x")});
    live.put(7L, "changed");
    dirty.mark(write, new Object[] {new Write(2_000, "y")});
    live.put(2_000L, "new");
    dirty.mark(write, new Object[] {new Write(9, "gone")});
    live.remove(9L);
    live.put(11L, "changed behind the marks"); // not marked: a partitionable handler cannot do this

    StateDelta delta = StateDelta.of(copy, live, dirty, GROUPS, 3);

    Map<Object, Object> puts = new HashMap<>();
    Set<Object> removed = new HashSet<>();
    for (int w = 0; w < 3; w++) {
      puts.putAll((Map<?, ?>) delta.puts().get(w));
      removed.addAll(delta.removals().get(w));
    }
    assertThat(puts).containsOnly(Map.entry(7L, "changed"), Map.entry(2_000L, "new"));
    assertThat(removed).containsExactly(9L);
    assertThat(delta.entries()).isEqualTo(3);
  }

  @Test
  void eachChangeGoesToTheWorkerThatOwnsItsKeyGroup() {
    Map<Long, String> live = new HashMap<>();
    Map<Long, String> copy = new HashMap<>();
    DirtyKeys dirty = new DirtyKeys();
    for (long k = 0; k < 200; k++) {
      copy.put(k, "old");
      live.put(k, "new");
      dirty.mark(keyed("arg0.slot"), new Object[] {new Write((int) k, "")});
    }
    StateDelta delta = StateDelta.of(copy, live, dirty, GROUPS, 4);
    List<Object> split = StateDelta.byWorker(live, GROUPS, 4);
    for (int w = 0; w < 4; w++) {
      assertThat((Map<?, ?>) delta.puts().get(w)).isEqualTo(split.get(w));
      for (Object k : ((Map<?, ?>) split.get(w)).keySet()) {
        assertThat(KeyGroups.workerOf(GROUPS.groupOf(k), 4)).isEqualTo(w);
      }
    }
  }

  @Test
  void setsShipAddedElementsAndNameRemovedOnes() {
    Set<String> copy = new HashSet<>(List.of("a", "b", "c"));
    Set<String> live = new HashSet<>(List.of("a", "c", "d"));
    DirtyKeys dirty = new DirtyKeys();
    dirty.mark(keyed("arg0"), new Object[] {"b"});
    dirty.mark(keyed("arg0"), new Object[] {"d"});
    StateDelta delta = StateDelta.of(copy, live, dirty, GROUPS, 1);
    assertThat(delta.puts().get(0)).isEqualTo(Set.of("d"));
    assertThat(delta.removals().get(0)).containsExactly("b");
  }

  @Test
  void sortedMapsKeepTheirKindInTheDelta() {
    TreeMap<String, Integer> copy = new TreeMap<>(Map.of("a", 1));
    TreeMap<String, Integer> live = new TreeMap<>(Map.of("a", 2));
    DirtyKeys dirty = new DirtyKeys();
    dirty.mark(keyed("arg0"), new Object[] {"a"});
    assertThat(StateDelta.of(copy, live, dirty, GROUPS, 1).puts().get(0))
        .isInstanceOf(TreeMap.class);
  }

  @Test
  void recordKeysOfComparableComponentsAreTrackedAndOthersMakeEverythingDirty() {
    DirtyKeys dirty = new DirtyKeys();
    dirty.mark(keyed("arg0"), new Object[] {new Pair(1, "x")});
    assertThat(dirty.everything()).isNull();
    assertThat(dirty.contains(new Pair(1, "x"))).isTrue();
    assertThat(dirty.contains(new Pair(2, "x"))).isFalse();

    dirty.mark(keyed("arg0"), new Object[] {new Holder(new byte[] {1})});
    assertThat(dirty.everything()).contains(Holder.class.getName());
  }

  @Test
  void aHandlerWithoutAKeyOrAnUnreadableKeyMakesEverythingDirty() {
    DirtyKeys noKey = new DirtyKeys();
    noKey.mark(new HandlerRoute(null, 0, "Log#scan", null, false, false, false), new Object[0]);
    assertThat(noKey.everything()).contains("Log#scan has no partition key");

    DirtyKeys unreadable = new DirtyKeys();
    unreadable.mark(keyed("arg0.slot"), new Object[] {"not a Write"});
    assertThat(unreadable.everything()).contains("Log#write");

    DirtyKeys nullKey = new DirtyKeys();
    nullKey.mark(keyed("arg0"), new Object[] {null});
    assertThat(nullKey.everything()).contains("null");
  }

  @Test
  void stateKeysThatCannotBeComparedCountAsWritten() {
    DirtyKeys dirty = new DirtyKeys();
    assertThat(dirty.contains(new ArrayList<>(List.of(1)))).isTrue();
    assertThat(dirty.contains(5L)).isFalse();
    dirty.markKeys(List.of(5, "s"));
    assertThat(dirty.contains(5L)).isTrue();
    assertThat(dirty.contains("s")).isTrue();
    assertThat(dirty.everything()).isNull();
  }

  @Test
  void markedKeysOfTheStatesOwnKeyClassAreLookedUpPresentOnesPutAbsentOnesRemoved() {
    Map<Long, String> live = new HashMap<>(Map.of(1L, "one", 2L, "two"));
    DirtyKeys dirty = new DirtyKeys();
    dirty.mark(keyed("arg0"), new Object[] {2L});
    dirty.mark(keyed("arg0"), new Object[] {3L}); // written, then removed
    assertThat(StateDelta.keyClass(live)).isEqualTo(Long.class);

    StateDelta delta = StateDelta.lookup(dirty.lookupKeys(Long.class), live, GROUPS, 1);

    assertThat(delta.puts().get(0)).isEqualTo(Map.of(2L, "two"));
    assertThat(delta.removals().get(0)).containsExactly(3L);
  }

  @Test
  void keysOfAnotherClassThanTheStatesCannotBeLookedUp() {
    DirtyKeys dirty = new DirtyKeys();
    dirty.mark(keyed("arg0.slot"), new Object[] {new Write(7, "x")}); // an Integer
    assertThat(dirty.lookupKeys(Long.class)).isNull();
    assertThat(dirty.lookupKeys(Integer.class)).containsExactly(7);
    assertThat(dirty.lookupKeys(null)).isNull();
    assertThat(StateDelta.keyClass(Map.of())).isNull();
    assertThat(StateDelta.keyClass(new HashMap<>(Map.of(1L, "a", "b", "c")))).isNull();
  }

  @Test
  void callsThatWriteMoreKeysThanAQuarterOfTheStateMakeEverythingDirty() {
    assertThat(DirtyKeys.limitFor(100_000)).isEqualTo(25_000);
    assertThat(DirtyKeys.limitFor(10)).isEqualTo(DirtyKeys.MIN_KEYS);
    assertThat(DirtyKeys.limitFor(Long.MAX_VALUE)).isEqualTo(DirtyKeys.MAX_KEYS);
    DirtyKeys dirty = new DirtyKeys(DirtyKeys.limitFor(10));
    for (long k = 0; k <= DirtyKeys.MIN_KEYS; k++) {
      assertThat(dirty.everything()).isNull();
      dirty.mark(keyed("arg0"), new Object[] {k});
    }
    assertThat(dirty.everything()).contains("calls wrote faster than the copy moved");
  }

  @Test
  void splittingAContainerAmongWorkersLosesNothingAndKeepsItsKind() {
    TreeMap<Long, String> log = new TreeMap<>();
    for (long s = 0; s < 500; s++) log.put(s, "e" + s);
    List<Object> shares = StateDelta.byWorker(log, GROUPS, 3);
    Map<Object, Object> union = new HashMap<>();
    for (Object share : shares) {
      assertThat(share).isInstanceOf(TreeMap.class);
      union.putAll((Map<?, ?>) share);
    }
    assertThat(union).isEqualTo(log);
    Set<Object> voters = new HashSet<>();
    for (Object share : StateDelta.byWorker(Set.of("a", "b", "c"), GROUPS, 2)) {
      voters.addAll((Set<?>) share);
    }
    assertThat(voters).containsExactlyInAnyOrder("a", "b", "c");
  }
}
