package io.compartment.demo.kv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KvThroughputTest {

  @Test
  void measuresAPositiveRateFromAClosedLoop() {
    KvThroughput bench = new KvThroughput(1000, 3);
    double rate = bench.measure(0.2);
    assertThat(rate).isPositive();
    assertThat(bench.completed()).isPositive();
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(KvThroughput.median(new double[] {5, 1, 3})).isEqualTo(3);
    assertThat(KvThroughput.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
  }
}
