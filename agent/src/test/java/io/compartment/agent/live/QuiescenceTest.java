package io.compartment.agent.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class QuiescenceTest {
  private static final Set<String> HANDLERS = Set.of("demo.Registers#write");

  private static StackTraceElement frame(String cls, String method) {
    return new StackTraceElement(cls, method, null, -1);
  }

  private static StackTraceElement[] under(StackTraceElement... top) {
    StackTraceElement[] stack = new StackTraceElement[top.length + 3];
    System.arraycopy(top, 0, stack, 0, top.length);
    stack[top.length] = frame("io.compartment.agent.live.CompartmentRoute", "call");
    stack[top.length + 1] = frame("io.compartment.agent.live.Router", "route");
    stack[top.length + 2] = frame("demo.Registers", "write");
    return stack;
  }

  @Test
  void aThreadWaitingToPassTheGateIsNotInsideItsHandler() {
    StackTraceElement[] waiting =
        under(
            frame("jdk.internal.misc.Unsafe", "park"),
            frame("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject", "await"),
            frame("io.compartment.agent.route.CallGate", "enter"),
            frame("io.compartment.agent.route.CallGate", "enterUninterruptibly"));

    assertThat(Quiescence.handlerFrame(waiting, HANDLERS)).isNull();
  }

  @Test
  void aThreadLeavingTheGateIsInsideItsHandlerBecauseItMayYetRunTheBodyHere() {
    StackTraceElement[] leaving =
        under(
            frame("java.util.concurrent.locks.ReentrantLock", "lock"),
            frame("io.compartment.agent.route.CallGate", "exit"));

    assertThat(Quiescence.handlerFrame(leaving, HANDLERS))
        .isNotNull()
        .extracting(StackTraceElement::getMethodName)
        .isEqualTo("write");
  }

  @Test
  void aThreadBackingOutOfTheGateToWaitIsNotInside() {
    StackTraceElement[] backingOut =
        under(
            frame("io.compartment.agent.route.CallGate", "exit"),
            frame("io.compartment.agent.route.CallGate", "enter"));

    assertThat(Quiescence.handlerFrame(backingOut, HANDLERS)).isNull();
  }
}
