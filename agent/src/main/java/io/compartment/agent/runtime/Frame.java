package io.compartment.agent.runtime;

import io.compartment.analyzer.trace.AccessScope;
import io.compartment.analyzer.trace.Invocation.Op;
import io.compartment.analyzer.trace.Values;
import io.compartment.analyzer.trace.WriteKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The record of one handler invocation being traced, owned by the thread running it. Objects met
 * during the invocation are known by identity: the value of a {@code @State} field, what was
 * reached from it through a key or a view, an outbox. Every access to a known object becomes an
 * {@link Event}; analysis happens later, off the hot path, in the aggregator.
 */
public final class Frame {
  /** Events beyond this many are dropped and the invocation marked truncated. */
  static final int MAX_EVENTS = 2048;

  /**
   * Changed keys of a collection replaced whole beyond which the change counts as a whole write.
   */
  static final int MAX_DIFF_KEYS = 64;

  final HandlerInfo handler;
  final Object self;
  final boolean muted;
  final Frame parent;
  Object[] args = new Object[0];
  Object returned;
  boolean returnedValue;
  boolean truncated;

  /** Chosen by sampling; a frame recorded only for its caller's sake is not sent on its own. */
  boolean sampled = true;

  final long startNanos;
  private final IdentityHashMap<Object, Derivation> known;
  private final List<Event> events;

  /** Whole reads already recorded, by field and operation: an iteration is one access, not n. */
  private final java.util.Set<String> wholeReadsSeen;

  Frame(HandlerInfo handler, Object self, boolean muted, Frame parent) {
    this.handler = handler;
    this.self = self;
    this.muted = muted;
    this.parent = parent;
    this.known = muted ? null : new IdentityHashMap<>();
    this.events = muted ? null : new ArrayList<>();
    this.wholeReadsSeen = muted ? null : new java.util.HashSet<>();
    this.startNanos = muted ? 0 : System.nanoTime();
  }

  public HandlerInfo handler() {
    return handler;
  }

  /** The service instance the handler ran on; null for a static handler. */
  public Object self() {
    return self;
  }

  public Object[] args() {
    return args;
  }

  public List<Event> events() {
    return events;
  }

  public boolean truncated() {
    return truncated;
  }

  public boolean returnedValue() {
    return returnedValue;
  }

  public Object returned() {
    return returned;
  }

  private void add(Event e) {
    if (e.kind == Event.Kind.ACCESS
        && e.scope == AccessScope.WHOLE
        && e.op == Op.READ
        && !wholeReadsSeen.add(e.field.owner() + "#" + e.field.name() + "#" + e.method)) {
      return;
    }
    if (events.size() >= MAX_EVENTS) {
      truncated = true;
      return;
    }
    events.add(e);
  }

  /**
   * Takes in what a handler called from this one recorded: its accesses and outputs are this
   * invocation's too, and what it reached from state stays known.
   */
  void absorb(Frame child) {
    if (child.muted || muted) return;
    for (Event e : child.events) add(e);
    for (Map.Entry<Object, Derivation> e : child.known.entrySet()) {
      known.putIfAbsent(e.getKey(), e.getValue());
    }
    if (child.truncated) truncated = true;
  }

  /** Elements of arrays made known so far; past {@link #MAX_ARRAY_ELEMENTS} the trace is cut. */
  private int arrayElements;

  static final int MAX_ARRAY_ELEMENTS = 16_384;

  private void know(Object value, Derivation d) {
    if (value == null || d == null || Values.isScalar(value) || value == self) return;
    if (known.putIfAbsent(value, d) == null && value instanceof Object[] array) {
      // element loads are not rewritten, so what an array of objects holds (the rows of a
      // long[][], the records of an Entry[] ring) is known as part of it from the start; past
      // the limit, what the handler does to the elements cannot be seen: the trace is cut
      if (array.length > 16 * MAX_ARRAY_ELEMENTS) {
        truncated = true;
        return;
      }
      Derivation element = d.derived();
      for (Object o : array) {
        if (o == null || Values.isScalar(o)) continue;
        if (++arrayElements > MAX_ARRAY_ELEMENTS) {
          truncated = true;
          return;
        }
        know(o, element);
      }
    }
  }

  private Derivation lookup(Object o) {
    return o == null ? null : known.get(o);
  }

