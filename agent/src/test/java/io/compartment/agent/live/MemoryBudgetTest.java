package io.compartment.agent.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
  private static final long GB = 1_000_000_000L;

  @AfterEach
  void clear() {
    System.clearProperty(MemoryBudget.CHECK_PROP);
    System.clearProperty(MemoryBudget.ENTRY_BYTES_PROP);
  }

  @Test
  void aStateValueCountsItsEntries() {
    assertThat(MemoryBudget.entries(Map.of(1, 2, 3, 4))).isEqualTo(2);
    assertThat(MemoryBudget.entries(List.of(1, 2, 3))).isEqualTo(3);
    assertThat(MemoryBudget.entries(new long[7])).as("stored whole").isEqualTo(1);
    assertThat(MemoryBudget.entries(42L)).isEqualTo(1);
  }

  @Test
  void aStateThatFitsIsLetThrough() {
    // 1 million entries x 600 B = 0.6 GB, under 80% of 1 GB
    assertThat(MemoryBudget.refusal(1_000_000, 1, GB)).isNull();
  }

  @Test
  void aStateTooLargeForTheMachineIsRefusedWithTheFiguresAndTheWayOut() {
    String why = MemoryBudget.refusal(17_086_109, 1, 9 * GB);

    assertThat(why)
        .contains("about 10.3 GB for 17,086,109 state entries (600 B each")
        .contains("more than 80% of the 9.0 GB this machine has available")
        .contains("-Dcompartment.live.memory.check=false");
  }

  @Test
  void replicasEachHoldTheWholeState() {
    assertThat(MemoryBudget.refusal(1_000_000, 1, GB)).isNull();
    assertThat(MemoryBudget.refusal(1_000_000, 2, GB)).contains("held by each of 2 replicas");
  }

  @Test
  void theCheckCanBeTurnedOffAndItsEntrySizeSet() {
    System.setProperty(MemoryBudget.ENTRY_BYTES_PROP, "100");
    assertThat(MemoryBudget.refusal(17_086_109, 1, 9 * GB)).isNull();
    System.setProperty(MemoryBudget.ENTRY_BYTES_PROP, "10k");
    assertThatThrownBy(() -> MemoryBudget.refusal(1, 1, GB))
        .hasMessageContaining("compartment.live.memory.entry.bytes=10k is not a whole number");
    System.setProperty(MemoryBudget.CHECK_PROP, "false");
    assertThat(MemoryBudget.refusal(Long.MAX_VALUE / 1000, 1, GB)).isNull();
  }

  @Test
  void unknownMemoryChecksNothingAndThisMachinesIsKnown() {
    assertThat(MemoryBudget.refusal(Long.MAX_VALUE / 1000, 1, -1)).isNull();
    assertThat(MemoryBudget.availableBytes()).isPositive();
  }
}
