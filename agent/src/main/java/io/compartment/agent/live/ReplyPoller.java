package io.compartment.agent.live;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.IdleStrategy;

/**
 * The host's one duty cycle over every worker's reply stream: takes results, performs their emits
 * and completes waiting callers. Runs on its own daemon thread under the transport's idle strategy.
 *
 * <p>A caller waiting for its answer may run the same duty cycle itself ({@link #lead}) instead of
 * parking until this thread hands the answer over: a round trip then wakes one parked thread (the
 * worker's) instead of three. One thread polls at a time, whichever it is ({@link #polling}), so
 * results are still taken, and emits performed, one at a time in stream order.
 */
final class ReplyPoller implements Agent {
  private final CopyOnWriteArrayList<WorkerLink> links = new CopyOnWriteArrayList<>();

  /** Held by the thread polling now; Aeron subscriptions are not for concurrent polls. */
  private final AtomicBoolean polling = new AtomicBoolean();

  /** Callers waiting for an answer, leading or parked. */
  private final AtomicInteger waiting = new AtomicInteger();

  private volatile Thread thread;

  void add(WorkerLink link) {
    links.add(link);
  }

  void remove(WorkerLink link) {
    links.remove(link);
  }

  @Override
  public void onStart() {
    thread = Thread.currentThread();
    RoutingCost.pollerStarted();
  }

  @Override
  public int doWork() {
    if (!polling.compareAndSet(false, true)) return 0; // a caller is polling
    try {
      return pollAll();
    } finally {
      polling.set(false);
    }
  }

  private int pollAll() {
    int work = 0;
    for (WorkerLink link : links) work += link.poll();
    return work;
  }

  /** A caller starts waiting for an answer; pair with {@link #doneWaiting}. */
  void waiting() {
    waiting.incrementAndGet();
  }

  void doneWaiting() {
    waiting.decrementAndGet();
  }

  /**
   * Polls every reply stream on the calling thread, idling between polls with {@code idle}, until
   * {@code answer} is done or {@code maxNs} have passed. Returns at once when another thread is
   * polling (the caller then parks on its answer, which that thread completes). A leader that
   * leaves while other callers wait, or without its own answer, wakes the poller thread, which may
   * be parked deep in its back-off, so that those answers do not wait for its next poll.
   *
   * @param maxNs longest this caller polls, in ns.
   */
  void lead(CompletableFuture<?> answer, IdleStrategy idle, long maxNs) {
    boolean led = false;
    long deadline = System.nanoTime() + maxNs;
    idle.reset();
    try {
      while (!answer.isDone()) {
        if (!polling.compareAndSet(false, true)) {
          if (!led) return;
          idle.idle(0); // the poller thread took a turn
        } else {
          led = true;
          int work;
          try {
            work = pollAll();
          } finally {
            polling.set(false);
          }
          if (answer.isDone()) return;
          idle.idle(work);
        }
        if (System.nanoTime() - deadline > 0) return;
      }
    } finally {
      if (led && (waiting.get() > 1 || !answer.isDone())) {
        Thread t = thread;
        if (t != null) LockSupport.unpark(t);
      }
    }
  }

  @Override
  public String roleName() {
    return "compartment-replies";
  }
}