  // ---------------------------------------------------------------- fields

  void onGet(FieldSite site, Object receiver, Object value) {
    switch (site.role()) {
      case STATE -> {
        if (value instanceof Map || value instanceof Collection) {
          known.put(value, new Derivation(site, Derivation.Mode.ROOT, null));
        } else if (Effect.isAtomic(value)) {
          known.put(value, new Derivation(site, Derivation.Mode.ROOT_VALUE, null));
        } else {
          add(
              Event.access(
                  site, AccessScope.SCALAR, Op.READ, "get", null, null, value, null, site.where()));
          know(value, new Derivation(site, Derivation.Mode.ROOT_VALUE, null));
        }
      }
      case OUTBOX -> know(value, new Derivation(site, Derivation.Mode.OUTBOX, null));
      case CONFIG -> {}
      case OTHER -> {
        Derivation d = lookup(receiver);
        if (d != null && d.mode() != Derivation.Mode.OUTBOX) {
          record(d, Op.READ, "." + site.name(), null, null, value, null, site.where());
          know(value, d.derived());
        }
      }
    }
  }

  void onPut(FieldSite site, Object receiver, Object oldValue, Object newValue) {
    switch (site.role()) {
      case STATE -> {
        if (oldValue instanceof Map<?, ?> a && newValue instanceof Map<?, ?> b && a != b) {
          diffMaps(site, a, b);
        } else if (oldValue instanceof Collection<?> a
            && newValue instanceof Collection<?> b
            && a != b) {
          diffCollections(site, a, b);
        } else if (oldValue != newValue || Values.isScalar(newValue)) {
          if (newValue instanceof Map || newValue instanceof Collection) {
            add(
                Event.access(
                    site,
                    AccessScope.WHOLE,
                    Op.WRITE,
                    "set",
                    oldValue == null ? WriteKind.GROW : WriteKind.NONMONOTONE,
                    null,
                    null,
                    null,
                    site.where()));
          } else {
            add(
                Event.access(
                    site,
                    AccessScope.SCALAR,
                    Op.WRITE,
                    "set",
                    Monotonicity.overwrite(oldValue, newValue),
                    null,
                    oldValue,
                    newValue,
                    site.where()));
          }
        }
        if (newValue instanceof Map || newValue instanceof Collection) {
          known.put(newValue, new Derivation(site, Derivation.Mode.ROOT, null));
        }
      }
      case CONFIG -> add(Event.configWrite(site));
      case OUTBOX -> add(Event.configWrite(site));
      case OTHER -> {
        Derivation d = lookup(receiver);
        if (d != null && d.mode() != Derivation.Mode.OUTBOX) {
          record(
              d,
              Op.WRITE,
              "." + site.name(),
              Monotonicity.overwrite(oldValue, newValue),
              null,
              oldValue,
              newValue,
              site.where());
          know(newValue, d.derived());
        }
      }
    }
  }

  /** A collection replaced whole (an immutable collection's "put"): the changed keys are writes. */
  private void diffMaps(FieldSite site, Map<?, ?> a, Map<?, ?> b) {
    List<Event> changes = new ArrayList<>();
    for (Map.Entry<?, ?> e : b.entrySet()) {
      boolean had = a.containsKey(e.getKey());
      Object old = had ? a.get(e.getKey()) : null;
      if (had && old == e.getValue()) continue;
      WriteKind kind = had ? Monotonicity.overwrite(old, e.getValue()) : WriteKind.GROW;
      if (had && kind == WriteKind.INFLATE && Values.same(old, e.getValue())) continue;
      changes.add(replaced(site, kind, e.getKey(), old, e.getValue()));
      if (changes.size() > MAX_DIFF_KEYS) break;
    }
    for (Object k : a.keySet()) {
      if (changes.size() > MAX_DIFF_KEYS) break;
      if (!b.containsKey(k)) {
        changes.add(replaced(site, WriteKind.NONMONOTONE, k, a.get(k), null));
      }
    }
    addChanges(site, changes);
  }

