package io.compartment.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HandlerInfoBudgetTest {
  @AfterEach
  void adaptiveAgain() {
    HandlerInfo.costBudget(true);
  }

  private static HandlerInfo handlerRecordedAt(long nanosPerCall) {
    HandlerInfo h = new HandlerInfo(1, "S", "m", "(J)V", "S.m(long)", null);
    for (int i = 0; i < HandlerInfo.COLD_CALLS + 100; i++) h.recordedCost(nanosPerCall);
    return h;
  }

  @Test
  void expensiveRecordingIsThinnedToTheBudgetByDefault() {
    HandlerInfo h = handlerRecordedAt(HandlerInfo.RECORDING_BUDGET_NS * 10);

    assertThat(h.sampleMask()).as("one call in 16 or fewer recorded").isGreaterThanOrEqualTo(15);
  }

  @Test
  void withSampleAllEveryCallIsRecordedWhateverItCosts() {
    HandlerInfo.costBudget(false);

    HandlerInfo h = handlerRecordedAt(HandlerInfo.RECORDING_BUDGET_NS * 10);

    assertThat(h.sampleMask()).isZero();
  }
}
