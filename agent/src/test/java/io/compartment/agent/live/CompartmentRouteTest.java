package io.compartment.agent.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.transport.codec.TypeRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompartmentRouteTest {
  record Write(long slot) {}

  private final CompartmentRoute route =
      new CompartmentRoute(
          new Object(),
          "Log#1",
          "PARTITION",
          TypeRegistry.builder().build(),
          new Emitters(new Object(), List.of(), List.of()),
          1_000);

  private final HandlerRoute write =
      new HandlerRoute(route, 0, "Log#write", new KeyPath("arg0.slot"), false, false, false);

  @Test
  void aCallDuringThePreCopyRunsHereAndMarksItsKey() {
    route.phase = CompartmentRoute.Phase.PRECOPY;

    assertThat(route.call(write, new Object[] {new Write(7)})).isNull();

    assertThat(route.dirty.contains(7L)).isTrue();
    assertThat(route.dirty.contains(8L)).isFalse();
  }

  @Test
  void aCallThatFindsTheGateOpenWhileHoldingStillMarksItsKey() {
    route.phase = CompartmentRoute.Phase.HOLDING; // the gate is open: never expected, kept safe

    assertThat(route.call(write, new Object[] {new Write(9)})).isNull();

    assertThat(route.dirty.contains(9L)).isTrue();
  }

  @Test
  void aCallAfterDisableRunsHereWithoutMarking() {
    route.phase = CompartmentRoute.Phase.CLOSED;

    assertThat(route.call(write, new Object[] {new Write(3)})).isNull();

    assertThat(route.dirty.size()).isZero();
  }
}