  private void diffCollections(FieldSite site, Collection<?> a, Collection<?> b) {
    if (!(a instanceof Set) || !(b instanceof Set)) {
      add(
          Event.access(
              site,
              AccessScope.WHOLE,
              Op.WRITE,
              "replace",
              b.containsAll(a) ? WriteKind.GROW : WriteKind.NONMONOTONE,
              null,
              null,
              null,
              site.where()));
      return;
    }
    List<Event> changes = new ArrayList<>();
    for (Object e : b) {
      if (changes.size() > MAX_DIFF_KEYS) break;
      if (!a.contains(e)) {
        changes.add(replaced(site, WriteKind.GROW, e, null, null));
      }
    }
    for (Object e : a) {
      if (changes.size() > MAX_DIFF_KEYS) break;
      if (!b.contains(e)) {
        changes.add(replaced(site, WriteKind.NONMONOTONE, e, null, null));
      }
    }
    addChanges(site, changes);
  }

  /** A key of a collection field replaced whole that changed: a keyed write of that key. */
  private static Event replaced(
      FieldSite site, WriteKind kind, Object key, Object oldValue, Object newValue) {
    return Event.access(
        site, AccessScope.KEYED, Op.WRITE, "replace", kind, key, oldValue, newValue, site.where());
  }

  private void addChanges(FieldSite site, List<Event> changes) {
    if (changes.size() > MAX_DIFF_KEYS) {
      add(
          Event.access(
              site,
              AccessScope.WHOLE,
              Op.WRITE,
              "replace",
              WriteKind.NONMONOTONE,
              null,
              null,
              null,
              site.where()));
    } else {
      changes.forEach(this::add);
    }
  }

  /**
   * An element of a known array written (an array held as state, or reached from state): a write of
   * whatever the array was reached by, judged by the element's old and new value.
   */
  void onArrayStore(CallSite site, Object array, int index, Object value) {
    Derivation d = lookup(array);
    if (d == null || d.mode() == Derivation.Mode.OUTBOX) return;
    Object old = null;
    if (index >= 0 && index < java.lang.reflect.Array.getLength(array)) {
      old = java.lang.reflect.Array.get(array, index);
    }
    if (array instanceof boolean[] && value instanceof Integer i) value = (i & 1) != 0;
    value(d, Op.WRITE, "[]=", Monotonicity.overwrite(old, value), old, value, site.where());
  }

  /** Code that could not be instrumented ran: what it did to state is unknown. */
  void onUntraced(FieldSite site) {
    add(Event.configWrite(site));
    truncated = true;
  }

  // ---------------------------------------------------------------- calls

  /** What {@link #beforeCall} learned, for {@link #afterCall}. */
  record Pending(Derivation on, Effect effect, Object before) {}

  /** The value before a merge, when reading it might have an effect: not read, not known. */
  private static final Object NOT_READ = new Object();

  private static final String GET_DESCRIPTOR = "(Ljava/lang/Object;)Ljava/lang/Object;";

  Pending beforeCall(CallSite site, Object[] args) {
    Object receiver = site.isStatic() ? null : args[0];
    Derivation d = lookup(receiver);
    if (d == null || d.mode() != Derivation.Mode.OUTBOX) checkCallbacks(site, args);
    if (d == null) {
      checkEscapes(site, args);
      return null;
    }
    if (d.mode() == Derivation.Mode.OUTBOX) {
      Object[] sent = new Object[args.length - 1];
      System.arraycopy(args, 1, sent, 0, sent.length);
      add(Event.emit(d.field().name() + "." + site.name(), sent, site.where()));
      return null;
    }
    Effect effect = Effect.of(receiver, site.name(), site.argCount());
    if (effect == Effect.DEFAULT_VIEW
        || (effect == Effect.UNKNOWN && site.argCount() == 0 && site.returnsValue())) {
      // a method the agent does not know by name: a read only if its code merely reads (an id
      // generator's next() has the shape of a getter but advances the generator)
      if (!PureMethods.isPure(receiver.getClass(), site.name(), site.descriptor())) {
        effect = Effect.UNKNOWN;
      } else {
        effect = effect == Effect.DEFAULT_VIEW ? Effect.WHOLE_VIEW : Effect.GETTER;
      }
    }
    Object before = null;
    if (effect == Effect.KEYED_COMPUTE || effect == Effect.KEYED_COMPUTE_IF_ABSENT) {
      before =
          PureMethods.isLibraryMethod(receiver.getClass(), "get", GET_DESCRIPTOR)
              ? ((Map<?, ?>) receiver).get(args[1])
              : NOT_READ;
    } else if (receiver instanceof Map.Entry<?, ?> entry && effect == Effect.VALUE_WRITE) {
      before = entry.getValue();
    } else if (effect == Effect.VALUE_WRITE || effect == Effect.VALUE_READ) {
      before = AtomicValues.read(receiver);
    } else if (effect == Effect.UNKNOWN && d.mode() == Derivation.Mode.ROOT) {
      before =
          PureMethods.isLibraryMethod(receiver.getClass(), "size", "()I") ? sizeOf(receiver) : null;
    }
    return new Pending(d, effect, before);
  }

