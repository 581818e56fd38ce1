package io.compartment.demo.net;

/**
 * A message between the two processes of a deployed demo about the workload itself, never delivered
 * to a node.
 *
 * @param kind one of {@link #HELLO}, {@link #CLOSE}, {@link #DONE}, {@link #BYE}
 * @param issued with {@link #DONE}: requests the clients issued
 * @param acknowledged with {@link #DONE}: answers the clients received
 */
public record PeerControl(int kind, long issued, long acknowledged) {
  /** Clients to service: connected, about to start. */
  public static final int HELLO = 1;

  /** Service to clients: the budget is closed, issue nothing more. */
  public static final int CLOSE = 2;

  /** Clients to service: closed and every request answered. */
  public static final int DONE = 3;

  /** Service to clients: DONE received, exit. */
  public static final int BYE = 4;

  static PeerControl of(int kind) {
    return new PeerControl(kind, 0, 0);
  }
}
