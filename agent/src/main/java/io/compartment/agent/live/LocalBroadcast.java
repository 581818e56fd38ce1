package io.compartment.agent.live;

/**
 * A broadcast handler call running in the host on state gathered from every worker: the advice lets
 * the body run, and its exit calls {@link #finish()}, which ships the state back (unless the
 * handler is read-only) and lets the compartment's other calls go on.
 */
public final class LocalBroadcast {
  private final CompartmentRoute route;
  private final HandlerRoute handler;

  LocalBroadcast(CompartmentRoute route, HandlerRoute handler) {
    this.route = route;
    this.handler = handler;
  }

  /** Called once, on the handler's exit (normal or exceptional). */
  public void finish() {
    route.finishBroadcast(handler);
  }
}
