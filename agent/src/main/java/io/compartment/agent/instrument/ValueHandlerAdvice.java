package io.compartment.agent.instrument;

import io.compartment.agent.live.RoutedCall;
import io.compartment.agent.live.Router;
import io.compartment.agent.runtime.Hooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@link HandlerAdvice} for handlers with a return value: a routed call waits for the worker's
 * answer in enter, and exit returns it (or throws what the handler threw in the worker).
 */
public final class ValueHandlerAdvice {
  private ValueHandlerAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = RoutedCall.class)
  static Object enter(
      @HandlerId int id,
      @Advice.This(optional = true) Object self,
      @Advice.AllArguments Object[] args) {
    if (Router.active) {
      Object routed = Router.route(id, self, args);
      if (routed != null) return routed;
    }
    Object token = Hooks.enter(id, self);
    if (token != null) {
      Hooks.arguments(token, args);
    }
    return token;
  }

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