  void afterCall(CallSite site, Object[] args, Object result, Pending p) {
    Object receiver = args[0];
    Derivation d = p.on();
    Object key = args.length > 1 ? args[1] : null;
    String op = site.name();
    String where = site.where();
    switch (p.effect()) {
      case KEYED_READ, INDEX_READ -> keyed(d, Op.READ, op, null, key, where);
      case KEYED_PUT -> {
        keyed(
            d,
            Op.WRITE,
            op,
            result == null ? WriteKind.GROW : Monotonicity.overwrite(result, args[2]),
            key,
            where);
        know(args[2], at(d, key));
      }
      case KEYED_PUT_IF_ABSENT -> {
        keyed(d, result == null ? Op.WRITE : Op.READ, op, WriteKind.GROW, key, where);
        know(args[2], at(d, key));
      }
      case KEYED_COMPUTE_IF_ABSENT ->
          keyed(
              d,
              (p.before() == null || p.before() == NOT_READ) && result != null ? Op.WRITE : Op.READ,
              op,
              WriteKind.GROW,
              key,
              where);
      case KEYED_COMPUTE -> {
        Object before = p.before();
        if (before == NOT_READ) {
          keyed(d, Op.WRITE, op, WriteKind.NONMONOTONE, key, where);
        } else if (before == null && result == null) {
          keyed(d, Op.READ, op, null, key, where);
        } else {
          keyed(
              d,
              Op.WRITE,
              op,
              before == null
                  ? WriteKind.GROW
                  : result == null ? WriteKind.NONMONOTONE : Monotonicity.overwrite(before, result),
              key,
              where);
        }
      }
      case KEYED_REMOVE -> {
        boolean removed = result != null && !Boolean.FALSE.equals(result);
        keyed(d, removed ? Op.WRITE : Op.READ, op, WriteKind.NONMONOTONE, key, where);
      }
      case KEYED_REPLACE -> {
        if (args.length == 4) {
          keyed(
              d,
              Boolean.TRUE.equals(result) ? Op.WRITE : Op.READ,
              op,
              Monotonicity.overwrite(args[2], args[3]),
              key,
              where);
        } else {
          keyed(
              d,
              result != null ? Op.WRITE : Op.READ,
              op,
              Monotonicity.overwrite(result, args[2]),
              key,
              where);
        }
      }
      case SET_ADD -> {
        keyed(d, Boolean.FALSE.equals(result) ? Op.READ : Op.WRITE, op, WriteKind.GROW, key, where);
        know(key, at(d, key));
      }
      case INDEX_SET -> keyed(d, Op.WRITE, op, Monotonicity.overwrite(result, args[2]), key, where);
      case APPEND -> whole(d, Op.WRITE, op, WriteKind.GROW, where);
      case WHOLE_READ, WHOLE_VIEW, DEFAULT_VIEW -> whole(d, Op.READ, op, null, where);
      case WHOLE_GROW -> whole(d, Op.WRITE, op, WriteKind.GROW, where);
      case WHOLE_WRITE ->
          whole(
              d,
              Boolean.FALSE.equals(result) ? Op.READ : Op.WRITE,
              op,
              WriteKind.NONMONOTONE,
              where);
      case WHOLE_POLL ->
          whole(d, result == null ? Op.READ : Op.WRITE, op, WriteKind.NONMONOTONE, where);
      case VALUE_READ -> value(d, Op.READ, op, null, p.before(), null, where);
      case VALUE_WRITE -> {
        Object after =
            receiver instanceof Map.Entry<?, ?> && args.length == 2
                ? args[1]
                : AtomicValues.read(receiver);
        value(d, Op.WRITE, op, Monotonicity.overwrite(p.before(), after), p.before(), after, where);
      }
      case GETTER -> value(d, Op.READ, op, null, receiver, null, where);
      case UNKNOWN -> {
        if (isFunctionalUpdate(d, receiver, result)
            && java.util.Objects.equals(p.before(), sizeOf(receiver))) {
          // an immutable collection's "put" (entries.plus(k, v)): it changes nothing; the keys it
          // changes are seen when the new collection is stored into the field
          return;
        }
        value(d, Op.WRITE, op, WriteKind.NONMONOTONE, null, null, where);
      }
    }
    if (p.effect().yieldsContent() && result != null) {
      know(
          result,
          p.effect().isKeyed() && d.mode() == Derivation.Mode.ROOT ? d.atKey(key) : d.derived());
    }
  }

