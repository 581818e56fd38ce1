package io.compartment.agent.instrument;

import io.compartment.agent.runtime.Hooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into every handler. The argument array is built only for a recorded call: ByteBuddy
 * materializes {@code @AllArguments} where it is read.
 */
public final class HandlerAdvice {
  private HandlerAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(
      @HandlerId int id,
      @Advice.This(optional = true) Object self,
      @Advice.AllArguments Object[] args) {
    Object token = Hooks.enter(id, self);
    if (token != null) {
      Hooks.arguments(token, args);
    }
    return token;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Enter Object token,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned) {
    if (token != null) {
      Hooks.exit(token, returned);
    }
  }
}
