package io.compartment.agent.live;

import io.compartment.agent.AgentLog;
import io.compartment.agent.route.StateSplit;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;

/**
 * Performs, on the host's real service object, the emits and outbox additions a worker made while
 * running a call (DESIGN section 2: emits are outputs, carried back and performed by the host).
 */
final class Emitters {
  private final Object self;
  private final List<String> keys;
  private final Method[] methods;
  private final Object[] receivers;
  private final Object[] outboxes;

  Emitters(Object self, List<String> emitKeys, List<String> outboxFields) {
    this.self = self;
    this.keys = emitKeys;
    this.methods = new Method[emitKeys.size()];
    this.receivers = new Object[emitKeys.size()];
    this.outboxes = new Object[outboxFields.size()];
    for (int i = 0; i < outboxes.length; i++) {
      try {
        outboxes[i] = Reflect.field(self.getClass(), outboxFields.get(i)).get(self);
      } catch (ReflectiveOperationException | RuntimeException e) {
        outboxes[i] = null;
      }
    }
  }

  /** Performs emit {@code index} with {@code args}; a failure is logged, never thrown. */
  void emit(int index, Object[] args) {
    if (index < 0 || index >= methods.length) {
      AgentLog.error("a worker made an emit the host does not know (index " + index + "); dropped");
      return;
    }
    try {
      Method m = methods[index];
      if (m == null) m = resolve(index);
      m.invoke(receivers[index], args);
    } catch (InvocationTargetException e) {
      AgentLog.failure("emit", "emit " + keys.get(index) + " threw", e.getCause());
    } catch (ReflectiveOperationException | RuntimeException e) {
      AgentLog.failure("emit", "cannot perform emit " + keys.get(index), e);
    }
  }

  /** Calls {@code method} with {@code args} on outbox {@code index} of the host's object. */
  void outbox(int index, String method, Object[] args) {
    Object box = index < outboxes.length ? outboxes[index] : null;
    if (box == null) {
      AgentLog.error("outbox " + index + " of " + self.getClass().getName() + " is null; dropped");
      return;
    }
    for (Class<?> c = box.getClass(); c != null; c = c.getSuperclass()) {
      for (Method m : c.getMethods()) {
        if (m.getName().equals(method) && m.getParameterCount() == args.length) {
          try {
            m.setAccessible(true);
            m.invoke(box, args);
          } catch (ReflectiveOperationException | RuntimeException e) {
            AgentLog.failure("outbox", "cannot " + method + " on outbox " + index, e);
          }
          return;
        }
      }
    }
    AgentLog.error("outbox " + index + " has no method " + method + "; dropped");
  }

  private Method resolve(int index) {
    String key = keys.get(index);
    int hash = key.indexOf('#');
    int paren = key.indexOf('(');
    Class<?> owner = Reflect.load(key.substring(0, hash), self.getClass().getClassLoader());
    Method m = Reflect.method(owner, key.substring(hash + 1, paren), key.substring(paren));
    Object receiver = null;
    if (!Modifier.isStatic(m.getModifiers())) {
      receiver = StateSplit.findHolder(self, owner.getName());
      if (receiver == null) {
        throw new IllegalStateException(
            "no object of " + owner.getName() + " is reachable from the service object");
      }
    }
    receivers[index] = receiver;
    methods[index] = m;
    return m;
  }
}
