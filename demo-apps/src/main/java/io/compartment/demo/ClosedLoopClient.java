package io.compartment.demo;

import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;

/**
 * A closed-loop client: keeps {@code window} requests outstanding, issuing the next one as each
 * answer arrives, until the shared {@link Budget} of operations runs out. Subclasses say what a
 * request is and what counts as its answer.
 */
public abstract class ClosedLoopClient implements Node {
  protected final NodeId id;
  protected final Network network;
  private final int window;
  private final Budget budget;
  private long outstanding;
  private long acknowledged;
  private final boolean answerLog = AnswerLog.enabled();

  protected ClosedLoopClient(NodeId id, Network network, int window, Budget budget) {
    this.id = id;
    this.network = network;
    this.window = window;
    this.budget = budget;
  }

  @Override
  public final NodeId id() {
    return id;
  }

  /** Fills the window, unless this client is placed in another process. */
  public void start() {
    if (!network.isLocal(id)) {
      return;
    }
    for (int i = 0; i < window && issue(); i++) {
      // fill the window
    }
  }

  @Override
  public final void onMessage(NodeId from, Object message) {
    if (!answered(message)) {
      throw new IllegalArgumentException("unexpected message " + message);
    }
    if (answerLog) {
      long requestId = requestIdOf(message);
      if (requestId >= 0) {
        AnswerLog.record(requestId, message);
      }
    }
    outstanding--;
    acknowledged++;
    issue();
  }

  /** Requests sent and not yet answered. */
  public long outstanding() {
    return outstanding;
  }

  /** Requests answered. */
  public long acknowledged() {
    return acknowledged;
  }

  /** Takes an answer to one of this client's requests; false if {@code message} is none. */
  protected abstract boolean answered(Object message);

  /**
   * The id of the request {@code answer} answers, for {@link AnswerLog}; -1 where answers are not
   * compared between runs (their content depends on how requests of different clients interleave).
   */
  protected long requestIdOf(Object answer) {
    return -1;
  }

  /** Sends one request. */
  protected abstract void sendRequest();

  private boolean issue() {
    if (!budget.tryAcquire()) {
      return false;
    }
    sendRequest();
    outstanding++;
    return true;
  }
}
