package io.compartment.agent.live;

import io.compartment.agent.AgentLog;
import io.compartment.agent.CompartmentAgent;
import io.compartment.agent.config.AgentConfig;
import io.compartment.agent.report.ReportWriter;
import io.compartment.agent.route.KeyGroups;
import io.compartment.agent.route.StateSplit;
import io.compartment.agent.runtime.HandlerInfo;
import io.compartment.agent.trace.ServiceCatalog;
import io.compartment.analyzer.report.CompartmentReport;
import io.compartment.analyzer.report.HandlerReport;
import io.compartment.analyzer.report.Plan;
import io.compartment.analyzer.report.ServiceReport;
import io.compartment.analyzer.trace.StateFieldInfo;
import io.compartment.transport.aeron.EmbeddedTransport;
import io.compartment.transport.aeron.MessageChannel;
import io.compartment.transport.aeron.MessagePublisher;
import io.compartment.transport.aeron.MessageSubscriber;
import io.compartment.transport.aeron.TransportContext;
import io.compartment.transport.codec.TypeRegistry;
import io.compartment.transport.state.PartitionStore;
import io.compartment.transport.worker.AeronDirCleaner;
import io.compartment.transport.worker.WorkerCds;
import io.compartment.transport.worker.WorkerFailedException;
import io.compartment.transport.worker.WorkerListener;
import io.compartment.transport.worker.WorkerSpec;
import io.compartment.transport.worker.WorkerSupervisor;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Enables and disables compartments on the running service (DESIGN section 6): starts workers,
 * holds the compartment's calls, waits for calls in flight, splits and ships the state, waits for
 * every worker's ack, switches the routing table and releases the held calls; disabling does the
 * reverse and joins replicated fields. One toggle at a time.
 *
 * <p>System properties: {@code compartment.live.reply.timeout.ms} (a routed call with a return
 * value waits this long, default 30000), {@code compartment.live.start.timeout.ms} (workers must
 * say hello within this, default 60000), {@code compartment.live.dir} (setup, state and log files
 * of workers; default a folder under the system temp dir), and those of {@link LiveTransport}
 * ({@code compartment.live.transport=ipc|udp} and the UDP addresses and ports).
 */
public final class LiveController {
  /** What a request gets back: an HTTP-like status and a JSON-ready body. */
  public record Outcome(int status, Object body) {
    static Outcome error(int status, String message) {
      return new Outcome(status, Map.of("error", message));
    }
  }

  private static final AtomicInteger STREAMS = new AtomicInteger(1000);

  private final ServiceCatalog catalog;
  private final ReportWriter reports;
  private final long replyTimeoutMs = Long.getLong("compartment.live.reply.timeout.ms", 30_000);
  private final long startTimeoutMs = Long.getLong("compartment.live.start.timeout.ms", 60_000);

  /** How workers, the reply poller and waiting callers idle (agent option live.idle). */
  private final LiveIdle idle;

  /**
   * System property: copy a partitioned compartment's state to its workers while its calls still
   * run in the host, and move only what they wrote under the hold (default true). False moves the
   * whole state under the hold.
   */
  static final String PRECOPY_PROP = "compartment.live.precopy";

  private final boolean precopy =
      Boolean.parseBoolean(System.getProperty(PRECOPY_PROP, "true").trim());

  /**
   * System property: a caller waiting for a routed call's answer polls the reply streams itself
   * while no other thread does (default true), instead of parking until the poller thread hands the
   * answer over. False leaves all polling to the poller thread.
   */
  static final String CALLER_POLLS_PROP = "compartment.live.caller.polls";

  private final boolean callerPolls =
      Boolean.parseBoolean(System.getProperty(CALLER_POLLS_PROP, "true").trim());

  private final Map<String, Enabled> enabled = new LinkedHashMap<>();
  private final Map<String, String> workerFailures = new ConcurrentHashMap<>();

  /** What a worker's next process needs, by worker id; from enable to stop. */
  private final Map<String, Incarnation> incarnations = new ConcurrentHashMap<>();

  /** A worker's link and setup, whose call stream is renewed for each of its processes. */
  private static final class Incarnation {
    final WorkerLink link;
    final Path setupFile;
    WorkerSetup setup; // the supervisor's thread only, after prepare

    Incarnation(WorkerLink link, WorkerSetup setup, Path setupFile) {
      this.link = link;
      this.setup = setup;
      this.setupFile = setupFile;
    }
  }

  /** What is enabled, readable without the controller's lock (by the supervisor's listener). */
  private final List<Enabled> enabledView = new ArrayList<>();

  private EmbeddedTransport transport;
  private ReplyPoller poller;
  private final LiveTransport.Ports udpPorts = new LiveTransport.Ports();
  private WorkerSupervisor supervisor;
  private Path dir;

  /** An enabled compartment: its routes (one per service object) and what the toggle measured. */
  private static final class Enabled {
    final CompartmentReport report;
    final int count;
    final List<CompartmentRoute> routes = new ArrayList<>();
    final List<String> workerIds = new ArrayList<>();
    final List<Path> files = new ArrayList<>();
    final List<Path> stores = new ArrayList<>();
    final List<Integer> ports = new ArrayList<>();
    LiveTransport transport;
    List<StateFieldInfo> fields;
    List<String> config = List.of();
    String service;
    double pauseMs;
    long stateEntries;

    Enabled(CompartmentReport report, int count) {
      this.report = report;
      this.count = count;
    }
  }

  public LiveController(ServiceCatalog catalog, ReportWriter reports, AgentConfig config) {
    this.catalog = catalog;
    this.reports = reports;
    this.idle = LiveIdle.parse(config == null ? null : config.liveIdle());
  }

  // ------------------------------------------------------------------ enable

