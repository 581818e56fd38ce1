package io.compartment.agent.trace;

import io.compartment.agent.AgentLog;
import io.compartment.agent.runtime.Event;
import io.compartment.agent.runtime.FieldSite;
import io.compartment.agent.runtime.Frame;
import io.compartment.agent.runtime.HandlerInfo;
import io.compartment.analyzer.trace.FieldObservation;
import io.compartment.analyzer.trace.HandlerTrace;
import io.compartment.analyzer.trace.Invocation;
import io.compartment.analyzer.trace.ServiceTrace;
import io.compartment.analyzer.trace.StateFieldInfo;
import io.compartment.analyzer.trace.Trace;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Folds recorded invocations into the trace summaries on one background thread. The handler's
 * thread only offers a finished frame to a bounded queue; a full queue drops the frame (the call is
 * still counted, only not recorded) so that the host never waits on the agent.
 *
 * <p>Adaptive sampling: every {@value #CHECK_EVERY} recorded calls of a handler its summary's shape
 * is compared with the last; once it has held for {@value #STABLE_CHECKS} checks, the handler is
 * recorded half as often at each further check, down to one call in {@value #MAX_MASK_PLUS_ONE}. A
 * change of shape returns it to recording every call (within the handler's cost budget, see {@link
 * HandlerInfo}).
 */
public final class Aggregator implements Runnable {
  static final int QUEUE = 16_384;
  static final int CHECK_EVERY = 128;
  static final int STABLE_CHECKS = 3;
  static final int MAX_MASK_PLUS_ONE = 16_384;

  private final ServiceCatalog catalog;
  private final boolean adaptive;
  private final ArrayBlockingQueue<Frame> queue = new ArrayBlockingQueue<>(QUEUE);
  private final AttributeExtractor extractor = new AttributeExtractor();
  private final SafeValues safe = new SafeValues();
  private final Trace trace = new Trace();
  private final Map<HandlerInfo, Stability> stability = new HashMap<>();
  private final Map<String, Set<Integer>> instances = new HashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong folded = new AtomicLong();
  private volatile boolean running = true;
  private Thread thread;

  private static final class Stability {
    String signature = "";
    int stableChecks;
    long recordedAtCheck;
  }

  public Aggregator(ServiceCatalog catalog, boolean adaptive) {
    this.catalog = catalog;
    this.adaptive = adaptive;
  }

  public void start() {
    thread = new Thread(this, "compartment-aggregator");
    thread.setDaemon(true);
    thread.start();
  }

  /** Called on the handler's thread: never blocks. */
  public void offer(Frame frame) {
    if (!queue.offer(frame)) dropped.incrementAndGet();
  }

  public long dropped() {
    return dropped.get();
  }

  @Override
  public void run() {
    while (running || !queue.isEmpty()) {
      try {
        Frame f = queue.poll(50, TimeUnit.MILLISECONDS);
        if (f != null) fold(f);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Throwable t) {
        AgentLog.failure("aggregate", "could not aggregate a recorded invocation", t);
      }
    }
  }

  /** Folds what is queued now (on the caller's thread), for a report on request or at exit. */
  public void drain() {
    Frame f;
    while ((f = queue.poll()) != null) {
      try {
        fold(f);
      } catch (Throwable t) {
        AgentLog.failure("aggregate", "could not aggregate a recorded invocation", t);
      }
    }
  }

  public void stop() {
    running = false;
  }

  private void fold(Frame frame) {
    HandlerInfo h = frame.handler();
    Map<String, Object> attributes = safe.screen(extractor.attributes(frame.args()));
    synchronized (trace) {
      ServiceTrace st = trace.service(h.service());
      HandlerTrace ht = st.handler(h.reportName(), h.method(), h.descriptor(), h.service());
      Invocation inv = ht.begin(attributes);
      for (Event e : frame.events()) {
        switch (e.kind) {
          case ACCESS ->
              inv.access(
                  stateId(st, e.field),
                  e.scope,
                  e.op,
                  e.method,
                  e.writeKind,
                  safe.screen(e.key),
                  safe.screen(e.oldValue),
                  safe.screen(e.newValue),
                  e.where);
          case EMIT -> inv.emit(e.method, safe.screen(extractor.values(e.emitted)));
          case CONFIG_WRITE -> inv.configWrite(e.field.name());
        }
      }
      if (frame.returnedValue() && frame.returned() != null) {
        inv.handedOut(safe.screen(extractor.values(frame.returned())));
      }
      if (frame.truncated()) inv.truncated();
      inv.end();
      if (frame.self() != null) {
        instances
            .computeIfAbsent(h.service(), k -> new HashSet<>())
            .add(System.identityHashCode(frame.self()));
      }
      if (adaptive) adapt(h, ht);
    }
    folded.incrementAndGet();
  }

  private String stateId(ServiceTrace st, FieldSite field) {
    if (field.owner().equals(st.service())) return field.stateIdInOwner();
    String id = field.foreignStateId();
    if (st.state().stream().noneMatch(s -> s.id().equals(id))) {
      StateFieldInfo info = catalog.stateField(field.owner(), field.name());
      st.state()
          .add(
              info != null
                  ? new StateFieldInfo(id, info.owner(), info.name(), info.type(), info.kind())
                  : new StateFieldInfo(
                      id,
                      field.owner(),
                      field.name(),
                      "java.lang.Object",
                      io.compartment.analyzer.trace.StateKind.OBJECT));
    }
    return id;
  }

  private void adapt(HandlerInfo h, HandlerTrace ht) {
    Stability s = stability.computeIfAbsent(h, k -> new Stability());
    if (ht.recorded() - s.recordedAtCheck < CHECK_EVERY) return;
    s.recordedAtCheck = ht.recorded();
    String signature = signature(ht);
    if (signature.equals(s.signature)) {
      if (++s.stableChecks >= STABLE_CHECKS) {
        int mask = h.stabilityMask();
        h.stabilityMask(Math.min(mask * 2 + 1, MAX_MASK_PLUS_ONE - 1));
      }
    } else {
      s.signature = signature;
      s.stableChecks = 0;
      if (h.stabilityMask() != 0) {
        AgentLog.debug(h.reportName() + ": behaviour changed; recording every call again");
      }
      h.stabilityMask(0);
    }
  }

  /** The shape of a handler's summary: what would change its classification. */
  private static String signature(HandlerTrace ht) {
    StringBuilder sb = new StringBuilder();
    for (FieldObservation f : new TreeMap<>(ht.fields()).values()) {
      sb.append(f.field())
          .append(':')
          .append(f.keyedReads() > 0)
          .append(f.keyedWrites() > 0)
          .append(f.wholeReads() > 0)
          .append(f.wholeWrites() > 0)
          .append(f.scalarReads() > 0)
          .append(f.scalarWrites() > 0)
          .append(f.writeKinds().keySet())
          .append(f.multiKeyInvocations() > 0)
          .append(f.keyCandidates())
          .append(f.allocations() > 0)
          .append(';');
    }
    sb.append(ht.configWrites().keySet()).append(ht.truncated() > 0);
    return sb.toString();
  }

  /**
   * A consistent copy of the trace with every known service and handler (unobserved ones too) and
   * their total invocation counts.
   */
  public Trace snapshot() {
    drain();
    synchronized (trace) {
      for (ServiceCatalog.Entry e : catalog.services()) {
        ServiceTrace st = trace.service(e.service);
        synchronized (e) {
          for (StateFieldInfo s : e.state) {
            if (st.state().stream().noneMatch(x -> x.id().equals(s.id()))) st.state().add(s);
          }
          for (String c : e.config) if (!st.config().contains(c)) st.config().add(c);
          for (String w : e.warnings) if (!st.warnings().contains(w)) st.warnings().add(w);
          for (HandlerInfo h : e.handlers) {
            st.handler(h.reportName(), h.method(), h.descriptor(), h.service())
                .invocations(h.invocations())
                .cost(h.plainCostNanos(), h.timedCalls());
          }
        }
        st.instances(instances.getOrDefault(e.service, Set.of()).size());
      }
      if (dropped.get() > 0) {
        for (ServiceTrace st : trace.services().values()) {
          String w =
              "the recorder's queue was full "
                  + dropped.get()
                  + " times: those calls were"
                  + " counted but not recorded";
          if (!st.warnings().contains(w)) st.warnings().add(w);
        }
      }
      // the JSON form is the copy: it shares nothing with the live summaries
      return Trace.fromJson(io.compartment.analyzer.json.Json.write(trace.toJson()), "snapshot");
    }
  }

  long folded() {
    return folded.get();
  }
}