  /**
   * A call on state that threw: it may have changed the state before it failed (a bulk add whose
   * source fails midway), so a write is recorded as the call would have made it, judged
   * conservatively.
   */
  void afterFailedCall(CallSite site, Object[] args, Pending p) {
    Derivation d = p.on();
    Object key = args.length > 1 ? args[1] : null;
    String op = site.name();
    String where = site.where();
    switch (p.effect()) {
      case KEYED_READ, INDEX_READ -> keyed(d, Op.READ, op, null, key, where);
      case WHOLE_READ, WHOLE_VIEW, DEFAULT_VIEW -> whole(d, Op.READ, op, null, where);
      case GETTER, VALUE_READ -> value(d, Op.READ, op, null, null, null, where);
      case SET_ADD, KEYED_PUT_IF_ABSENT, KEYED_COMPUTE_IF_ABSENT ->
          keyed(d, Op.WRITE, op, WriteKind.GROW, key, where);
      case KEYED_PUT, KEYED_COMPUTE, KEYED_REMOVE, KEYED_REPLACE, INDEX_SET ->
          keyed(d, Op.WRITE, op, WriteKind.NONMONOTONE, key, where);
      case APPEND, WHOLE_GROW -> whole(d, Op.WRITE, op, WriteKind.GROW, where);
      default -> value(d, Op.WRITE, op, WriteKind.NONMONOTONE, null, null, where);
    }
  }

  private static Integer sizeOf(Object o) {
    if (o instanceof Map<?, ?> m) return m.size();
    if (o instanceof Collection<?> c) return c.size();
    return null;
  }

  private static boolean isFunctionalUpdate(Derivation d, Object receiver, Object result) {
    if (d.mode() != Derivation.Mode.ROOT || result == null || result == receiver) return false;
    return (receiver instanceof Map && result instanceof Map)
        || (receiver instanceof java.util.Set && result instanceof java.util.Set)
        || (receiver instanceof List && result instanceof List);
  }

  private static Derivation at(Derivation d, Object key) {
    return d.mode() == Derivation.Mode.ROOT ? d.atKey(key) : d.derived();
  }

  /** A keyed operation: keyed on the root, or on whatever key the receiver was reached through. */
  private void keyed(Derivation d, Op op, String method, WriteKind kind, Object key, String where) {
    switch (d.mode()) {
      case ROOT ->
          add(
              Event.access(
                  d.field(),
                  AccessScope.KEYED,
                  op,
                  method,
                  op == Op.WRITE ? kind : null,
                  key,
                  null,
                  null,
                  where));
      default -> record(d, op, method, op == Op.WRITE ? kind : null, null, null, null, where);
    }
  }

  private void whole(Derivation d, Op op, String method, WriteKind kind, String where) {
    record(d, op, method, op == Op.WRITE ? kind : null, null, null, null, where);
  }

  private void value(
      Derivation d,
      Op op,
      String method,
      WriteKind kind,
      Object oldValue,
      Object newValue,
      String where) {
    if (d.mode() == Derivation.Mode.ROOT_VALUE) {
      add(
          Event.access(
              d.field(), AccessScope.SCALAR, op, method, kind, null, oldValue, newValue, where));
    } else {
      record(d, op, method, kind, null, null, null, where);
    }
  }

