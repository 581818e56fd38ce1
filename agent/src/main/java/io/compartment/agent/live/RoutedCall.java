package io.compartment.agent.live;

/**
 * What the handler advice gets back for a call the router sent to a worker: the method body is
 * skipped ({@code skipOn}), and the exit advice returns {@link #value()} or throws {@link
 * #failure()}.
 */
public final class RoutedCall {
  /** A call to a handler without a return value that was sent and needs nothing more. */
  static final RoutedCall SENT = new RoutedCall(null, null);

  private final Object value;
  private final Throwable failure;

  RoutedCall(Object value, Throwable failure) {
    this.value = value;
    this.failure = failure;
  }

  public Object value() {
    return value;
  }

  public Throwable failure() {
    return failure;
  }
}