  /**
   * Enables {@code report}'s compartment with {@code count} partitions or replicas on every live
   * object of its service. Enabling one already enabled with another count re-partitions it.
   */
  public synchronized Outcome enable(CompartmentReport report, String service, int count) {
    if (report.plan() == Plan.DECOUPLE && count != 1) {
      return Outcome.error(
          400,
          "compartment "
              + report.id()
              + " has plan DECOUPLE: it runs whole in one worker process; give \"replicas\": 1");
    }
    Enabled current = enabled.get(report.id());
    if (current != null) {
      if (current.count == count) return new Outcome(200, describe(current, "already enabled"));
      Outcome off = disable(report.id());
      if (off.status() != 200) return off;
    }
    List<Object> instances = LiveInstances.of(service);
    if (instances.isEmpty()) {
      return Outcome.error(
          409, "no object of " + service + " has handled a call yet; nothing to enable");
    }
    ServiceCatalog.Entry entry = null;
    for (ServiceCatalog.Entry e : catalog.services()) if (e.service.equals(service)) entry = e;
    if (entry == null) return Outcome.error(404, "service " + service + " is not known");
    Enabled on = new Enabled(report, count);
    on.service = service;
    try {
      on.transport = LiveTransport.fromSystemProperties();
    } catch (IllegalArgumentException e) {
      return Outcome.error(400, "enable " + report.id() + ": " + e.getMessage());
    }
    long started = System.nanoTime();
    try {
      start();
      on.fields = stateFields(report, entry);
      checkMemory(on, instances);
      synchronized (entry) {
        on.config = new ArrayList<>(entry.config);
      }
      List<HandlerInfo> handlers = handlers(report, entry);
      for (int j = 0; j < instances.size(); j++) {
        prepare(on, entry, handlers, instances.get(j), j);
      }
      awaitHellos(on);
      switchOver(on, handlers);
    } catch (Throwable t) {
      rollBack(on);
      String why = t.getMessage() == null ? t.toString() : t.getMessage();
      AgentLog.failure("enable", "enable " + report.id() + " failed; it keeps running here", t);
      return Outcome.error(
          t instanceof IllegalStateException ? 409 : 500,
          "enable "
              + report.id()
              + " failed: "
              + why
              + "; the compartment keeps running in the host");
    }
    enabled.put(report.id(), on);
    RoutingCost.enabled(true);
    synchronized (enabledView) {
      enabledView.add(on);
    }
    AgentLog.info(
        "enabled "
            + report.id()
            + " with "
            + count
            + (report.plan() == Plan.PARTITION ? " partitions" : " workers")
            + " on "
            + instances.size()
            + " object(s) in "
            + (System.nanoTime() - started) / 1_000_000
            + " ms; pause "
            + String.format("%.2f", on.pauseMs)
            + " ms");
    return new Outcome(200, describe(on, "enabled"));
  }

  private List<HandlerInfo> handlers(CompartmentReport report, ServiceCatalog.Entry entry) {
    List<HandlerInfo> out = new ArrayList<>();
    for (String name : report.handlers()) {
      HandlerInfo found = null;
      synchronized (entry) {
        for (HandlerInfo h : entry.handlers) if (h.reportName().equals(name)) found = h;
      }
      if (found == null) throw new IllegalStateException("handler " + name + " is not loaded");
      out.add(found);
    }
    return out;
  }

  private List<StateFieldInfo> stateFields(CompartmentReport report, ServiceCatalog.Entry entry) {
    List<StateFieldInfo> out = new ArrayList<>();
    for (String id : report.state()) {
      // ids are simple names on the service class itself, Owner.field elsewhere: the service's
      // own fields first, so that two services' fields of one name never mix
      StateFieldInfo found = null;
      synchronized (entry) {
        for (StateFieldInfo f : entry.state) if (f.id().equals(id)) found = f;
      }
      if (found == null) {
        for (StateFieldInfo f : catalog.stateFields()) {
          if (f.id().equals(id) && (found == null || f.owner().equals(entry.service))) found = f;
        }
      }
      if (found == null) throw new IllegalStateException("state field " + id + " is not known");
      out.add(found);
    }
    return out;
  }

  /**
   * Starts one object's workers and links, adding its route to {@code on}; nothing is routed yet.
   */
  private void prepare(
      Enabled on, ServiceCatalog.Entry entry, List<HandlerInfo> handlers, Object self, int j)
      throws IOException {
    CompartmentReport report = on.report;
    TypeRegistry registry = WireTypes.registry(self, handlers, on.fields, entry);
    List<String> emits = WorkerEmits.KEYS.entries();
    CompartmentRoute route =
        new CompartmentRoute(
            self,
            report.id(),
            report.plan().name(),
            registry,
            new Emitters(self, emits, entry.outboxes),
            replyTimeoutMs);
    route.idle = idle;
    route.replies = callerPolls ? poller : null;
    List<WorkerSetup.HandlerSpec> hs = new ArrayList<>();
    for (HandlerInfo h : handlers) {
      String key = report.plan() == Plan.PARTITION ? report.routes().get(h.reportName()) : null;
      hs.add(new WorkerSetup.HandlerSpec(h.method(), h.descriptor(), key));
    }
    List<WorkerSetup.FieldSpec> fs = new ArrayList<>();
    for (StateFieldInfo f : on.fields) {
      String role =
          report.plan() == Plan.PARTITION && !report.replicated().contains(f.id())
              ? "partitioned"
              : report.plan() == Plan.PARTITION ? "replicated" : "whole";
      fs.add(new WorkerSetup.FieldSpec(f.id(), f.owner(), f.name(), pathTo(self, f), role));
    }
    long held = 0;
    for (StateFieldInfo f : on.fields) {
      Object v = StateSplit.locate(self, List.of(f)).get(0).get();
      held += MemoryBudget.entries(v);
    }
    // room for the state growing twice over while enabled, and for stored results
    long entries = Math.max(100_000, 2 * held / Math.max(1, on.count) * 2 + 10_000);
    List<String> types = new ArrayList<>();
    for (Class<?> c : registry.classes()) types.add(c.getName());
    WorkerLink[] links = new WorkerLink[on.count];
    // known to the enable before any worker starts, so that a failure part way stops those started
    route.links = links;
    on.routes.add(route);
    LiveTransport lt = on.transport;
    for (int w = 0; w < on.count; w++) {
      int callStream = STREAMS.incrementAndGet();
      int replyStream = STREAMS.incrementAndGet();
      String base = report.id().replaceAll("[^A-Za-z0-9._-]", "-") + "-o" + j + "-w" + w;
      Path setupFile = dir.resolve(base + ".json");
      Path store = dir.resolve(base + ".cmap");
      PartitionStore.deleteFiles(store);
      String callChannel = "aeron:ipc";
      String replyChannel = "aeron:ipc";
      if (lt.udp) {
        int callPort = udpPorts.take(lt, lt.workerHost, "the calls to worker " + base);
        on.ports.add(callPort);
        int replyPort = udpPorts.take(lt, lt.host, "the replies of worker " + base);
        on.ports.add(replyPort);
        callChannel = LiveTransport.udpChannel(lt.workerHost, callPort);
        replyChannel = LiveTransport.udpChannel(lt.host, replyPort);
      }
      AeronDirCleaner cleaner = AeronDirCleaner.fromSystemProperties();
      WorkerSetup setup =
          new WorkerSetup(
              entry.service,
              report.id(),
              report.plan().name(),
              w,
              on.count,
              lt.mode(),
              lt.udp ? cleaner.baseDir().toString() : transport.aeronDirectoryName(),
              lt.udp ? cleaner.prefix() : "",
              transport.context().termBufferLength(),
              callChannel,
              replyChannel,
              callStream,
              replyStream,
              store.toString(),
              types,
              registry.fingerprint(),
              hs,
              fs,
              emits,
              entry.outboxes,
              entry.config,
              entries,
              idle.label());
      setup.write(setupFile);
      on.files.add(setupFile);
      on.stores.add(store);
      MessagePublisher calls = transport.publisher(MessageChannel.of(callChannel, callStream));
      final WorkerLink[] holder = new WorkerLink[1];
      MessageSubscriber replies;
      try {
        replies =
            transport.subscriber(
                MessageChannel.of(replyChannel, replyStream),
                (buffer, offset, length, header) ->
                    holder[0].onFrame(buffer, offset, length, header));
      } catch (RuntimeException e) {
        calls.close();
        throw new IllegalStateException(
            "cannot listen for the replies of worker " + base + " on " + replyChannel + ": " + e);
      }
      String workerId = base;
      workerFailures.remove(workerId); // a failure of an earlier enable's worker of this id
      links[w] =
          new WorkerLink(
              w, workerId, calls, replies, route, TimeUnit.MILLISECONDS.toNanos(replyTimeoutMs));
      holder[0] = links[w];
      poller.add(links[w]);
      incarnations.put(workerId, new Incarnation(links[w], setup, setupFile));
      Path agentJar = agentJar();
      String classPath = workerClassPath(agentJar);
      supervisor.supervise(
          new WorkerSpec(workerId, WorkerMain.class.getName())
              .classPath(classPath)
              .cdsArchive(
                  WorkerCds.enabled()
                      ? WorkerCds.archiveFor(
                          classPath
                              + "|"
                              + System.getProperty(WorkerSpec.JVM_FLAGS_PROP_NAME, "")
                              + "|"
                              + System.getProperty(WorkerSpec.FAST_START_PROP_NAME, ""))
                      : null)
              .javaAgent(agentJar, "mode=worker,control=off")
              .arguments(setupFile.toString())
              .logFile(dir.resolve(base + ".log")));
      on.workerIds.add(workerId);
    }
    route.maxFrame = links[0].maxFrame();
    route.mover =
        new CompartmentRoute.Mover() {
          @Override
          public void merge(CompartmentRoute r, List<Map<String, Object>> states) {
            LiveController.merge(on, r, states);
          }

          @Override
          public void shipBack(CompartmentRoute r) throws Exception {
            for (CompletableFuture<Object> a : ship(on, r)) {
              Object answer = a.get(startTimeoutMs, TimeUnit.MILLISECONDS);
              if (answer instanceof RoutedCall rc && rc.failure() != null) {
                throw new IllegalStateException(
                    "a worker could not load its state: " + rc.failure());
              }
            }
          }
        };
    // configuration is never written by handlers (the report checks it): read it before the pause
    route.config = WireTypes.config(self, on.config, registry);
  }

