package io.compartment.agent.live;

import io.aeron.logbuffer.Header;
import io.compartment.agent.route.StateSplit;
import io.compartment.transport.aeron.EmbeddedTransport;
import io.compartment.transport.aeron.MessageChannel;
import io.compartment.transport.aeron.MessagePublisher;
import io.compartment.transport.aeron.MessageSubscriber;
import io.compartment.transport.aeron.TransportContext;
import io.compartment.transport.codec.MessageCodec;
import io.compartment.transport.codec.TypeRegistry;
import io.compartment.transport.state.PartitionStore;
import io.compartment.transport.state.StateBatch;
import io.compartment.transport.worker.AeronDirCleaner;
import io.compartment.transport.worker.WorkerSpec;
import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.IdleStrategy;

/**
 * A worker process: holds one share of a compartment on a service object of its own, applies the
 * host's calls to it in order, persists what each call changed with the call's sequence number in a
 * Chronicle Map, and answers with the return value and the emits the handler made (DESIGN section
 * 6). Started by the host with {@code -javaagent:compartment-agent.jar=mode=worker} and the host's
 * class path; {@code args[0]} is its {@link WorkerSetup} file.
 */
public final class WorkerMain {
  private static final byte TAG_CONFIG = 'K';
  private static final byte TAG_CONTAINER = 'c';
  private static final byte TAG_ENTRY = 's';
  private static final byte TAG_VALUE = 'r';
  private static final byte TAG_OUTPUT = 'o';

  /** LOAD flag: the first piece of a load; what the worker held before is dropped. */
  static final byte FLAG_FIRST = 4;

  /** RESULT flag: more pieces of this answer follow (COLLECT). */
  static final byte FLAG_MORE = 8;

  private final WorkerSetup setup;
  private final MessageCodec codec;
  private final PartitionStore store;
  private final Object root;
  private final Method[] handlers;
  private final KeyPath[] keys;
  private final Object[] holders;
  private final Field[] fields;
  private final Field[] outboxFields;
  private final List<List<Object[]>> outboxCapture = new ArrayList<>();
  private final Map<Integer, Integer> emitIndex = new HashMap<>();
  private final ArrayDeque<Long> storedOutputs = new ArrayDeque<>();
  private final ExpandableArrayBuffer out = new ExpandableArrayBuffer(4096);
  private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(4096);
  private MessagePublisher replies;
  private long applied;
  private long lastGapHello;

  private WorkerMain(WorkerSetup setup) {
    this.setup = setup;
    ClassLoader loader = ClassLoader.getSystemClassLoader();
    TypeRegistry.Builder types = TypeRegistry.builder();
    for (String name : setup.types()) types.register(Reflect.load(name, loader));
    TypeRegistry registry = types.build();
    if (registry.fingerprint() != setup.fingerprint()) {
      throw new IllegalStateException(
          "the worker's classes differ from the host's (registry fingerprint "
              + registry.fingerprint()
              + " != "
              + setup.fingerprint()
              + "): start the worker with the host's class path");
    }
    this.codec = new MessageCodec(registry);
    Class<?> service = Reflect.load(setup.service(), loader);
    this.root = Reflect.allocate(service);
    this.handlers = new Method[setup.handlers().size()];
    this.keys = new KeyPath[handlers.length];
    for (int i = 0; i < handlers.length; i++) {
      WorkerSetup.HandlerSpec h = setup.handlers().get(i);
      handlers[i] = Reflect.method(service, h.method(), h.descriptor());
      keys[i] = h.key() == null ? null : new KeyPath(h.key());
    }
    this.holders = new Object[setup.state().size()];
    this.fields = new Field[holders.length];
    for (int i = 0; i < holders.length; i++) {
      WorkerSetup.FieldSpec f = setup.state().get(i);
      Object holder = root;
      for (String step : f.path()) {
        int colon = step.indexOf(':');
        Field link = Reflect.field(holder.getClass(), step.substring(0, colon));
        Object next = get(link, holder);
        if (next == null) {
          next = Reflect.allocate(Reflect.load(step.substring(colon + 1), loader));
          set(link, holder, next);
        }
        holder = next;
      }
      holders[i] = holder;
      fields[i] = Reflect.field(holder.getClass(), f.name());
    }
    this.outboxFields = new Field[setup.outboxes().size()];
    for (int i = 0; i < outboxFields.length; i++) {
      outboxFields[i] = Reflect.field(service, setup.outboxes().get(i));
      List<Object[]> capture = new ArrayList<>();
      outboxCapture.add(capture);
      set(outboxFields[i], root, capturingOutbox(outboxFields[i], capture));
    }
    this.store =
        PartitionStore.open(
            Path.of(setup.storeFile()),
            new PartitionStore.Context()
                .entries(setup.entries())
                .corruptionListener(
                    c -> System.err.println("[compartment-worker] state file recovery: " + c))
                .conclude());
    if (store.openOutcome() == PartitionStore.OpenOutcome.RECOVERED) {
      System.err.println(
          "[compartment-worker] state file recovered after a process death: last applied "
              + store.lastAppliedSeq()
              + ", "
              + store.recoveredCorruptions()
              + " corruption(s) repaired, journal replayed: "
              + store.replayedJournal());
    }
    this.applied = store.lastAppliedSeq() == PartitionStore.NULL_SEQ ? 0 : store.lastAppliedSeq();
    restore();
    standIns(service, loader);
  }

