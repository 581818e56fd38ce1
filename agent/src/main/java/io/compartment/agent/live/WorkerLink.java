package io.compartment.agent.live;

import io.aeron.Publication;
import io.aeron.logbuffer.Header;
import io.compartment.agent.AgentLog;
import io.compartment.transport.aeron.MessagePublisher;
import io.compartment.transport.aeron.MessageSubscriber;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The host's end of one worker: numbers every frame it sends, keeps each one until the worker's
 * result for it has been taken, and sends again what the worker has not applied when a restarted
 * worker says hello (DESIGN section 6: the host keeps what is not yet acknowledged).
 *
 * <p>Sends come from calling threads, under a lock so that numbering and the stream's order agree;
 * results and hellos come from the reply poller's thread. The pending queue has a lock of its own,
 * never held while offering: a sender waiting out back pressure must not keep the poller from
 * taking the worker's results, or the worker, blocked on its own reply stream, would stop taking
 * frames, and neither side would move.
 *
 * <p>Each process of a worker gets a call stream of its own ({@link #replaceCalls}): a dead
 * process's subscription holds an IPC stream's flow control until Aeron gives up on the process.
 */
final class WorkerLink {
  /** Receives what a worker answered, on the poller thread. */
  interface Results {
    /** The worker's answer to frame {@code seq} (decoding and performing are the sink's job). */
    void onResult(
        WorkerLink link, Pending sent, byte flags, DirectBuffer body, int offset, int len);
  }

  /** A frame sent and not yet answered. */
  static final class Pending {
    final long seq;
    final byte type;
    final byte[] frame;
    final CompletableFuture<Object> answer;

    Pending(long seq, byte type, byte[] frame, CompletableFuture<Object> answer) {
      this.seq = seq;
      this.type = type;
      this.frame = frame;
      this.answer = answer;
    }
  }

  final int index;
  final String workerId;
  private volatile MessagePublisher calls;
  private final MessageSubscriber replies;
  private final Results results;
  private final long sendTimeoutNs;

  /** Numbering and offering, so that sequence and stream order agree; may be held for long. */
  private final ReentrantLock lock = new ReentrantLock();

  /** Guards {@link #pending}; held only briefly, never while offering. */
  private final Object pendingLock = new Object();

  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final UnsafeBuffer stamp = new UnsafeBuffer(new byte[0]);
  private long nextSeq = 1;

  /** Highest sequence whose result was taken; only the poller thread writes it. */
  private volatile long answered;

  private volatile long hellos;
  private volatile String fault;
  private volatile String failed;

  WorkerLink(
      int index,
      String workerId,
      MessagePublisher calls,
      MessageSubscriber replies,
      Results results,
      long sendTimeoutNs) {
    this.index = index;
    this.workerId = workerId;
    this.calls = calls;
    this.replies = replies;
    this.results = results;
    this.sendTimeoutNs = sendTimeoutNs;
  }

  /**
   * Numbers {@code frame} (header already written, seq and ack left to fill), keeps it until
   * answered, and offers it. When no worker is connected (it died and is restarting) the frame
   * stays pending and goes out again on the restarted worker's hello.
   */
  Pending send(byte type, byte[] frame, CompletableFuture<Object> answer) {
    lock.lock();
    try {
      long seq = nextSeq++;
      stamp.wrap(frame);
      stamp.putLong(Wire.SEQ, seq);
      stamp.putLong(Wire.ACK, answered);
      Pending p = new Pending(seq, type, frame, answer);
      synchronized (pendingLock) {
        pending.addLast(p);
      }
      offer(frame);
      return p;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Offers under the lock, waiting out back pressure (the caller is slowed to the worker's pace);
   * gives up quietly only when no worker is connected: the restarted worker's hello resends it.
   */
  private void offer(byte[] frame) {
    stamp.wrap(frame);
    long deadline = System.nanoTime() + sendTimeoutNs;
    int spins = 0;
    while (true) {
      MessagePublisher stream = calls;
      long r = stream.tryOffer(stamp, 0, frame.length);
      if (r > 0 || r == Publication.NOT_CONNECTED) return;
      if (stream != calls) continue; // replaced for a new worker process: offer it there
      if (r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED) {
        // never thrown to the caller: the frame is pending, and running the call in the host as
        // well would apply it twice
        AgentLog.error("stream to worker " + workerId + " is closed; the frame stays pending");
        return;
      }
      if (System.nanoTime() > deadline) {
        AgentLog.warn(
            "worker "
                + workerId
                + " has not taken frames for "
                + sendTimeoutNs / 1_000_000
                + " ms; still waiting");
        deadline = System.nanoTime() + sendTimeoutNs;
      }
      if (++spins < 100) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
  }

  /**
   * The worker's process died: its next process subscribes to {@code fresh} (the host has written
   * the new stream id to its setup file), and the old stream is closed. A sender waiting on the old
   * stream moves to the new one, where the frame stays pending until the new process's hello. Not
   * under the send lock, which such a sender holds.
   */
  void replaceCalls(MessagePublisher fresh) {
    MessagePublisher old = calls;
    calls = fresh;
    old.close();
  }

  /** The channel and stream id the worker's calls go to now. */
  String callStream() {
    MessagePublisher c = calls;
    return c.channel().uri() + " stream " + c.channel().streamId();
  }

  int maxFrame() {
    return calls.maxMessageLength();
  }

  /** Polls the reply stream once; called by the poller thread only. */
  int poll() {
    return replies.poll();
  }

  /** A frame from the worker (poller thread). */
  void onFrame(DirectBuffer buffer, int offset, int length, Header header) {
    if (length < Wire.BODY) {
      fault = "worker " + workerId + " sent a " + Wire.describe(buffer, offset, length);
      AgentLog.error(fault);
      return;
    }
    byte type = buffer.getByte(offset + Wire.TYPE);
    long seq = buffer.getLong(offset + Wire.SEQ);
    switch (type) {
      case Wire.HELLO -> onHello(buffer.getLong(offset + Wire.ACK));
      case Wire.RESULT -> onResult(seq, buffer, offset, length);
      case Wire.FAULT -> {
        fault =
            "worker "
                + workerId
                + ": "
                + buffer.getStringWithoutLengthUtf8(offset + Wire.BODY, length - Wire.BODY);
        AgentLog.error(fault);
      }
      default -> {
        fault = "worker " + workerId + " sent an unknown " + Wire.describe(buffer, offset, length);
        AgentLog.error(fault);
      }
    }
  }

  /**
   * A worker started (or restarted, or found a gap): everything after what it applied goes out
   * again, in order. Off the poller thread, so that the worker's results keep being taken while the
   * resend waits out back pressure.
   */
  private void onHello(long applied) {
    Thread resend = new Thread(() -> resend(applied), "compartment-resend-" + workerId);
    resend.setDaemon(true);
    resend.start();
  }

  private void resend(long applied) {
    // the worker is up and subscribed; over UDP the host's end may learn so a little after its
    // hello arrives: a frame offered before then would not be sent (and wait for the next hello)
    long connectDeadline = System.nanoTime() + sendTimeoutNs;
    while (!calls.isConnected() && System.nanoTime() < connectDeadline) {
      Thread.onSpinWait();
      Thread.yield();
    }
    lock.lock();
    try {
      hellos++;
      List<Pending> again = new ArrayList<>();
      synchronized (pendingLock) {
        for (Pending p : pending) if (p.seq > applied) again.add(p);
      }
      int resent = 0;
      for (Pending p : again) {
        stamp.wrap(p.frame);
        stamp.putLong(Wire.ACK, answered);
        offer(p.frame);
        resent++;
      }
      if (hellos > 1 || resent > 0) {
        AgentLog.info(
            "worker " + workerId + " is back (applied up to " + applied + "); resent " + resent);
      }
    } finally {
      lock.unlock();
    }
  }

  private void onResult(long seq, DirectBuffer buffer, int offset, int length) {
    if (seq <= answered) return; // a replay of a result already taken
    byte flags = buffer.getByte(offset + Wire.FLAGS);
    if ((flags & WorkerMain.FLAG_MORE) != 0) {
      // one piece of a longer answer: the frame stays pending until the last piece
      Pending head;
      synchronized (pendingLock) {
        head = pending.peekFirst();
      }
      if (head != null && head.seq == seq) {
        results.onResult(this, head, flags, buffer, offset + Wire.BODY, length - Wire.BODY);
      }
      return;
    }
    Pending match = null;
    synchronized (pendingLock) {
      for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
        Pending p = it.next();
        if (p.seq > seq) break;
        it.remove();
        if (p.seq == seq) match = p;
      }
    }
    answered = seq;
    if (match == null) return;
    results.onResult(this, match, flags, buffer, offset + Wire.BODY, length - Wire.BODY);
  }

  /**
   * The worker will not come back (its supervisor gave up): every frame waiting for an answer is
   * answered with the failure, and later sends are refused by the route.
   */
  void fail(String why) {
    failed = why;
    List<Pending> waiting;
    synchronized (pendingLock) {
      waiting = new ArrayList<>(pending);
    }
    for (Pending p : waiting) {
      if (p.answer != null) p.answer.complete(new RoutedCall(null, new IllegalStateException(why)));
    }
  }

  /** Why the worker failed for good, or null. */
  String failed() {
    return failed;
  }

  /** True once the worker has said hello at least once. */
  boolean helloSeen() {
    return hellos > 0;
  }

  String fault() {
    return fault;
  }

  void close() {
    calls.close();
    replies.close();
  }
}