  private void awaitHellos(Enabled on) throws InterruptedException {
    long deadline = System.currentTimeMillis() + startTimeoutMs;
    for (CompartmentRoute r : on.routes) {
      for (WorkerLink l : r.links) {
        while (!l.helloSeen()) {
          String failed = workerFailures.remove(l.workerId);
          if (failed != null) throw new IllegalStateException(failed);
          if (System.currentTimeMillis() > deadline) {
            throw new IllegalStateException(
                "worker " + l.workerId + " did not start within " + startTimeoutMs + " ms");
          }
          Thread.sleep(2);
        }
      }
    }
  }

  /**
   * The pause. Without a pre-copy: hold, drain, split, ship, await acks, switch, release. With one
   * (a partitioned compartment, {@value #PRECOPY_PROP} on): hold, drain, copy the partitioned
   * containers, release; ship the copies while calls run in the host and mark their keys; then
   * hold, drain, ship the whole-valued fields and the entries under marked keys, await acks,
   * switch, release. The pause is the two holds.
   */
  private void switchOver(Enabled on, List<HandlerInfo> handlers) throws Exception {
    Set<String> methods = new HashSet<>();
    for (HandlerInfo h : handlers) methods.add(h.service() + "#" + h.method());
    long hold = System.nanoTime();
    for (CompartmentRoute r : on.routes) {
      r.gate.hold(1, TimeUnit.SECONDS);
      HandlerRoute[] table = new HandlerRoute[maxId(handlers) + 1];
      for (int i = 0; i < handlers.size(); i++) {
        HandlerInfo h = handlers.get(i);
        String key =
            on.report.plan() == Plan.PARTITION ? on.report.routes().get(h.reportName()) : null;
        boolean broadcast = on.report.broadcast().contains(h.reportName());
        table[h.id()] =
            new HandlerRoute(
                r,
                i,
                h.reportName(),
                key == null ? null : new KeyPath(key),
                !h.descriptor().endsWith(")V"),
                broadcast,
                broadcast && readOnly(on.service, h.reportName()));
      }
      Router.install(r.self, table);
    }
    long held = System.nanoTime();
    quiesce(methods);
    long quiet = System.nanoTime();
    if (!precopy || on.report.plan() != Plan.PARTITION) {
      List<CompletableFuture<Object>> acks = new ArrayList<>();
      for (CompartmentRoute r : on.routes) acks.addAll(ship(on, r));
      long shipped = System.nanoTime();
      awaitLoaded(acks, on);
      route(on);
      on.pauseMs = (System.nanoTime() - hold) / 1e6;
      debugPause(
          on,
          "hold_ms",
          (held - hold) / 1e6,
          "in_flight_ms",
          (quiet - held) / 1e6,
          "ship_ms",
          (shipped - quiet) / 1e6,
          "acks_ms",
          (System.nanoTime() - shipped) / 1e6);
      return;
    }
    precopyAndSwitch(on, methods, hold, held, quiet);
  }