  /** An access to an object whose relation to state is {@code d}. */
  private void record(
      Derivation d,
      Op op,
      String method,
      WriteKind kind,
      Object key,
      Object oldValue,
      Object newValue,
      String where) {
    switch (d.mode()) {
      case KEYED ->
          add(
              Event.access(
                  d.field(), AccessScope.KEYED, op, method, kind, d.key(), null, null, where));
      case ROOT_VALUE ->
          add(
              Event.access(
                  d.field(),
                  AccessScope.SCALAR,
                  op,
                  method,
                  kind,
                  null,
                  oldValue,
                  newValue,
                  where));
      case ROOT, WHOLE ->
          add(Event.access(d.field(), AccessScope.WHOLE, op, method, kind, key, null, null, where));
      case OUTBOX -> {}
    }
  }

  /** JDK methods that run the callback they are given before they return. */
  private static final Set<String> RUNS_CALLBACK_NOW =
      Set.of(
          "forEach",
          "forEachRemaining",
          "forEachOrdered",
          "removeIf",
          "replaceAll",
          "compute",
          "computeIfAbsent",
          "computeIfPresent",
          "merge",
          "sort",
          "sorted",
          "map",
          "mapToInt",
          "mapToLong",
          "mapToDouble",
          "mapToObj",
          "flatMap",
          "filter",
          "reduce",
          "collect",
          "anyMatch",
          "allMatch",
          "noneMatch",
          "peek",
          "min",
          "max",
          "takeWhile",
          "dropWhile",
          "toArray",
          "ifPresent",
          "ifPresentOrElse",
          "orElseGet",
          "orElseThrow",
          "or",
          "comparing",
          "comparingInt",
          "comparingLong",
          "thenComparing");

  /**
   * A callback of the service's own code (a lambda, an anonymous or inner class, the service
   * itself) that can reach state, handed to code that may keep it and run it after the handler
   * returns (a timer, an executor, a future): what it will do to state is not seen while the
   * handler is recorded, so the handler is charged with a write nobody can judge.
   */
  private void checkCallbacks(CallSite site, Object[] args) {
    for (int i = site.isStatic() ? 0 : 1; i < args.length; i++) {
      Object a = args[i];
      if (a == null || Values.isScalar(a) || a.getClass().isArray()) continue;
      if (!isCallback(a) || !isServiceCode(a) || runsNow(site) || !reachesState(a, 0)) continue;
      add(
          Event.configWrite(
              new FieldSite(
                  handler.service(),
                  "callback handed to " + site.shortName() + " (may run after the handler)",
                  FieldSite.Role.CONFIG,
                  site.name(),
                  site.name(),
                  site.where())));
    }
  }

  private static boolean runsNow(CallSite site) {
    String owner = site.owner();
    return (owner.startsWith("java.util.") || owner.equals("java.lang.Iterable"))
        && !owner.startsWith("java.util.concurrent.CompletableFuture")
        && !owner.startsWith("java.util.concurrent.CompletionStage")
        && RUNS_CALLBACK_NOW.contains(site.name());
  }

  /**
   * Code, not data: the service itself, a lambda, an anonymous, local or inner class, or anything
   * runnable. A message of a static nested class or a record holding state is data (handed out, it
   * is judged as an output).
   */
  private boolean isCallback(Object a) {
    if (a == self) return true;
    Class<?> c = a.getClass();
    return c.isHidden()
        || c.isSynthetic()
        || c.isAnonymousClass()
        || c.isLocalClass()
        || (c.isMemberClass() && !java.lang.reflect.Modifier.isStatic(c.getModifiers()))
        || a instanceof Runnable
        || a instanceof java.util.concurrent.Callable
        || c.getName().contains("$$Lambda");
  }

  private boolean isServiceCode(Object a) {
    if (a == self) return true;
    Class<?> c = a.getClass();
    String name = c.getName();
    if (Hooks.INSTRUMENTED.contains(name)) return true;
    try {
      if (Hooks.INSTRUMENTED.contains(c.getNestHost().getName())) return true;
    } catch (Throwable ignored) {
      // judged by name below
    }
    int cut = name.indexOf('$');
    return cut > 0 && Hooks.INSTRUMENTED.contains(name.substring(0, cut));
  }

