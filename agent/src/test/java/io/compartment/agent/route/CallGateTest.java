package io.compartment.agent.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CallGateTest {
  private final CallGate gate = new CallGate();

  @Test
  void anOpenGateLetsCallsThrough() throws Exception {
    gate.enter();
    assertThat(gate.inFlight()).isEqualTo(1);
    gate.exit();
    assertThat(gate.inFlight()).isZero();
  }

  @Test
  void holdWaitsForTheCallInFlightAndStopsNewCallsUntilRelease() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    List<String> events = new CopyOnWriteArrayList<>();
    Thread inFlight =
        new Thread(
            () -> {
              try {
                gate.enter();
                inside.countDown();
                finish.await();
                events.add("in-flight call done");
                gate.exit();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    inFlight.start();
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

    Thread holder =
        new Thread(
            () -> {
              try {
                assertThat(gate.hold(30, TimeUnit.SECONDS)).isTrue();
                events.add("drained");
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    holder.start();
    while (!gate.holding()) Thread.onSpinWait();
    Thread late =
        new Thread(
            () -> {
              try {
                gate.enter();
                events.add("late call");
                gate.exit();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    late.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (gate.held() == 0 && System.nanoTime() < deadline) Thread.onSpinWait();
    assertThat(gate.held()).as("the late call waits at the held gate").isEqualTo(1);

    finish.countDown();
    holder.join(30_000);
    assertThat(events).containsExactly("in-flight call done", "drained");
    gate.release();
    late.join(30_000);
    assertThat(events).containsExactly("in-flight call done", "drained", "late call");
  }

  @Test
  void aHoldThatCannotDrainInTimeGivesUpAndReopensTheGate() throws Exception {
    gate.enter(); // a call that never leaves
    assertThat(gate.hold(50, TimeUnit.MILLISECONDS)).isFalse();
    gate.enter(); // the gate is open again
    assertThat(gate.inFlight()).isEqualTo(2);
  }
}
