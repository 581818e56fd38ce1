package io.compartment.agent.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compartment.analyzer.trace.StateFieldInfo;
import io.compartment.analyzer.trace.StateKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StateSplitTest {
  static final class Log {
    private final TreeMap<Long, String> entries = new TreeMap<>();
  }

  static final class Acceptor {
    private long ballot = 7;
    private final Map<Long, String> accepted = new HashMap<>();
    private final Set<String> voters = new HashSet<>();
    private final Log log = new Log();
    private Map<String, Integer> frozen = Map.of("a", 1);
  }

  private static StateFieldInfo info(String id, Class<?> owner, String name) {
    return new StateFieldInfo(id, owner.getName(), name, "java.lang.Object", StateKind.OBJECT);
  }

  private final KeyGroups kg = new KeyGroups(16);

  @Test
  void stateFieldsAreFoundOnTheRootAndOnHoldersReachableFromIt() {
    Acceptor a = new Acceptor();
    List<StateSplit.Located> found =
        StateSplit.locate(
            a,
            List.of(
                info("accepted", Acceptor.class, "accepted"),
                info("Log.entries", Log.class, "entries")));
    assertThat(found.get(0).holder()).isSameAs(a);
    assertThat(found.get(1).holder()).isSameAs(a.log);
    assertThatThrownBy(() -> StateSplit.locate(a, List.of(info("x", String.class, "value"))))
        .hasMessageContaining("no object of class java.lang.String");
  }

  @Test
  @SuppressWarnings("unchecked")
  void mergingRefillsThePartitionedFieldsInPlaceAndJoinsReplicatedOnes() {
    Acceptor a = new Acceptor();
    for (long s = 0; s < 100; s++) a.accepted.put(s, "v" + s);
    Map<Long, String> sameObject = a.accepted;
    List<StateSplit.Located> partitioned =
        StateSplit.locate(a, List.of(info("accepted", Acceptor.class, "accepted")));
    List<StateSplit.Located> replicated =
        StateSplit.locate(a, List.of(info("ballot", Acceptor.class, "ballot")));
    List<Map<String, Object>> states = new ArrayList<>();
    for (int w = 0; w < 2; w++) { // two workers' states: the keys of even or odd groups
      Map<Object, Object> share = new HashMap<>();
      for (Map.Entry<Long, String> e : a.accepted.entrySet()) {
        if (kg.groupOf(e.getKey()) % 2 == w) share.put(e.getKey(), e.getValue());
      }
      share.put(1000L + states.size(), "new");
      Map<String, Object> state = new HashMap<>();
      state.put("accepted", share);
      state.put("ballot", 7L + states.size());
      states.add(state);
    }

    StateSplit.merge(partitioned, replicated, states);

    assertThat(a.accepted).isSameAs(sameObject).hasSize(100 + states.size());
    assertThat(a.ballot).isEqualTo(7L + states.size() - 1);
  }

  @Test
  void anImmutableCollectionIsReplacedByTheMergedOne() {
    Acceptor a = new Acceptor();
    List<StateSplit.Located> frozen =
        StateSplit.locate(a, List.of(info("frozen", Acceptor.class, "frozen")));
    Map<String, Object> p1 = Map.of("frozen", Map.of("a", 1));
    Map<String, Object> p2 = Map.of("frozen", Map.of("b", 2));

    StateSplit.merge(frozen, List.of(), List.of(p1, p2));

    assertThat(a.frozen).containsOnly(Map.entry("a", 1), Map.entry("b", 2));
  }

  @Test
  void joinIsMaxUnionAndPointwiseAndRefusesWhatHasNoJoin() {
    assertThat(StateSplit.join(3L, 9L, "b")).isEqualTo(9L);
    assertThat(StateSplit.join(Set.of(1), Set.of(2), "s")).isEqualTo(Set.of(1, 2));
    assertThat(StateSplit.join(Map.of("k", 1L), Map.of("k", 4L, "j", 2L), "m"))
        .isEqualTo(Map.of("k", 4L, "j", 2L));
    assertThat(StateSplit.join(false, true, "f")).isEqualTo(true);
    assertThatThrownBy(() -> StateSplit.join(new Object(), new Object(), "weird"))
        .hasMessageContaining("replicated field weird")
        .hasMessageContaining("no lattice join");
  }
}
