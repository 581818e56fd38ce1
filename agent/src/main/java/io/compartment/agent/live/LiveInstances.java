package io.compartment.agent.live;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service objects seen handling calls, per service class, held weakly. Routing is per instance
 * (DESIGN section 6): enabling a compartment routes every live instance of its service, each with
 * its own workers. Instances are noted when a handler call is recorded, which every instance's
 * first calls are.
 */
public final class LiveInstances {
  /** Most instances remembered per service class; more are routed only once seen again. */
  static final int MAX_PER_SERVICE = 1024;

  private static final Map<String, List<WeakReference<Object>>> BY_SERVICE =
      new ConcurrentHashMap<>();

  private LiveInstances() {}

  /** Notes {@code self} as an instance of {@code service}; cheap when already known. */
  public static void seen(String service, Object self) {
    if (self == null) return;
    List<WeakReference<Object>> list = BY_SERVICE.computeIfAbsent(service, s -> new ArrayList<>());
    synchronized (list) {
      for (Iterator<WeakReference<Object>> it = list.iterator(); it.hasNext(); ) {
        Object o = it.next().get();
        if (o == self) return;
        if (o == null) it.remove();
      }
      if (list.size() < MAX_PER_SERVICE) list.add(new WeakReference<>(self));
    }
  }

  /** The live instances of {@code service}, in the order they were first seen. */
  public static List<Object> of(String service) {
    List<WeakReference<Object>> list = BY_SERVICE.get(service);
    List<Object> out = new ArrayList<>();
    if (list == null) return out;
    synchronized (list) {
      for (WeakReference<Object> r : list) {
        Object o = r.get();
        if (o != null) out.add(o);
      }
    }
    return out;
  }
}
