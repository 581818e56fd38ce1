package io.compartment.agent.instrument;

import io.compartment.agent.live.WorkerEmits;
import io.compartment.agent.runtime.Hooks;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into every {@code @Emit} method: records the send while a handler is recorded; in a
 * worker, captures it for the host and skips the body.
 */
public final class EmitAdvice {
  private EmitAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
  static boolean enter(@HandlerId int id, @Advice.AllArguments Object[] args) {
    if (WorkerEmits.workerMode) {
      return WorkerEmits.capture(id, args);
    }
    if (Hooks.recording()) {
      Hooks.emit(id, args);
    }
    return false;
  }
}
