package io.compartment.agent.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compartment.agent.config.AgentConfig;
import java.util.concurrent.CompletableFuture;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;

class LiveIdleTest {
  @Test
  void everyValueTheConfigAcceptsParses() {
    for (String v : AgentConfig.LIVE_IDLE_VALUES)
      assertThat(LiveIdle.parse(v).label()).isEqualTo(v);
    assertThat(LiveIdle.parse(null)).isEqualTo(LiveIdle.BACKOFF);
    assertThat(LiveIdle.parse(" Spin ")).isEqualTo(LiveIdle.SPIN);
  }

  @Test
  void unknownValueNamesTheOptionAndTheKnownValues() {
    assertThatThrownBy(() -> LiveIdle.parse("busy"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("live.idle=busy")
        .hasMessageContaining("backoff, yield, spin");
  }

  @Test
  void strategies() {
    assertThat(LiveIdle.BACKOFF.worker()).isInstanceOf(BackoffIdleStrategy.class);
    assertThat(LiveIdle.YIELD.poller()).isInstanceOf(YieldingIdleStrategy.class);
    assertThat(LiveIdle.SPIN.worker()).isInstanceOf(BusySpinIdleStrategy.class);
    assertThat(LiveIdle.SPIN.transportName()).isEqualTo("busy");
  }

  @Test
  void aCallerSpinsOnlyBriefly() {
    CompletableFuture<Object> never = new CompletableFuture<>();
    long t0 = System.nanoTime();
    LiveIdle.SPIN.awaitBriefly(never);
    LiveIdle.YIELD.awaitBriefly(never);
    LiveIdle.BACKOFF.awaitBriefly(never);
    assertThat(never).isNotDone();
    // returns: the spin is bounded (no timing threshold beyond "it came back")
    assertThat(System.nanoTime()).isGreaterThan(t0);
  }
}
