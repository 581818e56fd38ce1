package io.compartment.agent.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoutingCostTest {
  private static long sink;

  private static void work() {
    for (int i = 0; i < 20_000; i++) sink += i * 31L ^ sink;
  }

  @Test
  void theHostCpuPerRoutedCallIsMeasuredOnlyOnceEnoughCallsWereTimed() {
    long before = RoutingCost.calls();
    for (long i = before; i < RoutingCost.MIN_CALLS - 1; i++) {
      long start = RoutingCost.begin(i);
      work();
      RoutingCost.end(start);
    }
    assertThat(RoutingCost.measuredNs()).as("one call short").isZero();

    long start = RoutingCost.begin(RoutingCost.MIN_CALLS - 1);
    work();
    RoutingCost.end(start);

    // every 64th call was timed, each doing the same work: the mean is that work's CPU time
    assertThat(RoutingCost.measuredNs()).isPositive().isLessThan(100_000_000L);
  }
}
