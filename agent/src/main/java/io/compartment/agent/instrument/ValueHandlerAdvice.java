package io.compartment.agent.instrument;

import io.compartment.agent.live.RoutedCall;
import io.compartment.agent.runtime.Hooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * The exit of a handler with a return value, paired with {@link HandlerAdvice}'s enter: a routed
 * call returns the worker's answer (or throws what the handler threw in the worker).
 */
public final class ValueHandlerAdvice {
  private ValueHandlerAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Enter Object token,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned,
      @Advice.Thrown(readOnly = false) Throwable thrown) {
    if (token != null) {
      if (token instanceof RoutedCall call) {
        if (call.failure() != null) {
          thrown = call.failure();
        } else {
          returned = call.value();
        }
      } else {
        Hooks.exit(token, returned);
      }
    }
  }
}
