package io.compartment.agent.live;

import io.compartment.agent.AgentLog;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Where each handler call goes: the handler advice asks {@link #route} whenever {@link #active} is
 * set (some compartment is enabled or being toggled). The table maps a service object, by identity,
 * to the routes of its handlers, indexed by handler id; it is replaced whole on every change, so
 * readers never lock.
 */
public final class Router {
  /**
   * True while any route exists. Volatile, so that an event loop that inlined a handler sees the
   * change; on x86 a volatile read costs what a plain one does.
   */
  public static volatile boolean active;

  private static volatile Map<Object, HandlerRoute[]> table = new IdentityHashMap<>();

  private Router() {}

  /**
   * Called by the handler advice. Returns a {@link RoutedCall} when the call went to a worker (the
   * body is then skipped), or null to run it here.
   */
  public static Object route(int handlerId, Object self, Object[] args) {
    if (self == null) return null;
    HandlerRoute[] routes = table.get(self);
    if (routes == null || handlerId >= routes.length) return null;
    HandlerRoute route = routes[handlerId];
    if (route == null) return null;
    try {
      return route.compartment().call(route, args);
    } catch (Throwable t) {
      // nothing was sent (call() catches everything after sending): running here is safe
      AgentLog.failure("route", "routing a call of " + route.name() + " failed; it runs here", t);
      return null;
    }
  }

  static synchronized void install(Object self, HandlerRoute[] routes) {
    Map<Object, HandlerRoute[]> next = new IdentityHashMap<>(table);
    HandlerRoute[] merged = next.get(self);
    if (merged == null) {
      merged = routes.clone();
    } else {
      HandlerRoute[] grown = new HandlerRoute[Math.max(merged.length, routes.length)];
      System.arraycopy(merged, 0, grown, 0, merged.length);
      for (int i = 0; i < routes.length; i++) if (routes[i] != null) grown[i] = routes[i];
      merged = grown;
    }
    next.put(self, merged);
    table = next;
    active = true;
  }

  static synchronized void remove(Object self, CompartmentRoute compartment) {
    Map<Object, HandlerRoute[]> next = new IdentityHashMap<>(table);
    HandlerRoute[] routes = next.get(self);
    if (routes == null) return;
    HandlerRoute[] kept = routes.clone();
    boolean any = false;
    for (int i = 0; i < kept.length; i++) {
      if (kept[i] != null && kept[i].compartment() == compartment) kept[i] = null;
      any |= kept[i] != null;
    }
    if (any) next.put(self, kept);
    else next.remove(self);
    table = next;
    active = !next.isEmpty();
  }
}
