package io.compartment.agent.live;

import io.compartment.agent.AgentLog;
import io.compartment.agent.route.CallGate;
import io.compartment.agent.route.KeyGroups;
import io.compartment.agent.runtime.Hooks;
import io.compartment.transport.codec.MessageCodec;
import io.compartment.transport.codec.TypeRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.IdleStrategy;

/**
 * One enabled compartment on one service object: its workers, how calls are spread over them, the
 * gate that holds calls while state moves, and what is done with each worker's answers.
 */
final class CompartmentRoute implements WorkerLink.Results {
  enum Phase {
    /** Calls wait at the gate: state is moving. */
    HOLDING,
    /**
     * Calls run in the host while a copy of the state goes to the workers; each marks its key in
     * {@link #dirty}, so that only those entries move under the hold that follows.
     */
    PRECOPY,
    /** Calls go to workers. */
    ROUTED,
    /** Disabled: calls that waited run in the host again. */
    CLOSED
  }

  final Object self;
  final String compartment;
  final String plan;
  final KeyGroups groups;
  final CallGate gate = new CallGate();
  final TypeRegistry registry;
  final long replyTimeoutMs;
  private final Emitters emitters;
  private final AtomicLong spread = new AtomicLong();
  private final ThreadLocal<MessageCodec> codecs;
  private final ThreadLocal<ExpandableArrayBuffer> buffers =
      ThreadLocal.withInitial(() -> new ExpandableArrayBuffer(1024));
  private final MessageCodec pollerCodec;
  private final Map<WorkerLink, Map<String, Object>> collecting = new HashMap<>();
  WorkerLink[] links = new WorkerLink[0];

  /** Configuration values shipped to every worker. */
  Map<String, Object> config = Map.of();

  /** How a caller waits for its answer before it parks (agent option live.idle). */
  LiveIdle idle = LiveIdle.BACKOFF;

  /** The reply streams' poller, which a waiting caller may stand in for; null in unit tests. */
  ReplyPoller replies;

  private final ThreadLocal<IdleStrategy> callerIdle = ThreadLocal.withInitial(() -> idle.caller());

  /** Largest frame the streams carry, in bytes (Aeron: a term's length / 8). */
  int maxFrame = Integer.MAX_VALUE;

