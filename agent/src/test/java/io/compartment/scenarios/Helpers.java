package io.compartment.scenarios;

import io.compartment.api.Emit;
import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.scenarios.Messages.Vote;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** State reached through a private helper, a local alias, a lambda and an inner class. */
@ProtocolService
class Helpers {
  @State private final Map<Long, Set<Integer>> tally = new HashMap<>();
  @State private final Map<Long, Integer> decided = new HashMap<>();
  private final int quorum = 2;

  @Handler
  void onVote(Vote v) {
    List.of(v).forEach(x -> record(x));
    new Decider().maybeDecide(v);
  }

  private void record(Vote v) {
    Map<Long, Set<Integer>> alias = tally;
    alias.computeIfAbsent(keyOf(v), k -> new HashSet<>()).add(v.voter());
  }

  private static long keyOf(Vote v) {
    return v.request();
  }

  private final class Decider {
    void maybeDecide(Vote v) {
      Set<Integer> votes = tally.get(v.request());
      if (votes.size() >= quorum && !decided.containsKey(v.request())) {
        decided.put(v.request(), votes.size());
        announce(v.request());
      }
    }
  }

  @Emit
  void announce(long request) {}
}
