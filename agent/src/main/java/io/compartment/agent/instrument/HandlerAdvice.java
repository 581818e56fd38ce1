package io.compartment.agent.instrument;

import io.compartment.agent.live.RoutedCall;
import io.compartment.agent.live.Router;
import io.compartment.agent.runtime.Hooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into every handler. The argument array is built only for a recorded or routed call:
 * ByteBuddy materializes {@code @AllArguments} where it is read. A routed call returns a {@link
 * RoutedCall} from enter, and the body is skipped. The exit here is for handlers that return
 * nothing; {@link ValueHandlerAdvice} has the exit of the others.
 */
public final class HandlerAdvice {
  private HandlerAdvice() {}

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
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
      @Advice.Thrown(readOnly = false) Throwable thrown) {
    if (token != null) {
      if (token instanceof RoutedCall call) {
        if (call.failure() != null) thrown = call.failure();
      } else {
        Hooks.exit(token, returned);
      }
    }
  }
}
