package io.compartment.agent.route;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Holds a compartment's calls while its state moves (DESIGN section 6): {@link #hold} stops new
 * calls at {@link #enter} and waits for the calls in flight to leave; {@link #release} lets the
 * held calls go on. Each calling thread's calls keep their order (a thread waits at the gate and
 * then proceeds); calls from different threads have no order to keep.
 *
 * <p>The open gate costs a volatile read and an atomic increment and decrement per call.
 */
public final class CallGate {
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition released = lock.newCondition();
  private final Condition drained = lock.newCondition();
  private volatile boolean holding;
  private int held;

  /** Passes the gate, waiting while it is held. */
  public void enter() throws InterruptedException {
    while (true) {
      if (!holding) {
        inFlight.incrementAndGet();
        if (!holding) return;
        exit(); // a hold began between the check and the count: back out and wait
      }
      lock.lock();
      try {
        held++;
        while (holding) released.await();
        held--;
      } finally {
        lock.unlock();
      }
    }
  }

  /** {@link #enter}, waiting through interrupts (the interrupt is kept for the caller). */
  public void enterUninterruptibly() {
    boolean interrupted = false;
    while (true) {
      try {
        enter();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }

  /** Leaves the gate after a call that {@link #enter} let through. */
  public void exit() {
    if (inFlight.decrementAndGet() == 0 && holding) {
      lock.lock();
      try {
        drained.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Closes the gate and waits for the calls in flight to leave.
   *
   * @return true when drained; false when {@code timeout} passed first (the gate is open again)
   */
  public boolean hold(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    lock.lock();
    try {
      holding = true;
      while (inFlight.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          holding = false;
          released.signalAll();
          return false;
        }
        drained.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Opens the gate: held calls go on. */
  public void release() {
    lock.lock();
    try {
      holding = false;
      released.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Whether the gate is held (new calls wait). */
  public boolean holding() {
    return holding;
  }

  /** Calls between {@link #enter} and {@link #exit} now. */
  public int inFlight() {
    return inFlight.get();
  }

  /** Threads waiting at the held gate now. */
  public int held() {
    lock.lock();
    try {
      return held;
    } finally {
      lock.unlock();
    }
  }
}
