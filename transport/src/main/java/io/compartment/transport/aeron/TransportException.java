package io.compartment.transport.aeron;

/** A transport operation failed; {@link #reason()} says how, the message says where. */
public final class TransportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why an operation failed. */
  public enum Reason {
    /** No subscriber was connected to the publication within the timeout. */
    NOT_CONNECTED,
    /** Subscribers were connected but did not keep up within the timeout. */
    BACK_PRESSURED,
    /** The publication or subscription has been closed. */
    CLOSED,
    /** The publication reached its maximum position (term length x 2^31): create a new one. */
    MAX_POSITION_EXCEEDED,
    /** The message is longer than the publication's maximum message length. */
    MESSAGE_TOO_LARGE,
    /** Waiting for a connection or an endpoint timed out. */
    TIMEOUT
  }

  private final Reason reason;

  /**
   * @param reason why it failed.
   * @param message where and with which figures.
   */
  public TransportException(final Reason reason, final String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  /**
   * @return why the operation failed.
   */
  public Reason reason() {
    return reason;
  }
}
