package io.compartment.agent.live;

import java.util.Map;
import java.util.Set;

/**
 * Waits until no thread runs the body of a compartment's handlers, without costing the hot path
 * anything: calls that began before the router took the compartment over carry no mark, so their
 * threads' stacks are read instead. A thread counts as inside a handler when a handler method's
 * frame comes, from the top, before any frame of a {@code CallGate}'s {@code enter} (a thread
 * waiting at the gate is above its handler's frame); one leaving the gate is inside. A thread still
 * in the router's table lookup counts as inside: it may yet decide to run the body here.
 */
final class Quiescence {
  private static final String GATE = "io.compartment.agent.route.CallGate";

  private Quiescence() {}

  /**
   * @param handlers {@code class#method} of every handler of the compartment
   * @return null when quiet, else a description of a thread still inside one
   */
  static String await(Set<String> handlers, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    String busy;
    do {
      busy = busy(handlers);
      if (busy == null) return null;
      Thread.sleep(1);
    } while (System.currentTimeMillis() < deadline);
    return busy;
  }

  private static String busy(Set<String> handlers) {
    Thread me = Thread.currentThread();
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      if (e.getKey() == me) continue;
      StackTraceElement f = handlerFrame(e.getValue(), handlers);
      if (f != null) {
        return "thread "
            + e.getKey().getName()
            + " is in "
            + f.getClassName()
            + "."
            + f.getMethodName();
      }
    }
    return null;
  }

  /**
   * The frame of the handler that {@code stack} (top first) runs, or null when it runs none or
   * waits at a gate above it. A thread in the gate's {@code exit} counts as inside: it marked its
   * call and left the gate, and may yet run the body here.
   */
  static StackTraceElement handlerFrame(StackTraceElement[] stack, Set<String> handlers) {
    for (StackTraceElement f : stack) {
      String cls = f.getClassName();
      if (cls.equals(GATE)) {
        if (f.getMethodName().startsWith("enter")) return null; // passes once released
        continue;
      }
      if (handlers.contains(cls + "#" + f.getMethodName())) return f;
    }
    return null;
  }
}