  /** Whether a callback holds the service, known state, or another such callback. */
  private boolean reachesState(Object a, int depth) {
    if (a == self || lookup(a) != null) return true;
    if (depth > 2) return true;
    for (Class<?> c = a.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      if (PureMethods.isJdk(c)) break;
      for (java.lang.reflect.Field f : c.getDeclaredFields()) {
        if (java.lang.reflect.Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
          continue;
        }
        Object v;
        try {
          if (!f.trySetAccessible()) return true;
          v = f.get(a);
        } catch (Throwable t) {
          return true;
        }
        if (v == null || Values.isScalar(v)) continue;
        if (v == self || lookup(v) != null) return true;
        if (isServiceCode(v) && reachesState(v, depth + 1)) return true;
      }
    }
    return false;
  }

  /**
   * State handed to a constructor of a class outside the service: a JDK copy ({@code new
   * HashMap<>(state)}) reads it whole; anything else may keep it and change it later, a write.
   */
  void onConstruct(CallSite site, Object[] args) {
    boolean jdk = site.owner().startsWith("java.");
    String what =
        site.name().equals("concat")
            ? "string concatenation"
            : "new " + site.shortName().replace(".<init>", "");
    for (Object a : args) {
      Derivation d = lookup(a);
      if (d == null || d.mode() == Derivation.Mode.OUTBOX) continue;
      if (jdk) {
        record(d, Op.READ, what, null, null, a, null, site.where());
      } else {
        record(
            d, Op.WRITE, "escape:" + what, WriteKind.NONMONOTONE, null, null, null, site.where());
      }
    }
  }

  /** JDK static methods that only read what they are given. */
  private static final Set<String> READS_ARGUMENTS =
      Set.of(
          "java.lang.String.valueOf",
          "java.lang.String.join",
          "java.lang.String.copyValueOf",
          "java.lang.StringBuilder.append",
          "java.lang.StringBuffer.append",
          "java.util.Objects.equals",
          "java.util.Objects.deepEquals",
          "java.util.Objects.hashCode",
          "java.util.Objects.hash",
          "java.util.Objects.toString",
          "java.util.Objects.compare",
          "java.util.Arrays.toString",
          "java.util.Arrays.deepToString",
          "java.util.Arrays.equals",
          "java.util.Arrays.deepEquals",
          "java.util.Arrays.hashCode",
          "java.util.Arrays.deepHashCode",
          "java.util.Arrays.copyOf",
          "java.util.Arrays.copyOfRange",
          "java.util.Arrays.binarySearch",
          "java.util.List.copyOf",
          "java.util.Set.copyOf",
          "java.util.Map.copyOf",
          "java.util.Collections.max",
          "java.util.Collections.min",
          "java.util.Collections.frequency",
          "java.util.Collections.disjoint");

  /** JDK static methods that do not look into what they are given. */
  private static final Set<String> IGNORES_ARGUMENTS =
      Set.of(
          "java.util.Objects.requireNonNull",
          "java.util.Objects.requireNonNullElse",
          "java.util.Objects.isNull",
          "java.util.Objects.nonNull",
          "java.lang.System.identityHashCode");

  /** State handed to code outside the service: counted as a write of whatever it was reached by. */
  private void checkEscapes(CallSite site, Object[] args) {
    String qualified = site.owner() + "." + site.name();
    if (site.isStatic() && IGNORES_ARGUMENTS.contains(qualified)) return;
    boolean reads = READS_ARGUMENTS.contains(qualified);
    boolean arraycopy = site.isStatic() && qualified.equals("java.lang.System.arraycopy");
    for (int i = site.isStatic() ? 0 : 1; i < args.length; i++) {
      Derivation d = lookup(args[i]);
      if (d != null && d.mode() != Derivation.Mode.OUTBOX && (reads || (arraycopy && i == 0))) {
        record(d, Op.READ, site.shortName(), null, null, args[i], null, site.where());
        continue;
      }
      if (d != null && d.mode() != Derivation.Mode.OUTBOX) {
        record(
            d,
            Op.WRITE,
            "escape:" + site.shortName(),
            WriteKind.NONMONOTONE,
            null,
            null,
            null,
            site.where());
      }
    }
  }

  // ---------------------------------------------------------------- outputs

  void onEmit(String target, Object[] emitted) {
    add(Event.emit(target, emitted, null));
  }
}