  /**
   * The rest of an enable with a pre-copy, from the first hold (gates closed, calls drained since
   * {@code quiet}): copy, open, ship the copy, catch up, hold again, ship the rest, switch, open.
   */
  private void precopyAndSwitch(Enabled on, Set<String> methods, long hold, long held, long quiet)
      throws Exception {
    Map<CompartmentRoute, Copy> copies = new IdentityHashMap<>();
    for (CompartmentRoute r : on.routes) copies.put(r, copy(on, r));
    for (CompartmentRoute r : on.routes) {
      r.dirty = new DirtyKeys(DirtyKeys.limitFor(copies.get(r).entries()));
      r.phase = CompartmentRoute.Phase.PRECOPY;
      r.gate.release();
    }
    long released = System.nanoTime();
    List<CompletableFuture<Object>> acks = new ArrayList<>();
    boolean losing = false;
    for (CompartmentRoute r : on.routes) {
      if (losing) {
        // its copy is not sent at all: the hold must move its whole state too
        r.dirty.markAll("the copy of another object of the compartment was outrun");
      } else {
        acks.addAll(shipCopy(on, r, copies.get(r)));
      }
      losing |= r.dirty.everything() != null;
    }
    // a copy that calls outrun is cut short (the rest of it would only delay the hold); the hold
    // then moves everything, and the frames already sent are dropped by the workers
    if (!losing) awaitLoaded(acks, on);
    long caughtUpKeys = 0;
    long catchUpHoldNs = 0;
    int rounds = 0;
    while (!losing && rounds < CATCH_UP_ROUNDS && catchUpPays(on, copies)) {
      long h = System.nanoTime();
      holdAgain(on, methods);
      Map<CompartmentRoute, List<StateDelta>> taken = new IdentityHashMap<>();
      for (CompartmentRoute r : on.routes) {
        caughtUpKeys += r.dirty.size();
        taken.put(r, lookUp(r, copies.get(r)));
        r.dirty = new DirtyKeys(DirtyKeys.limitFor(copies.get(r).entries()));
      }
      for (CompartmentRoute r : on.routes) {
        r.phase = CompartmentRoute.Phase.PRECOPY;
        r.gate.release();
      }
      catchUpHoldNs += System.nanoTime() - h;
      acks.clear();
      for (CompartmentRoute r : on.routes) {
        acks.addAll(shipDelta(on, r, copies.get(r), taken.get(r), true));
      }
      awaitLoaded(acks, on);
      rounds++;
    }
    long secondHold = System.nanoTime();
    holdAgain(on, methods);
    long quietAgain = System.nanoTime();
    acks.clear();
    long dirtyKeys = 0;
    List<String> whole = new ArrayList<>();
    for (CompartmentRoute r : on.routes) {
      dirtyKeys += r.dirty.size();
      Copy copy = copies.get(r);
      String why = r.dirty.everything();
      if (why == null) why = copy.replaced();
      List<StateDelta> deltas = why == null ? lookUp(r, copy) : null;
      if (why == null && deltas == null) {
        if (rounds == 0) {
          deltas = scan(r, copy);
        } else {
          why = "keys of another class than the state's were written after a catch-up round";
        }
      }
      if (why == null) {
        acks.addAll(shipDelta(on, r, copy, deltas, false));
      } else {
        whole.add(why);
        on.stateEntries -= copy.entries();
        acks.addAll(ship(on, r));
      }
    }
    long shipped = System.nanoTime();
    awaitLoaded(acks, on);
    route(on);
    long done = System.nanoTime();
    on.pauseMs = ((released - hold) + catchUpHoldNs + (done - secondHold)) / 1e6;
    debugPause(
        on,
        "hold_ms",
        (held - hold) / 1e6,
        "in_flight_ms",
        (quiet - held) / 1e6,
        "copy_ms",
        (released - quiet) / 1e6,
        "precopy_ms",
        (secondHold - released) / 1e6,
        "catch_up_rounds",
        (double) rounds,
        "catch_up_keys",
        (double) caughtUpKeys,
        "catch_up_hold_ms",
        catchUpHoldNs / 1e6,
        "second_hold_ms",
        (done - secondHold) / 1e6,
        "second_in_flight_ms",
        (quietAgain - secondHold) / 1e6,
        "dirty_keys",
        (double) dirtyKeys,
        "ship_ms",
        (shipped - quietAgain) / 1e6,
        "acks_ms",
        (done - shipped) / 1e6);
    if (!whole.isEmpty()) {
      AgentLog.info(
          on.report.id()
              + ": the state was moved whole under the hold: "
              + String.join("; ", whole));
    }
  }

  /**
   * The debug line of a pause's parts, as {@code name=value} pairs in ms (benchmarks read it):
   * {@code hold_ms} closing the gate, {@code in_flight_ms} waiting for calls inside, {@code
   * copy_ms} copying the partitioned containers, {@code precopy_ms} shipping the copy while calls
   * ran (not paused), {@code second_in_flight_ms} the second hold's wait, {@code dirty_keys} keys
   * written meanwhile, {@code ship_ms} splitting and sending what the pause moves, {@code acks_ms}
   * waiting for the workers to take it.
   */
  private static void debugPause(Enabled on, Object... parts) {
    if (!AgentLog.isDebug()) return;
    StringBuilder b = new StringBuilder(on.report.id()).append(" pause: pause_ms=");
    b.append(String.format(java.util.Locale.ROOT, "%.2f", on.pauseMs));
    for (int i = 0; i < parts.length; i += 2) {
      b.append(' ').append(parts[i]).append('=');
      b.append(String.format(java.util.Locale.ROOT, "%.2f", (Double) parts[i + 1]));
    }
    AgentLog.debug(b.toString());
  }

  private static void quiesce(Set<String> methods) throws InterruptedException {
    String busy = Quiescence.await(methods, 10_000);
    if (busy != null) {
      throw new IllegalStateException("calls in flight did not finish within 10 s (" + busy + ")");
    }
  }

  /** Switches every route of {@code on} to its workers and lets the held calls go. */
  private static void route(Enabled on) {
    for (CompartmentRoute r : on.routes) {
      r.phase = CompartmentRoute.Phase.ROUTED;
      r.gate.release();
    }
  }

  /** Waits until every worker has loaded what was shipped to it. */
  private void awaitLoaded(List<CompletableFuture<Object>> acks, Enabled on) throws Exception {
    for (CompletableFuture<Object> a : acks) {
      if (awaitAck(a, on) instanceof RoutedCall rc && rc.failure() != null) {
        throw new IllegalStateException("a worker could not load its state: " + rc.failure());
      }
    }
  }

  /** Waits for one worker's ack, giving up at once when one of the workers has failed. */
  private Object awaitAck(CompletableFuture<Object> ack, Enabled on) throws Exception {
    long deadline = System.currentTimeMillis() + startTimeoutMs;
    while (true) {
      try {
        return ack.get(50, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException notYet) {
        for (String w : on.workerIds) {
          String failed = workerFailures.remove(w);
          if (failed != null) throw new IllegalStateException(failed);
        }
        for (CompartmentRoute r : on.routes) {
          for (WorkerLink l : r.links) {
            if (l.fault() != null) throw new IllegalStateException(l.fault());
          }
        }
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException(
              "workers did not take their state within " + startTimeoutMs + " ms");
        }
      }
    }
  }

  /**
   * Whether a broadcast handler writes no state, by both the trace (no write of any kind in any
   * recorded call) and the bytecode (complete facts, no field assigned, no state escaping). When
   * either is unsure, the state is shipped back after each broadcast.
   */
  private boolean readOnly(String service, String handler) {
    for (ServiceReport s : reports.current().services()) {
      if (!s.service().equals(service)) continue;
      for (HandlerReport h : s.handlers()) {
        if (!h.handler().equals(handler)) continue;
        if (h.recorded() == 0 || h.staticFacts() == null || !h.staticFacts().complete()) {
          return false;
        }
        if (!h.staticFacts().stateFieldsWritten().isEmpty()
            || !h.staticFacts().escapes().isEmpty()) {
          return false;
        }
        for (Object e : h.evidence().values()) {
          if (!(e instanceof Map<?, ?> m)) return false;
          for (String k : List.of("keyedWrites", "wholeWrites", "scalarWrites")) {
            if (!(m.get(k) instanceof Number n) || n.longValue() != 0) return false;
          }
        }
        return true;
      }
    }
    return false;
  }

  private static int maxId(List<HandlerInfo> handlers) {
    int max = 0;
    for (HandlerInfo h : handlers) max = Math.max(max, h.id());
    return max;
  }

