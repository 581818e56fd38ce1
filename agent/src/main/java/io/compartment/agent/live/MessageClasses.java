package io.compartment.agent.live;

import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Classes of the values handlers were seen receiving and emitting, noted on recorded calls only, so
 * that the wire registry of a compartment covers messages its declared types do not name (an emit
 * declared {@code send(Address, Object)}).
 */
public final class MessageClasses {
  private static final Set<Class<?>> SEEN = ConcurrentHashMap.newKeySet();
  private static volatile Instrumentation instrumentation;

  private MessageClasses() {}

  public static void instrumentation(Instrumentation inst) {
    instrumentation = inst;
  }

  /** Notes the classes of a recorded call's arguments or of an emit's. */
  public static void note(Object[] values) {
    if (values == null) return;
    for (Object v : values) {
      if (v != null && SEEN.size() < 10_000) SEEN.add(v.getClass());
    }
  }

  static Set<Class<?>> seen() {
    return SEEN;
  }

  static List<Class<?>> loaded() {
    Instrumentation inst = instrumentation;
    return inst == null ? List.of() : List.of(inst.getAllLoadedClasses());
  }
}