  public static void main(String[] args) {
    WorkerEmits.workerMode = true;
    if (args.length != 1) {
      System.err.println("usage: WorkerMain SETUP_FILE");
      System.exit(2);
    }
    WorkerMain worker;
    try {
      worker = new WorkerMain(WorkerSetup.read(Path.of(args[0])));
    } catch (Throwable t) {
      System.err.println("[compartment-worker] cannot start: " + t);
      t.printStackTrace();
      System.exit(3);
      return;
    }
    worker.run();
  }

  private void run() {
    watchHost();
    EmbeddedTransport transport;
    MessageSubscriber calls;
    try {
      transport = EmbeddedTransport.launch(transportContext());
      try {
        replies = transport.publisher(MessageChannel.of(setup.replyChannel(), setup.replyStream()));
        calls =
            transport.subscriber(
                MessageChannel.of(setup.channel(), setup.callStream()), this::onFrame);
      } catch (RuntimeException e) {
        transport.close();
        throw e;
      }
    } catch (RuntimeException e) {
      String why = String.valueOf(e.getMessage());
      System.err.println(
          "[compartment-worker] cannot start: cannot open its streams (calls "
              + setup.channel()
              + ", replies "
              + setup.replyChannel()
              + ")"
              + (why.contains("Address already in use")
                  ? ": the port of its calls is taken by another process"
                  : "")
              + ": "
              + e);
      store.close();
      System.exit(3);
      return;
    }
    try (transport) {
      replies.awaitConnected(TimeUnit.SECONDS.toNanos(30));
      // over UDP the host's calls reach this process only once the stream is set up: a hello
      // before that would have the host resend into a stream that is not connected yet
      calls.awaitConnected(TimeUnit.SECONDS.toNanos(30));
      hello();
      // the supervisor waits for this exact line: its own id for the worker
      System.out.println(
          WorkerSpec.READY_LINE_PREFIX
              + System.getProperty(WorkerSpec.WORKER_ID_PROP_NAME, setup.workerId()));
      System.out.flush();
      IdleStrategy idle = LiveIdle.parse(setup.idle()).worker();
      while (true) {
        int work = calls.poll();
        idle.idle(work);
      }
    } finally {
      store.close();
    }
  }

  /**
   * Exits once the host process is gone, checked every second on a thread of its own: the poll loop
   * cannot be relied on for that, since a frame whose result cannot be sent (no host to take it)
   * holds it for the send timeout, and a backlog of them would keep an orphaned worker alive for as
   * many times that.
   */
  private static void watchHost() {
    ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
    if (parent == null) return;
    Thread watch =
        new Thread(
            () -> {
              while (parent.isAlive()) {
                try {
                  Thread.sleep(1_000);
                } catch (InterruptedException e) {
                  return;
                }
              }
              System.err.println("[compartment-worker] host is gone; exiting");
              System.exit(0);
            },
            "compartment-host-watch");
    watch.setDaemon(true);
    watch.start();
  }