  /** A value encodes to more bytes than one frame may carry. */
  static final class FrameTooLargeException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    FrameTooLargeException(int length, int max) {
      super(
          "a message of "
              + length
              + " bytes exceeds the largest frame of "
              + max
              + " bytes (raise compartment.transport.term.length, 8 x the frame)");
    }
  }

  volatile Phase phase = Phase.HOLDING;

  /** Keys written in the host during the pre-copy; set before the phase becomes PRECOPY. */
  volatile DirtyKeys dirty = new DirtyKeys();

  final AtomicLong routedCalls = new AtomicLong();
  final AtomicLong broadcasts = new AtomicLong();

  /** Broadcasts hold it exclusively; routed calls share it while they are sent. */
  private final java.util.concurrent.locks.ReentrantReadWriteLock exclusive =
      new java.util.concurrent.locks.ReentrantReadWriteLock();

  /** Brings state home and ships it out again, for broadcasts; set by the controller. */
  interface Mover {
    void merge(CompartmentRoute route, List<Map<String, Object>> states);

    void shipBack(CompartmentRoute route) throws Exception;
  }

  Mover mover;
  final AtomicLong failedCalls = new AtomicLong();

  CompartmentRoute(
      Object self,
      String compartment,
      String plan,
      TypeRegistry registry,
      Emitters emitters,
      long replyTimeoutMs) {
    this.self = self;
    this.compartment = compartment;
    this.plan = plan;
    this.groups = new KeyGroups(KeyGroups.DEFAULT_GROUPS);
    this.registry = registry;
    this.emitters = emitters;
    this.replyTimeoutMs = replyTimeoutMs;
    this.codecs = ThreadLocal.withInitial(() -> new MessageCodec(registry));
    this.pollerCodec = new MessageCodec(registry);
  }

  /**
   * Sends one call (advice thread). Returns null to run it here (the compartment was disabled while
   * the call waited at the gate), or the routed call's outcome.
   */
  Object call(HandlerRoute route, Object[] args) {
    if (route.broadcast()) return broadcast(route);
    gate.enterUninterruptibly();
    exclusive.readLock().lock();
    try {
      Phase now = phase;
      if (now != Phase.ROUTED) {
        // HOLDING inside the gate is never expected; marking then too costs nothing and is safe
        if (now != Phase.CLOSED) dirty.mark(route, args);
        return null;
      }
      long cpu = RoutingCost.begin(routedCalls.get());
      WorkerLink link;
      byte[] frame;
      try {
        link = pick(route, args);
        if (link.failed() != null) throw new IllegalStateException(link.failed());
        frame = frame(Wire.CALL, (byte) 0, route.index(), args);
      } catch (RuntimeException e) {
        failedCalls.incrementAndGet();
        IllegalStateException refused =
            new IllegalStateException(
                "compartment "
                    + compartment
                    + ": a call of "
                    + route.name()
                    + " cannot be routed: "
                    + e.getMessage(),
                e);
        AgentLog.error(refused.getMessage());
        return new RoutedCall(null, refused);
      }
      routedCalls.incrementAndGet();
      try {
        if (!route.returnsValue()) {
          link.send(Wire.CALL, frame, null);
          return RoutedCall.SENT;
        }
        CompletableFuture<Object> answer = new CompletableFuture<>();
        link.send(Wire.CALL, frame, answer);
        return await(answer, route.name());
      } finally {
        RoutingCost.end(cpu);
      }
    } finally {
      exclusive.readLock().unlock();
      gate.exit();
    }
  }

  /**
   * A broadcast call: it needs the whole state. Every other call of the compartment waits (the
   * write lock); each worker's state comes home behind every call sent before (COLLECT is FIFO with
   * them) and is merged into the host's fields; the caller's thread then runs the handler body
   * here, on the real object, and {@link #finishBroadcast} ships the state back. Correct for any
   * handler, at a cost in proportion to the compartment's state.
   */
  private Object broadcast(HandlerRoute route) {
    gate.enterUninterruptibly();
    exclusive.writeLock().lock();
    boolean running = false;
    try {
      Phase now = phase;
      if (now != Phase.ROUTED) {
        if (now != Phase.CLOSED) dirty.markAll("broadcast " + route.name() + " ran");
        return null;
      }
      List<CompletableFuture<Object>> answers = new java.util.ArrayList<>();
      for (WorkerLink l : links) {
        CompletableFuture<Object> a = new CompletableFuture<>();
        l.send(Wire.COLLECT, frame(Wire.COLLECT, (byte) 0, 0, null), a);
        answers.add(a);
      }
      List<Map<String, Object>> states = new java.util.ArrayList<>();
      for (CompletableFuture<Object> a : answers) {
        @SuppressWarnings("unchecked")
        Map<String, Object> state =
            (Map<String, Object>) a.get(replyTimeoutMs, TimeUnit.MILLISECONDS);
        states.add(state);
      }
      mover.merge(this, states);
      broadcasts.incrementAndGet();
      running = true;
      return new LocalBroadcast(this, route);
    } catch (Exception e) {
      failedCalls.incrementAndGet();
      IllegalStateException failed =
          new IllegalStateException(
              "compartment "
                  + compartment
                  + ": broadcast "
                  + route.name()
                  + " could not gather the state: "
                  + e,
              e);
      AgentLog.error(failed.getMessage());
      return new RoutedCall(null, failed);
    } finally {
      if (!running) {
        exclusive.writeLock().unlock();
        gate.exit();
      }
    }
  }

  /** After a broadcast ran here: the state goes back to the workers, then calls go on. */
  void finishBroadcast(HandlerRoute route) {
    try {
      if (!route.readOnly()) mover.shipBack(this);
    } catch (Exception e) {
      AgentLog.failure(
          "broadcast-" + compartment,
          "compartment "
              + compartment
              + ": the state written by broadcast "
              + route.name()
              + " could not be shipped back to the workers",
          e);
    } finally {
      exclusive.writeLock().unlock();
      gate.exit();
    }
  }

  private RoutedCall await(CompletableFuture<Object> answer, String handler) {
    ReplyPoller poller = replies;
    if (poller != null) poller.waiting();
    boolean interrupted = false;
    try {
      // not inside a recorded handler call: the emits of other calls' answers, performed while
      // polling, would be recorded as that call's
      if (poller != null && !Hooks.inRecordedCall()) {
        poller.lead(answer, callerIdle.get(), LiveIdle.CALLER_SPIN_NS);
      }
      idle.awaitBriefly(answer);
      while (true) {
        try {
          return (RoutedCall) answer.get(replyTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          return new RoutedCall(null, e.getCause());
        } catch (TimeoutException e) {
          return new RoutedCall(
              null,
              new IllegalStateException(
                  "compartment "
                      + compartment
                      + ": no answer to "
                      + handler
                      + " within "
                      + replyTimeoutMs
                      + " ms (compartment.live.reply.timeout.ms); the call stays queued"));
        }
      }
    } finally {
      if (poller != null) poller.doneWaiting();
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  private WorkerLink pick(HandlerRoute route, Object[] args) {
    WorkerLink[] all = links;
    if (route.key() == null) {
      return all[(int) Math.floorMod(spread.getAndIncrement(), (long) all.length)];
    }
    Object key;
    try {
      key = route.key().evaluate(args);
    } catch (IllegalArgumentException unreadable) {
      key = null; // the handler runs against group 0, as it would against a null key
    }
    int group = key == null ? 0 : groups.groupOf(key);
    return all[KeyGroups.workerOf(group, all.length)];
  }

  /** A whole frame: header with the sequence left to the link, then the encoded body. */
  byte[] frame(byte type, byte flags, int handler, Object body) {
    ExpandableArrayBuffer b = buffers.get();
    Wire.header(b, type, flags, 0, 0, handler);
    int n = body == null ? 0 : codecs.get().encode(body, b, Wire.BODY);
    if (Wire.BODY + n > maxFrame) {
      throw new FrameTooLargeException(Wire.BODY + n, maxFrame);
    }
    byte[] frame = new byte[Wire.BODY + n];
    b.getBytes(0, frame);
    return frame;
  }

  // ------------------------------------------------------------------ answers (poller thread)

  @Override
  @SuppressWarnings("unchecked")
  public void onResult(
      WorkerLink link,
      WorkerLink.Pending sent,
      byte flags,
      DirectBuffer body,
      int offset,
      int length) {
    Object decoded;
    try {
      decoded = length == 0 ? null : pollerCodec.decode(body, offset, length);
    } catch (RuntimeException e) {
      AgentLog.error(
          "compartment " + compartment + ": unreadable answer from " + link.workerId + ": " + e);
      if (sent.answer != null) sent.answer.completeExceptionally(e);
      return;
    }
    if (sent.type == Wire.COLLECT) {
      Map<String, Object> into = collecting.computeIfAbsent(link, l -> new HashMap<>());
      for (Map.Entry<String, Object> e : ((Map<String, Object>) decoded).entrySet()) {
        Object have = into.get(e.getKey());
        if (have != null && e.getKey().startsWith("s:")) {
          Shares.addAll(have, e.getValue(), e.getKey());
        } else {
          into.put(e.getKey(), e.getValue());
        }
      }
      if ((flags & WorkerMain.FLAG_MORE) == 0) {
        sent.answer.complete(collecting.remove(link));
      }
      return;
    }
    Object[] output = (Object[]) decoded;
    for (Object e : (List<Object>) output[1]) {
      Object[] emit = (Object[]) e;
      emitters.emit((Integer) emit[0], (Object[]) emit[1]);
    }
    for (Object o : (List<Object>) output[2]) {
      Object[] add = (Object[]) o;
      emitters.outbox((Integer) add[0], (String) add[1], (Object[]) add[2]);
    }
    boolean failed = (flags & Wire.FLAG_FAILED) != 0;
    if (sent.answer != null) {
      sent.answer.complete(
          failed
              ? new RoutedCall(
                  null, new RuntimeException("in worker " + link.workerId + ": " + output[0]))
              : new RoutedCall(output[0], null));
    } else if (failed) {
      AgentLog.error(
          "compartment "
              + compartment
              + ": a call failed in worker "
              + link.workerId
              + ": "
              + output[0]);
    }
  }
}
