package io.compartment.demo;

import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;
import java.util.HashMap;
import java.util.Map;

/**
 * A closed-loop client: keeps {@code window} requests outstanding, issuing the next one as each
 * answer arrives, until the shared {@link Budget} of operations runs out. Subclasses say what a
 * request is and what counts as its answer. Each answer's latency, from sending its request, goes
 * to {@link Latency}.
 *
 * <p>The system property {@value #WINDOW_PROP} overrides every client's window, so that a benchmark
 * can vary the offered load.
 */
public abstract class ClosedLoopClient implements Node {
  /** Requests each client keeps outstanding, overriding the demo's own figure. */
  public static final String WINDOW_PROP = "compartment.demo.window";

  protected final NodeId id;
  protected final Network network;
  private final int window;
  private final Budget budget;
  private long outstanding;
  private long acknowledged;
  private final boolean answerLog = AnswerLog.enabled();
  private final Map<Long, Long> sentAtNanos = new HashMap<>();

  protected ClosedLoopClient(NodeId id, Network network, int window, Budget budget) {
    this.id = id;
    this.network = network;
    this.window = Integer.getInteger(WINDOW_PROP, window);
    if (this.window < 1) {
      throw new IllegalArgumentException(
          "-D" + WINDOW_PROP + " must be at least 1, not " + this.window);
    }
    this.budget = budget;
    budget.addClient(this.window);
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
    long requestId = requestIdOf(message);
    Long sentAt = sentAtNanos.remove(requestId);
    if (sentAt != null) {
      Latency.record(System.nanoTime() - sentAt);
    }
    if (answerLog && !answerDependsOnOtherClients()) {
      AnswerLog.record(requestId, message);
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

  /** The id of the request {@code answer} answers, as {@link #sendRequest()} returned it. */
  protected abstract long requestIdOf(Object answer);

  /**
   * Whether an answer's content depends on how the requests of different clients interleave; such
   * answers are not compared between runs by {@link AnswerLog}.
   */
  protected boolean answerDependsOnOtherClients() {
    return false;
  }

  /** Sends one request and returns its id. */
  protected abstract long sendRequest();

  private boolean issue() {
    if (!budget.tryAcquire()) {
      return false;
    }
    long sentAt = System.nanoTime();
    sentAtNanos.put(sendRequest(), sentAt);
    outstanding++;
    return true;
  }
}