  /**
   * IPC: the host's media driver. UDP: a media driver of this process, in a directory named after
   * this process (deleted at exit; after a SIGKILL the host's supervisor removes it).
   */
  private TransportContext transportContext() {
    if (!setup.udp()) {
      return new TransportContext().embeddedDriver(false).aeronDirectoryName(setup.aeronDir());
    }
    String name = System.getProperty(WorkerSpec.WORKER_ID_PROP_NAME, setup.workerId());
    if (name.length() > 60) name = name.substring(name.length() - 60);
    File dir =
        new AeronDirCleaner(Path.of(setup.aeronDir()), setup.aeronDirPrefix())
            .dirFor(ProcessHandle.current().pid(), name)
            .toFile();
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> IoUtil.delete(dir, true), "compartment-aeron-dir"));
    TransportContext ctx =
        new TransportContext().embeddedDriver(true).aeronDirectoryName(dir.getPath());
    if (setup.termLength() > 0) ctx.termBufferLength(setup.termLength());
    return ctx;
  }

  private void hello() {
    Wire.header(out, Wire.HELLO, (byte) 0, 0, applied, 0);
    offer(Wire.BODY);
    // results stored but perhaps never received: the host drops those it already has
    for (long seq : storedOutputs) {
      byte[] stored = store.get(outputKey(seq));
      if (stored != null) sendResult(seq, (byte) (stored[0] | Wire.FLAG_REPLAY), stored, 1);
    }
  }

  private void onFrame(DirectBuffer buffer, int offset, int length, Header header) {
    if (length < Wire.BODY) {
      fault("dropped a " + Wire.describe(buffer, offset, length));
      return;
    }
    byte type = buffer.getByte(offset + Wire.TYPE);
    long seq = buffer.getLong(offset + Wire.SEQ);
    long ack = buffer.getLong(offset + Wire.ACK);
    if (type != Wire.CALL && type != Wire.LOAD && type != Wire.COLLECT) {
      fault("dropped a " + Wire.describe(buffer, offset, length) + ": unknown type");
      return;
    }
    if (seq <= applied) {
      byte[] stored = store.get(outputKey(seq));
      if (stored != null) sendResult(seq, (byte) (stored[0] | Wire.FLAG_REPLAY), stored, 1);
      return;
    }
    if (seq != applied + 1) {
      // a gap (a frame the host could not offer): ask for everything after what we applied
      long now = System.nanoTime();
      if (now - lastGapHello > 50_000_000L) {
        lastGapHello = now;
        hello();
      }
      return;
    }
    Object body;
    try {
      body =
          length == Wire.BODY ? null : codec.decode(buffer, offset + Wire.BODY, length - Wire.BODY);
    } catch (RuntimeException e) {
      fault("dropped " + Wire.describe(buffer, offset, length) + ": " + e.getMessage());
      return;
    }
    try {
      switch (type) {
        case Wire.CALL -> call(seq, ack, buffer.getInt(offset + Wire.HANDLER), body);
        case Wire.LOAD -> load(seq, buffer.getByte(offset + Wire.FLAGS), body);
        default -> collect(seq);
      }
    } catch (RuntimeException e) {
      fault("frame " + seq + " failed: " + e);
      throw e;
    }
  }

  // ------------------------------------------------------------------ calls

  private void call(long seq, long ack, int handler, Object body) {
    if (handler < 0 || handler >= handlers.length || !(body instanceof Object[] args)) {
      fault("dropped call " + seq + ": no handler " + handler + " or arguments not an array");
      return;
    }
    WorkerEmits.begin();
    for (List<Object[]> c : outboxCapture) c.clear();
    Object returned = null;
    String failure = null;
    try {
      returned = handlers[handler].invoke(root, args);
    } catch (InvocationTargetException e) {
      failure = String.valueOf(e.getCause());
    } catch (ReflectiveOperationException | IllegalArgumentException e) {
      failure = "cannot call " + handlers[handler].getName() + ": " + e;
    }
    List<Object[]> emitted = WorkerEmits.finish();
    List<Object> emits = new ArrayList<>(emitted.size());
    for (Object[] e : emitted) {
      emits.add(new Object[] {emitIndex((Integer) e[0]), e[1]});
    }
    List<Object> outbox = new ArrayList<>();
    for (int i = 0; i < outboxCapture.size(); i++) {
      for (Object[] o : outboxCapture.get(i)) outbox.add(new Object[] {i, o[0], o[1]});
    }
    byte flags = failure == null ? 0 : Wire.FLAG_FAILED;
    Object[] output = new Object[] {failure == null ? returned : failure, emits, outbox};
    byte[] stored;
    try {
      stored = encodeStored(flags, output);
    } catch (RuntimeException e) {
      fault(
          "call "
              + seq
              + " of "
              + handlers[handler].getName()
              + ": its output cannot be sent: "
              + e.getMessage());
      stored =
          encodeStored(
              Wire.FLAG_FAILED,
              new Object[] {"output not sendable: " + e.getMessage(), List.of(), List.of()});
    }
    StateBatch batch = new StateBatch();
    Object key = null;
    if (keys[handler] != null) {
      try {
        key = keys[handler].evaluate(args);
      } catch (RuntimeException e) {
        key = null;
      }
    }
    persistChanges(batch, key);
    batch.put(outputKey(seq), stored);
    while (!storedOutputs.isEmpty() && storedOutputs.peekFirst() <= ack) {
      batch.remove(outputKey(storedOutputs.pollFirst()));
    }
    store.apply(seq, batch);
    storedOutputs.addLast(seq);
    applied = seq;
    sendResult(seq, stored[0], stored, 1);
  }

  private int emitIndex(int localId) {
    return emitIndex.computeIfAbsent(
        localId, id -> setup.emits().indexOf(WorkerEmits.KEYS.get(id)));
  }

  /** What a call may have changed: its key's entries, and every value kept whole. */
  private void persistChanges(StateBatch batch, Object key) {
    for (int i = 0; i < fields.length; i++) {
      WorkerSetup.FieldSpec f = setup.state().get(i);
      Object value = get(fields[i], holders[i]);
      if (f.partitioned() && key != null && Shares.keyed(value)) {
        byte[] k = entryKey(i, key);
        if (value instanceof Map<?, ?> m) {
          if (m.containsKey(key)) batch.put(k, encode(m.get(key)));
          else batch.remove(k);
        } else if (value instanceof Set<?> s) {
          if (s.contains(key)) batch.put(k, new byte[0]);
          else batch.remove(k);
        }
      } else if (f.partitioned() && Shares.keyed(value)) {
        // a call without a key on partitioned state: persist every entry again
        persistAll(batch, i, value);
      } else {
        batch.put(tagged(TAG_VALUE, i, null), encode(value));
      }
    }
  }

  private void persistAll(StateBatch batch, int i, Object value) {
    store.forEach(
        (k, v) -> {
          if (k.length >= 5 && k[0] == TAG_ENTRY && ByteBuffer.wrap(k, 1, 4).getInt() == i) {
            batch.remove(k);
          }
        });
    if (value instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        batch.put(entryKey(i, e.getKey()), encode(e.getValue()));
      }
    } else if (value instanceof Set<?> s) {
      for (Object e : s) batch.put(entryKey(i, e), new byte[0]);
    }
  }

  // ------------------------------------------------------------------ load and collect

  @SuppressWarnings("unchecked")
  private void load(long seq, byte flags, Object body) {
    Map<String, Object> piece = (Map<String, Object>) body;
    StateBatch batch = new StateBatch();
    if ((flags & FLAG_FIRST) != 0) {
      store.forEach((k, v) -> batch.remove(k));
      storedOutputs.clear();
    }
    for (Map.Entry<String, Object> e : piece.entrySet()) {
      String name = e.getKey();
      if (name.equals("config")) {
        Map<String, Object> config = (Map<String, Object>) e.getValue();
        applyConfig(config);
        batch.put(new byte[] {TAG_CONFIG}, encode(config));
        continue;
      }
      int i = Integer.parseInt(name.substring(2));
      switch (name.charAt(0)) {
        case 'c' -> {
          set(fields[i], holders[i], e.getValue());
          batch.put(tagged(TAG_CONTAINER, i, null), encode(e.getValue()));
        }
        case 's' -> {
          Object container = get(fields[i], holders[i]);
          Shares.addAll(container, e.getValue(), setup.state().get(i).id());
          if (e.getValue() instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> x : m.entrySet()) {
              batch.put(entryKey(i, x.getKey()), encode(x.getValue()));
            }
          } else {
            for (Object x : (Collection<?>) e.getValue()) batch.put(entryKey(i, x), new byte[0]);
          }
        }
        case 'd' -> {
          // keys the host removed while the rest of the state was copied here (pre-copy)
          Object container = get(fields[i], holders[i]);
          for (Object x : (Collection<?>) e.getValue()) {
            if (container instanceof Map<?, ?> m) m.remove(x);
            else ((Collection<?>) container).remove(x);
            batch.remove(entryKey(i, x));
          }
        }
        default -> {
          set(fields[i], holders[i], e.getValue());
          batch.put(tagged(TAG_VALUE, i, null), encode(e.getValue()));
        }
      }
    }
    byte[] stored = encodeStored((byte) 0, new Object[] {null, List.of(), List.of()});
    batch.put(outputKey(seq), stored);
    store.apply(seq, batch);
    storedOutputs.addLast(seq);
    applied = seq;
    sendResult(seq, (byte) 0, stored, 1);
  }

  /**
   * Sends this worker's state back in pieces. Not persisted as applied: a worker that dies before
   * answering is asked again by the host after its hello.
   */
  private void collect(long seq) {
    List<Map<String, Object>> pieces = new ArrayList<>();
    for (int i = 0; i < fields.length; i++) {
      Object value = get(fields[i], holders[i]);
      WorkerSetup.FieldSpec f = setup.state().get(i);
      if (f.partitioned() && Shares.keyed(value)) {
        final Object v = value;
        for (Object chunk : Shares.chunks(v, () -> StateSplit.emptyLike(v))) {
          fitted(pieces, "s:" + i, chunk, v);
        }
      } else {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("r:" + i, value);
        pieces.add(p);
      }
    }
    // applied in memory only: a worker that dies before answering restarts behind this sequence
    // number, and the host, which still holds the frame, sends it again
    applied = seq;
    for (int k = 0; k < pieces.size(); k++) {
      byte flags = k < pieces.size() - 1 ? FLAG_MORE : 0;
      byte[] stored = encodeStored(flags, pieces.get(k));
      sendResult(seq, flags, stored, 1);
    }
    if (pieces.isEmpty()) sendResult(seq, (byte) 0, encodeStored((byte) 0, Map.of()), 1);
  }

  /** Adds {@code chunk} as one piece, or as halves when it would not fit one frame. */
  private void fitted(List<Map<String, Object>> pieces, String name, Object chunk, Object like) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put(name, chunk);
    int size = chunk instanceof Map<?, ?> m ? m.size() : ((Collection<?>) chunk).size();
    if (size > 1 && encodeStored((byte) 0, p).length + Wire.BODY > replies.maxMessageLength()) {
      for (Object half : Shares.chunks(chunk, () -> StateSplit.emptyLike(like), (size + 1) / 2)) {
        fitted(pieces, name, half, like);
      }
      return;
    }
    pieces.add(p);
  }

  // ------------------------------------------------------------------ restore

  @SuppressWarnings("unchecked")
  private void restore() {
    if (applied == 0) return;
    Map<Integer, Object> containers = new HashMap<>();
    Map<Integer, List<byte[][]>> entries = new HashMap<>();
    TreeMap<Long, Boolean> outputs = new TreeMap<>();
    store.forEach(
        (k, v) -> {
          switch (k[0]) {
            case TAG_CONFIG -> applyConfig((Map<String, Object>) decode(v));
            case TAG_CONTAINER -> containers.put(index(k), decode(v));
            case TAG_VALUE -> set(fields[index(k)], holders[index(k)], decode(v));
            case TAG_ENTRY ->
                entries.computeIfAbsent(index(k), x -> new ArrayList<>()).add(new byte[][] {k, v});
            case TAG_OUTPUT -> outputs.put(ByteBuffer.wrap(k, 1, 8).getLong(), Boolean.TRUE);
            default -> fault("unknown entry in the state file, tag " + k[0]);
          }
        });
    for (Map.Entry<Integer, Object> c : containers.entrySet()) {
      int i = c.getKey();
      Object container = c.getValue();
      for (byte[][] kv : entries.getOrDefault(i, List.of())) {
        Object key = decode(kv[0], 5, kv[0].length - 5);
        if (container instanceof Map<?, ?> m) {
          ((Map<Object, Object>) m).put(key, decode(kv[1]));
        } else {
          ((Collection<Object>) container).add(key);
        }
      }
      set(fields[i], holders[i], container);
    }
    storedOutputs.addAll(outputs.keySet());
    System.err.println(
        "[compartment-worker] "
            + setup.workerId()
            + " restored its state as of call "
            + applied
            + " ("
            + store.size()
            + " entries)");
  }

  private void applyConfig(Map<String, Object> config) {
    for (Map.Entry<String, Object> c : config.entrySet()) {
      set(Reflect.field(root.getClass(), c.getKey()), root, c.getValue());
    }
  }

  /**
   * Configuration fields nothing was shipped for get an empty stand-in, so emits through them run.
   */
  private void standIns(Class<?> service, ClassLoader loader) {
    for (String name : setup.config()) {
      Field f = Reflect.field(service, name);
      Class<?> t = f.getType();
      if (get(f, root) != null
          || t.isPrimitive()
          || t.isArray()
          || t.isInterface()
          || Modifier.isAbstract(t.getModifiers())
          || t.getName().startsWith("java.")) {
        continue;
      }
      try {
        set(f, root, Reflect.allocate(t));
      } catch (RuntimeException e) {
        // left null: a handler that uses it fails in the worker and says so
      }
    }
  }

  // ------------------------------------------------------------------ outboxes

  private static Object capturingOutbox(Field f, List<Object[]> capture) {
    Class<?> t = f.getType();
    if (t.isAssignableFrom(ArrayList.class)) {
      return new ArrayList<Object>() {
        @Override
        public boolean add(Object o) {
          capture.add(new Object[] {"add", new Object[] {o}});
          return true;
        }
      };
    }
    if (t.isAssignableFrom(ArrayDeque.class)) {
      return new ArrayDeque<Object>() {
        @Override
        public boolean add(Object o) {
          capture.add(new Object[] {"add", new Object[] {o}});
          return true;
        }

        @Override
        public boolean offer(Object o) {
          return add(o);
        }

        @Override
        public void addLast(Object o) {
          add(o);
        }
      };
    }
    if (t.isInterface()) {
      return Proxy.newProxyInstance(
          t.getClassLoader(),
          new Class<?>[] {t},
          (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
              return switch (method.getName()) {
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> "outbox " + f.getName();
              };
            }
            capture.add(new Object[] {method.getName(), args == null ? new Object[0] : args});
            Class<?> r = method.getReturnType();
            if (r == boolean.class) return true;
            if (r.isPrimitive() && r != void.class) return 0;
            return null;
          });
    }
    throw new IllegalStateException(
        "outbox field " + f.getName() + " has type " + t.getName() + ", which cannot be captured");
  }

  // ------------------------------------------------------------------ frames and bytes

  private void sendResult(long seq, byte flags, byte[] stored, int from) {
    Wire.header(out, Wire.RESULT, flags, seq, applied, 0);
    out.putBytes(Wire.BODY, stored, from, stored.length - from);
    offer(Wire.BODY + stored.length - from);
  }

  private void fault(String message) {
    System.err.println("[compartment-worker] " + setup.workerId() + ": " + message);
    if (replies == null) return;
    Wire.header(out, Wire.FAULT, (byte) 0, 0, applied, 0);
    byte[] text = message.getBytes(StandardCharsets.UTF_8);
    out.putBytes(Wire.BODY, text);
    offer(Wire.BODY + text.length);
  }

  private void offer(int length) {
    if (replies != null) replies.offer(out, 0, length);
  }

  private byte[] encodeStored(byte flags, Object value) {
    int n = codec.encode(value, scratch, 1);
    scratch.putByte(0, flags);
    byte[] bytes = new byte[n + 1];
    scratch.getBytes(0, bytes);
    return bytes;
  }

  private byte[] encode(Object value) {
    int n = codec.encode(value, scratch, 0);
    byte[] bytes = new byte[n];
    scratch.getBytes(0, bytes);
    return bytes;
  }

  private Object decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  private Object decode(byte[] bytes, int offset, int length) {
    return codec.decode(new org.agrona.concurrent.UnsafeBuffer(bytes), offset, length);
  }

  private byte[] entryKey(int field, Object key) {
    return tagged(TAG_ENTRY, field, encode(key));
  }

  private static byte[] tagged(byte tag, int field, byte[] rest) {
    int n = rest == null ? 0 : rest.length;
    ByteBuffer b = ByteBuffer.allocate(5 + n);
    b.put(tag).putInt(field);
    if (rest != null) b.put(rest);
    return b.array();
  }

  private static byte[] outputKey(long seq) {
    return ByteBuffer.allocate(9).put(TAG_OUTPUT).putLong(seq).array();
  }

  private static int index(byte[] key) {
    return ByteBuffer.wrap(key, 1, 4).getInt();
  }

  private static Object get(Field f, Object o) {
    try {
      return f.get(o);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read " + f + ": " + e, e);
    }
  }

  private static void set(Field f, Object o, Object v) {
    try {
      f.set(o, v);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot write " + f + ": " + e, e);
    }
  }
}