  /** Splits one object's state and sends every worker its share; the futures are the acks. */
  private List<CompletableFuture<Object>> ship(Enabled on, CompartmentRoute r) {
    List<StateSplit.Located> located = StateSplit.locate(r.self, on.fields);
    int n = r.links.length;
    List<Map<String, Object>> first = new ArrayList<>();
    List<List<byte[]>> pieces = new ArrayList<>();
    Map<String, Object> config = r.config;
    for (int w = 0; w < n; w++) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("config", config);
      first.add(f);
      pieces.add(new ArrayList<>());
    }
    KeyGroups groups = r.groups;
    for (int i = 0; i < located.size(); i++) {
      StateSplit.Located l = located.get(i);
      Object value = l.get();
      String id = l.id();
      boolean partitioned =
          on.report.plan() == Plan.PARTITION && !on.report.replicated().contains(id);
      if (Shares.keyed(value) && (partitioned || on.report.plan() != Plan.PARTITION)) {
        for (int w = 0; w < n; w++) first.get(w).put("c:" + i, StateSplit.emptyLike(value));
        Map<Integer, Object> perWorker = new HashMap<>();
        if (partitioned) {
          // one pass into each worker's share (no per-group maps to copy again)
          List<Object> shares = StateDelta.byWorker(value, groups, n);
          for (int w = 0; w < n; w++) perWorker.put(w, shares.get(w));
        } else {
          perWorker.put(0, value);
        }
        for (Map.Entry<Integer, Object> e : perWorker.entrySet()) {
          on.stateEntries += MemoryBudget.entries(e.getValue());
          for (Object chunk : Shares.chunks(e.getValue(), () -> StateSplit.emptyLike(value))) {
            pieces.get(e.getKey()).addAll(framed(r, "s:" + i, id, chunk, value));
          }
        }
      } else {
        for (int w = 0; w < n; w++) first.get(w).put("r:" + i, value);
      }
    }
    return send(r, first, WorkerMain.FLAG_FIRST, pieces);
  }

  /** Whether field {@code id} of {@code on} is split by key among the workers. */
  private static boolean partitionedKeyed(Enabled on, String id, Object value) {
    return on.report.plan() == Plan.PARTITION
        && !on.report.replicated().contains(id)
        && Shares.keyed(value);
  }

  /**
   * The partitioned containers of one object as they were under the first hold.
   *
   * @param originals field index to the container the field held then
   * @param copies field index to a copy of it, taken then
   * @param keyClasses field index to the one class of its copy's keys (null if empty or mixed),
   *     filled in once the calls go on
   * @param entries entries copied
   */
  private record Copy(
      List<StateSplit.Located> located,
      Map<Integer, Object> originals,
      Map<Integer, Object> copies,
      Map<Integer, Class<?>> keyClasses,
      long entries) {
    /** Why the marked keys cannot tell what changed (a field holds a new container), or null. */
    String replaced() {
      for (Map.Entry<Integer, Object> e : originals.entrySet()) {
        if (located.get(e.getKey()).get() != e.getValue()) {
          return "state field " + located.get(e.getKey()).id() + " holds a new container";
        }
      }
      return null;
    }
  }

  /** Copies one object's partitioned containers (first hold; the entries are not cloned). */
  private Copy copy(Enabled on, CompartmentRoute r) {
    List<StateSplit.Located> located = StateSplit.locate(r.self, on.fields);
    Map<Integer, Object> originals = new HashMap<>();
    Map<Integer, Object> copies = new HashMap<>();
    long entries = 0;
    for (int i = 0; i < located.size(); i++) {
      StateSplit.Located l = located.get(i);
      Object value = l.get();
      if (!partitionedKeyed(on, l.id(), value)) continue;
      Object copy = Shares.copyOf(value, l.id());
      originals.put(i, value);
      copies.put(i, copy);
      entries += MemoryBudget.entries(value);
    }
    on.stateEntries += entries;
    return new Copy(located, originals, copies, new HashMap<>(), entries);
  }

  /**
   * Sends every worker its share of the copied containers, as a first load (what a worker held
   * before is dropped). Calls run in the host meanwhile and may change an entry while it is
   * encoded: a chunk that cannot be encoded is left out and its keys are marked, so that it goes
   * out under the second hold.
   */
  private List<CompletableFuture<Object>> shipCopy(Enabled on, CompartmentRoute r, Copy copy) {
    int n = r.links.length;
    List<Map<String, Object>> first = new ArrayList<>();
    List<List<byte[]>> pieces = new ArrayList<>();
    for (int w = 0; w < n; w++) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("config", r.config);
      first.add(f);
      pieces.add(new ArrayList<>());
    }
    for (Map.Entry<Integer, Object> e : copy.copies().entrySet()) {
      int i = e.getKey();
      Object container = e.getValue();
      String id = copy.located().get(i).id();
      for (int w = 0; w < n; w++) first.get(w).put("c:" + i, StateSplit.emptyLike(container));
      copy.keyClasses().put(i, StateDelta.keyClass(container));
      List<Object> shares =
          StateDelta.byWorker(container, r.groups, n, () -> r.dirty.everything() != null);
      if (shares == null) break; // outrun: the hold will move everything
      for (int w = 0; w < n; w++) {
        for (Object chunk : Shares.chunks(shares.get(w), () -> StateSplit.emptyLike(container))) {
          if (r.dirty.everything() != null) break; // outrun: the hold will move everything
          try {
            pieces.get(w).addAll(framed(r, "s:" + i, id, chunk, container));
          } catch (IllegalStateException tooLarge) {
            throw tooLarge;
          } catch (RuntimeException changing) {
            r.dirty.markKeys(chunk instanceof Map<?, ?> m ? m.keySet() : (Set<?>) chunk);
          }
        }
      }
    }
    return send(r, first, WorkerMain.FLAG_FIRST, pieces, () -> r.dirty.everything() != null);
  }

  /** Catch-up rounds at most, before the last hold. */
  static final int CATCH_UP_ROUNDS = 3;

  /** Keys written during a round below which the last hold moves them itself. */
  static final int CATCH_UP_MIN_KEYS = 256;

  /** Closes the gates again, with calls that ran meanwhile marked, and waits for those inside. */
  private void holdAgain(Enabled on, Set<String> methods) throws InterruptedException {
    for (CompartmentRoute r : on.routes) {
      // the gate first: a call that passed it reads PRECOPY and marks its key; were the phase
      // changed first, a call passing the still open gate would run here unmarked
      if (!r.gate.hold(replyTimeoutMs, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "calls of " + r.compartment + " did not leave the gate to be held again");
      }
      r.phase = CompartmentRoute.Phase.HOLDING;
    }
    quiesce(methods);
  }

  /**
   * Whether another round before the last hold is worth it: enough keys were written, and every one
   * of them can be looked up (else the last hold scans or ships whole, and rounds do not help).
   */
  private static boolean catchUpPays(Enabled on, Map<CompartmentRoute, Copy> copies) {
    long written = 0;
    for (CompartmentRoute r : on.routes) {
      Copy copy = copies.get(r);
      if (r.dirty.everything() != null || copy.replaced() != null) return false;
      for (Integer i : copy.copies().keySet()) {
        if (r.dirty.lookupKeys(copy.keyClasses().get(i)) == null) return false;
      }
      written += r.dirty.size();
    }
    return written >= CATCH_UP_MIN_KEYS;
  }

  /** Under a hold: each copied field's entries under the marked keys, or null if not all can. */
  private static List<StateDelta> lookUp(CompartmentRoute r, Copy copy) {
    List<StateDelta> deltas = new ArrayList<>();
    for (int i = 0; i < copy.located().size(); i++) {
      if (!copy.copies().containsKey(i)) {
        deltas.add(null);
        continue;
      }
      java.util.Collection<Object> keys = r.dirty.lookupKeys(copy.keyClasses().get(i));
      if (keys == null) return null;
      Object live = copy.located().get(i).get();
      deltas.add(StateDelta.lookup(keys, live, r.groups, r.links.length));
    }
    return deltas;
  }

  /** Under a hold, before any catch-up round: the delta by scanning each field and its copy. */
  private static List<StateDelta> scan(CompartmentRoute r, Copy copy) {
    List<StateDelta> deltas = new ArrayList<>();
    for (int i = 0; i < copy.located().size(); i++) {
      Object copied = copy.copies().get(i);
      deltas.add(
          copied == null
              ? null
              : StateDelta.of(
                  copied, copy.located().get(i).get(), r.dirty, r.groups, r.links.length));
    }
    return deltas;
  }

  /**
   * Sends the entries under marked keys and the marked keys now gone ({@code deltas}, one per
   * field, null for a field not split by key). Under the last hold ({@code catchUp} false) the
   * whole-valued fields go too, as they are now. A catch-up round sends while calls run: a piece
   * that cannot be encoded then (an entry changing) is left out and its keys marked again.
   */
  private List<CompletableFuture<Object>> shipDelta(
      Enabled on, CompartmentRoute r, Copy copy, List<StateDelta> deltas, boolean catchUp) {
    int n = r.links.length;
    List<Map<String, Object>> first = new ArrayList<>();
    List<List<byte[]>> pieces = new ArrayList<>();
    for (int w = 0; w < n; w++) {
      first.add(new LinkedHashMap<>());
      pieces.add(new ArrayList<>());
    }
    List<StateSplit.Located> located = copy.located();
    for (int i = 0; i < located.size(); i++) {
      StateSplit.Located l = located.get(i);
      StateDelta delta = deltas.get(i);
      if (delta == null) {
        if (!catchUp) for (int w = 0; w < n; w++) first.get(w).put("r:" + i, l.get());
        continue;
      }
      Object like = copy.copies().get(i);
      for (int w = 0; w < n; w++) {
        for (Object chunk : Shares.chunks(delta.puts().get(w), () -> StateSplit.emptyLike(like))) {
          try {
            pieces.get(w).addAll(framed(r, "s:" + i, l.id(), chunk, like));
          } catch (IllegalStateException tooLarge) {
            throw tooLarge;
          } catch (RuntimeException changing) {
            if (!catchUp) throw changing;
            r.dirty.markKeys(chunk instanceof Map<?, ?> m ? m.keySet() : (Set<?>) chunk);
          }
        }
        Set<Object> gone = delta.removals().get(w);
        for (Object chunk : Shares.chunks(gone, HashSet::new)) {
          pieces.get(w).addAll(framed(r, "d:" + i, l.id(), chunk, gone));
        }
      }
    }
    return send(r, first, (byte) 0, pieces);
  }

  /** Sends each worker its head frame, then its pieces; the futures are the acks. */
  private static List<CompletableFuture<Object>> send(
      CompartmentRoute r,
      List<Map<String, Object>> heads,
      byte headFlags,
      List<List<byte[]>> pieces) {
    return send(r, heads, headFlags, pieces, () -> false);
  }

  /** {@link #send}, sending nothing more once {@code stop} holds. */
  private static List<CompletableFuture<Object>> send(
      CompartmentRoute r,
      List<Map<String, Object>> heads,
      byte headFlags,
      List<List<byte[]>> pieces,
      java.util.function.BooleanSupplier stop) {
    List<CompletableFuture<Object>> acks = new ArrayList<>();
    for (int w = 0; w < heads.size(); w++) {
      byte[] head;
      try {
        head = r.frame(Wire.LOAD, headFlags, 0, heads.get(w));
      } catch (CompartmentRoute.FrameTooLargeException e) {
        throw new IllegalStateException(
            "the configuration and whole-valued state of " + r.compartment + ": " + e.getMessage());
      }
      CompletableFuture<Object> a = new CompletableFuture<>();
      r.links[w].send(Wire.LOAD, head, a);
      acks.add(a);
      for (byte[] p : pieces.get(w)) {
        if (stop.getAsBoolean()) return acks;
        a = new CompletableFuture<>();
        r.links[w].send(Wire.LOAD, p, a);
        acks.add(a);
      }
    }
    return acks;
  }

  /** Frames of one chunk of a keyed field, halving it until each piece fits a frame. */
  private static List<byte[]> framed(
      CompartmentRoute r, String name, String id, Object chunk, Object like) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put(name, chunk);
    try {
      return List.of(r.frame(Wire.LOAD, (byte) 0, 0, p));
    } catch (CompartmentRoute.FrameTooLargeException tooLarge) {
      int entries = (int) MemoryBudget.entries(chunk);
      if (entries <= 1) {
        throw new IllegalStateException(
            "state field " + id + ": one entry is too large to ship: " + tooLarge.getMessage());
      }
      List<byte[]> out = new ArrayList<>();
      for (Object half :
          Shares.chunks(chunk, () -> StateSplit.emptyLike(like), (entries + 1) / 2)) {
        out.addAll(framed(r, name, id, half, like));
      }
      return out;
    }
  }

  /**
   * Refuses, before any worker starts, an enable whose workers would not fit in the memory the
   * machine has now ({@link MemoryBudget}).
   */
  private static void checkMemory(Enabled on, List<Object> instances) {
    long entries = 0;
    for (Object self : instances) {
      for (StateFieldInfo f : on.fields) {
        entries += MemoryBudget.entries(StateSplit.locate(self, List.of(f)).get(0).get());
      }
    }
    int copies = on.report.plan() == Plan.REPLICATE ? on.count : 1;
    String why = MemoryBudget.refusal(entries, copies, MemoryBudget.availableBytes());
    if (why != null) throw new IllegalStateException(why);
  }

  /** Fields from the service object to the object declaring {@code f}, as {@code name:Class}. */
  private static List<String> pathTo(Object root, StateFieldInfo f) {
    Map<Object, Object[]> parent = new IdentityHashMap<>();
    ArrayDeque<Object> queue = new ArrayDeque<>();
    queue.add(root);
    parent.put(root, null);
    while (!queue.isEmpty() && parent.size() < 10_000) {
      Object o = queue.poll();
      if (declares(o.getClass(), f.owner())) {
        List<String> path = new ArrayList<>();
        for (Object[] p = parent.get(o); p != null; p = parent.get(p[0])) {
          path.add(0, p[1] + ":" + p[2]);
        }
        return path;
      }
      String n = o.getClass().getName();
      if (o.getClass().isArray() || n.startsWith("java.") || n.startsWith("jdk.")) continue;
      for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
        for (Field fld : c.getDeclaredFields()) {
          if (java.lang.reflect.Modifier.isStatic(fld.getModifiers())
              || fld.getType().isPrimitive()) continue;
          try {
            fld.setAccessible(true);
            Object next = fld.get(o);
            if (next != null && !parent.containsKey(next)) {
              parent.put(next, new Object[] {o, fld.getName(), next.getClass().getName()});
              queue.add(next);
            }
          } catch (ReflectiveOperationException | RuntimeException unreadable) {
            // leads nowhere we can use
          }
        }
      }
    }
    throw new IllegalStateException(
        "state field " + f.id() + ": no object of " + f.owner() + " is reachable from the service");
  }

  private static boolean declares(Class<?> type, String owner) {
    for (Class<?> c = type; c != null; c = c.getSuperclass())
      if (c.getName().equals(owner)) return true;
    return false;
  }

  // ------------------------------------------------------------------ disable

  /** A worker that failed for good: its waiting calls get the failure at once, later ones too. */
  private void failLink(String workerId, String why) {
    for (Enabled on : enabledSnapshot()) {
      for (CompartmentRoute r : on.routes) {
        for (WorkerLink l : r.links) {
          if (l != null && l.workerId.equals(workerId)) {
            l.fail("worker " + workerId + " failed and is not restarted: " + why);
          }
        }
      }
    }
  }

  private List<Enabled> enabledSnapshot() {
    synchronized (enabledView) {
      return new ArrayList<>(enabledView);
    }
  }

  /** Brings the compartment's state home, joins replicated fields, and routes its calls here. */
  public synchronized Outcome disable(String id) {
    Enabled on = enabled.get(id);
    if (on == null) return Outcome.error(409, "compartment " + id + " is not enabled");
    for (CompartmentRoute r : on.routes) {
      for (WorkerLink l : r.links) {
        if (l.failed() != null) {
          return Outcome.error(
              409,
              "cannot disable "
                  + id
                  + ": "
                  + l.failed()
                  + "; the state of its partition cannot be collected (its file stays in "
                  + dir
                  + "); the compartment stays enabled and calls to that partition fail");
        }
      }
    }
    long hold = System.nanoTime();
    try {
      for (CompartmentRoute r : on.routes) {
        // the gate first: a call that passed it before the hold is still routed, one after waits
        if (!r.gate.hold(replyTimeoutMs, TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException("routed calls still waiting for answers");
        }
        r.phase = CompartmentRoute.Phase.HOLDING;
      }
      for (CompartmentRoute r : on.routes) {
        List<CompletableFuture<Object>> answers = new ArrayList<>();
        for (WorkerLink l : r.links) {
          CompletableFuture<Object> a = new CompletableFuture<>();
          l.send(Wire.COLLECT, r.frame(Wire.COLLECT, (byte) 0, 0, null), a);
          answers.add(a);
        }
        List<Map<String, Object>> states = new ArrayList<>();
        for (CompletableFuture<Object> a : answers) {
          @SuppressWarnings("unchecked")
          Map<String, Object> raw =
              (Map<String, Object>) a.get(startTimeoutMs, TimeUnit.MILLISECONDS);
          states.add(raw);
        }
        merge(on, r, states);
      }
    } catch (Throwable t) {
      for (CompartmentRoute r : on.routes) {
        r.phase = CompartmentRoute.Phase.ROUTED;
        r.gate.release();
      }
      AgentLog.failure("disable", "disable " + id + " failed; it stays enabled", t);
      return Outcome.error(500, "disable " + id + " failed: " + t + "; it stays enabled");
    }
    for (CompartmentRoute r : on.routes) {
      Router.remove(r.self, r);
      r.phase = CompartmentRoute.Phase.CLOSED;
      r.gate.release();
    }
    on.pauseMs = (System.nanoTime() - hold) / 1e6;
    enabled.remove(id);
    RoutingCost.enabled(!enabled.isEmpty());
    synchronized (enabledView) {
      enabledView.remove(on);
    }
    stopWorkers(on);
    AgentLog.info("disabled " + id + "; pause " + String.format("%.2f", on.pauseMs) + " ms");
    return new Outcome(200, describe(on, "disabled"));
  }

  private static void merge(Enabled on, CompartmentRoute r, List<Map<String, Object>> states) {
    List<StateSplit.Located> located = StateSplit.locate(r.self, on.fields);
    List<StateSplit.Located> partitioned = new ArrayList<>();
    List<StateSplit.Located> replicated = new ArrayList<>();
    List<Map<String, Object>> byId = new ArrayList<>();
    for (Map<String, Object> s : states) {
      Map<String, Object> m = new HashMap<>();
      for (Map.Entry<String, Object> e : s.entrySet()) {
        int i = Integer.parseInt(e.getKey().substring(2));
        m.put(located.get(i).id(), e.getValue());
      }
      byId.add(m);
    }
    for (int i = 0; i < located.size(); i++) {
      StateSplit.Located l = located.get(i);
      boolean keyedShare = false;
      for (Map<String, Object> s : states) keyedShare |= s.containsKey("s:" + i);
      if (keyedShare) {
        partitioned.add(l);
      } else if (on.report.plan() == Plan.PARTITION) {
        replicated.add(l);
      } else {
        // kept whole in one worker: its value replaces the host's
        for (Map<String, Object> s : states) {
          if (s.containsKey("r:" + i)) set(l, s.get("r:" + i));
        }
      }
    }
    StateSplit.merge(partitioned, replicated, byId);
  }

  private static void set(StateSplit.Located l, Object value) {
    try {
      l.field().set(l.holder(), value);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot write " + l.id() + ": " + e);
    }
  }

  // ------------------------------------------------------------------ status and life cycle

  /** What is enabled, for the status endpoint. */
  public synchronized List<Object> status() {
    List<Object> out = new ArrayList<>();
    for (Enabled on : enabled.values()) out.add(describe(on, "enabled"));
    return out;
  }

  public synchronized List<String> enabledIds() {
    return new ArrayList<>(enabled.keySet());
  }

  public synchronized boolean anyEnabled() {
    return !enabled.isEmpty();
  }

  private Map<String, Object> describe(Enabled on, String state) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("compartment", on.report.id());
    m.put("state", state);
    m.put("plan", on.report.plan().name());
    m.put("transport", on.transport.mode());
    m.put("idle", idle.label());
    m.put(on.report.plan() == Plan.PARTITION ? "partitions" : "replicas", (long) on.count);
    m.put("objects", (long) on.routes.size());
    m.put("pauseMs", Math.round(on.pauseMs * 100) / 100.0);
    m.put("stateEntries", on.stateEntries);
    long routed = 0;
    long failed = 0;
    for (CompartmentRoute r : on.routes) {
      routed += r.routedCalls.get();
      failed += r.failedCalls.get();
    }
    m.put("routedCalls", routed);
    long broadcasts = 0;
    for (CompartmentRoute r : on.routes) broadcasts += r.broadcasts.get();
    m.put("broadcasts", broadcasts);
    m.put("refusedCalls", failed);
    List<Object> workers = new ArrayList<>();
    if (supervisor != null) {
      for (String w : on.workerIds) {
        supervisor
            .status(w)
            .ifPresent(
                s -> {
                  Map<String, Object> wm = new LinkedHashMap<>();
                  wm.put("id", s.id());
                  wm.put("state", s.state().name());
                  wm.put("pid", s.pid());
                  wm.put("restarts", (long) s.restarts());
                  workers.add(wm);
                });
      }
    }
    m.put("workers", workers);
    return m;
  }

  private void rollBack(Enabled on) {
    for (CompartmentRoute r : on.routes) {
      Router.remove(r.self, r);
      r.phase = CompartmentRoute.Phase.CLOSED;
      r.gate.release();
    }
    stopWorkers(on);
  }

  private void stopWorkers(Enabled on) {
    for (CompartmentRoute r : on.routes) {
      for (WorkerLink l : r.links) {
        if (l != null) incarnations.values().removeIf(i -> i.link == l);
      }
    }
    for (CompartmentRoute r : on.routes) {
      for (WorkerLink l : r.links) {
        if (l == null) continue;
        poller.remove(l);
      }
    }
    List<CompletableFuture<Integer>> stops = new ArrayList<>();
    for (String w : on.workerIds) stops.add(supervisor.stop(w));
    for (CompletableFuture<Integer> s : stops) {
      try {
        s.get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        AgentLog.warn("a worker did not stop in 10 s: " + e);
      }
    }
    for (CompartmentRoute r : on.routes) {
      for (WorkerLink l : r.links) if (l != null) l.close();
    }
    for (Path f : on.files) {
      try {
        Files.deleteIfExists(f);
      } catch (IOException e) {
        AgentLog.warn("cannot delete " + f + ": " + e);
      }
    }
    for (int port : on.ports) udpPorts.release(port);
    for (Path f : on.stores) {
      try {
        PartitionStore.deleteFiles(f);
      } catch (RuntimeException e) {
        AgentLog.warn("cannot delete the state files of " + f + ": " + e);
      }
    }
  }

  private void start() throws IOException {
    if (transport != null) return;
    String base = System.getProperty("compartment.live.dir");
    dir =
        base != null
            ? Path.of(base)
            : Path.of(
                System.getProperty("java.io.tmpdir"),
                "compartment-" + System.getProperty("user.name"),
                "live-" + ProcessHandle.current().pid());
    Files.createDirectories(dir);
    transport = EmbeddedTransport.launch(new TransportContext().embeddedDriver(true));
    poller = new ReplyPoller();
    transport.start(poller, idle.poller());
    supervisor =
        WorkerSupervisor.launch(
            new WorkerSupervisor.Context()
                .listener(
                    new WorkerListener() {
                      @Override
                      public void onDied(String workerId, long pid, int exitCode) {
                        renewCallStream(workerId);
                      }

                      @Override
                      public void onFailed(String workerId, WorkerFailedException cause) {
                        workerFailures.put(workerId, cause.getMessage());
                        AgentLog.error("worker " + workerId + " failed: " + cause.getMessage());
                        failLink(workerId, cause.getMessage());
                      }

                      @Override
                      public void onRestarted(
                          String workerId, long pid, int restarts, long restartTimeMs) {
                        AgentLog.info(
                            "worker "
                                + workerId
                                + " restarted (pid "
                                + pid
                                + ", "
                                + restartTimeMs
                                + " ms)");
                      }
                    }));
  }

  /**
   * A worker's process died (supervisor thread, before the restart): its next process gets a call
   * stream of its own. The dead process's subscription would otherwise hold the old stream (over
   * IPC, its flow control) until Aeron's client timeout removes it, about 10 s, and every call to
   * the worker would wait that long. The new stream id goes to the setup file first, then the link
   * switches; frames that went to the old stream are still pending and go out again after the new
   * process's hello. Not under the controller's lock, which an enable holds while it waits for
   * hellos.
   */
  private void renewCallStream(String workerId) {
    Incarnation inc = incarnations.get(workerId);
    if (inc == null) return;
    int callStream = STREAMS.incrementAndGet();
    MessagePublisher fresh = null;
    try {
      fresh = transport.publisher(MessageChannel.of(inc.setup.channel(), callStream));
      WorkerSetup next = inc.setup.withCallStream(callStream);
      next.write(inc.setupFile);
      inc.setup = next;
      inc.link.replaceCalls(fresh);
    } catch (IOException | RuntimeException e) {
      if (fresh != null) fresh.close();
      AgentLog.warn(
          "worker "
              + workerId
              + ": its next process keeps the call stream of the last one ("
              + e
              + "); calls to it may wait until Aeron drops the dead process");
    }
  }

  /**
   * The host's class path with the agent jar on it: the agent's classes then load from the class
   * path the JVM starts with (the same loader as when {@code -javaagent} appends the jar), which a
   * CDS archive requires of the classes it keeps.
   */
  private static String workerClassPath(Path agentJar) {
    String cp = System.getProperty("java.class.path", "");
    for (String e : cp.split(java.io.File.pathSeparator)) {
      if (!e.isEmpty() && Path.of(e).toAbsolutePath().equals(agentJar.toAbsolutePath())) return cp;
    }
    return cp.isEmpty() ? agentJar.toString() : cp + java.io.File.pathSeparator + agentJar;
  }

  private static Path agentJar() {
    try {
      Path p =
          Path.of(
              CompartmentAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException(
            "the agent is not running from its jar (" + p + "); workers need the jar");
      }
      return p;
    } catch (java.net.URISyntaxException | SecurityException e) {
      throw new IllegalStateException("cannot find the agent jar: " + e);
    }
  }

  /** Stops every worker at exit; their state stays with them (the host is going away). */
  public synchronized void close() {
    try {
      if (supervisor != null) supervisor.close();
      if (transport != null) transport.close();
      if (dir != null && System.getProperty("compartment.live.dir") == null) {
        try (var files = Files.list(dir)) {
          for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
        }
        Files.deleteIfExists(dir);
      }
    } catch (Throwable t) {
      AgentLog.failure("live", "closing workers", t);
    }
  }
}
