package io.compartment.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WorkloadRunnerTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aBudgetKeptOpenPastItsDeadlineLetsTheLoopWaitUntilTheNextReport() {
    long now = System.nanoTime();
    Budget budget = new Budget(Long.MAX_VALUE, now - 5 * SECOND);
    budget.keepOpen(true); // a live script is still measuring, long after --duration

    assertThat(WorkloadRunner.sliceEnd(now + SECOND, 0, budget)).isEqualTo(now + SECOND);
  }

  @Test
  void anOpenBudgetEndsTheSliceAtItsDeadlineSoThatItClosesOnTime() {
    long now = System.nanoTime();
    Budget budget = new Budget(Long.MAX_VALUE, now + SECOND / 2);

    assertThat(WorkloadRunner.sliceEnd(now + SECOND, 0, budget)).isEqualTo(now + SECOND / 2);
    assertThat(WorkloadRunner.sliceEnd(now + SECOND / 4, 0, budget)).isEqualTo(now + SECOND / 4);
  }

  @Test
  void whileDrainingTheSliceEndsAtTheDrainDeadlineAtTheLatest() {
    long now = System.nanoTime();
    Budget budget = new Budget(Long.MAX_VALUE, now - SECOND);
    budget.close();

    assertThat(WorkloadRunner.sliceEnd(now + SECOND, now + SECOND / 3, budget))
        .isEqualTo(now + SECOND / 3);
    assertThat(WorkloadRunner.sliceEnd(now + SECOND, now + 2 * SECOND, budget))
        .isEqualTo(now + SECOND);
  }
}
