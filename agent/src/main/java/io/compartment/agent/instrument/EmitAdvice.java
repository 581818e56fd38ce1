package io.compartment.agent.instrument;

import io.compartment.agent.runtime.Hooks;
import net.bytebuddy.asm.Advice;

/** Inlined into every {@code @Emit} method: records the send while a handler is recorded. */
public final class EmitAdvice {
  private EmitAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@HandlerId int id, @Advice.AllArguments Object[] args) {
    if (Hooks.recording()) {
      Hooks.emit(id, args);
    }
  }
}
