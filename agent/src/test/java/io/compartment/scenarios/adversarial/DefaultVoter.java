package io.compartment.scenarios.adversarial;

import io.compartment.api.Handler;
import io.compartment.scenarios.adversarial.Msgs.Vote;
import java.util.Map;

/** A handler in an interface default method; the state comes from the implementation. */
interface DefaultVoter {
  Map<Integer, Integer> tally();

  @Handler
  default void onVote(Vote v) {
    tally().merge(v.ballot(), 1, Integer::sum);
  }
}
