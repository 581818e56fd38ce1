package io.compartment.agent.runtime;

import io.compartment.agent.AgentLog;
import io.compartment.agent.live.LiveInstances;
import io.compartment.agent.live.LocalBroadcast;
import io.compartment.agent.live.MessageClasses;
import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * What instrumented code calls. Field and call sites of service classes are rewritten to {@code
 * invokedynamic} instructions bound by the bootstrap methods here; each bound site is a guard on
 * {@link #recording()}: while no thread is recording a handler invocation, the site runs the
 * original getter, setter or call and nothing else (no boxing, no allocation). Handler and emit
 * advice call {@link #enter}, {@link #exit} and {@link #emit}.
 *
 * <p>Every method here is public because inlined advice and bootstrap handles run in the
 * instrumented class's context. None of them lets a failure of the agent escape into the host: the
 * slow paths catch and log their own errors, and only the user's own code may throw.
 */
public final class Hooks {
  /**
   * Number of threads currently inside a recorded handler invocation. Updated atomically, read
   * plainly: a thread always sees its own updates, and only a thread that is itself recording needs
   * to see a non-zero count, so the guard of every rewritten site is a plain load.
   */
  private static int recordingThreads;

  private static final java.lang.invoke.VarHandle RECORDING;

  public static final SiteTable<FieldSite> FIELD_SITES = new SiteTable<>();
  public static final SiteTable<io.compartment.agent.runtime.CallSite> CALL_SITES =
      new SiteTable<>();
  public static final SiteTable<HandlerInfo> HANDLERS = new SiteTable<>();
  public static final SiteTable<String> EMIT_TARGETS = new SiteTable<>();

  /** Binary names of the classes the agent rewrote: what counts as the service's own code. */
  public static final java.util.Set<String> INSTRUMENTED =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static final ThreadLocal<ArrayDeque<Frame>> STACK =
      ThreadLocal.withInitial(ArrayDeque::new);
  private static volatile Consumer<Frame> sink = f -> {};
  private static volatile boolean enabled = true;

  private static final MethodHandle RECORDING_TEST;
  private static final MethodHandle GET_SLOW;
  private static final MethodHandle PUT_SLOW;
  private static final MethodHandle CALL_SLOW;
  private static final MethodHandle ARRAY_STORE_SLOW;
  private static final MethodHandle STORE_BYTE_OR_BOOLEAN;
  private static final MethodHandle OBSERVE_SLOW;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      RECORDING = l.findStaticVarHandle(Hooks.class, "recordingThreads", int.class);
      RECORDING_TEST = l.findStatic(Hooks.class, "recording", MethodType.methodType(boolean.class));
      GET_SLOW =
          l.findStatic(
              Hooks.class,
              "getSlow",
              MethodType.methodType(Object.class, Object.class, int.class, MethodHandle.class));
      PUT_SLOW =
          l.findStatic(
              Hooks.class,
              "putSlow",
              MethodType.methodType(
                  void.class,
                  Object.class,
                  Object.class,
                  int.class,
                  MethodHandle.class,
                  MethodHandle.class));
      CALL_SLOW =
          l.findStatic(
              Hooks.class,
              "callSlow",
              MethodType.methodType(Object.class, Object[].class, int.class, MethodHandle.class));
      ARRAY_STORE_SLOW =
          l.findStatic(
              Hooks.class,
              "arrayStoreSlow",
              MethodType.methodType(
                  void.class,
                  Object.class,
                  int.class,
                  Object.class,
                  int.class,
                  MethodHandle.class));
      STORE_BYTE_OR_BOOLEAN =
          l.findStatic(
              Hooks.class,
              "storeByteOrBoolean",
              MethodType.methodType(void.class, Object.class, int.class, int.class));
      OBSERVE_SLOW =
          l.findStatic(
              Hooks.class,
              "observeSlow",
              MethodType.methodType(void.class, Object[].class, int.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Hooks() {}

  /** The token of a call that is timed but not recorded. */
  private record TimedCall(HandlerInfo handler, long startNanos) {}

  /** Where finished frames go (the aggregator's queue). */
  public static void sink(Consumer<Frame> consumer) {
    sink = consumer;
  }

  /** The kill switch: when false no invocation is recorded from now on. */
  public static void enabled(boolean on) {
    enabled = on;
  }

  /** True while some thread records a handler invocation: the guard of every rewritten site. */
  public static boolean recording() {
    return recordingThreads != 0;
  }

  // ------------------------------------------------------------------ handler advice

  /**
   * Called on entry to a handler. Returns a token for {@link #exit}, or null when this call is not
   * recorded (the common case once sampling has thinned out).
   */
  public static Object enter(int handlerId, Object self) {
    HandlerInfo h = HANDLERS.get(handlerId);
    boolean sampled = h.countAndSample() && enabled;
    if (!sampled && recordingThreads == 0) {
      return h.timeThisCall() ? new TimedCall(h, System.nanoTime()) : null;
    }
    try {
      ArrayDeque<Frame> stack = STACK.get();
      Frame parent = stack.peek();
      if (!sampled && parent == null) return null;
      // A handler called from inside a recorded one gets its own frame; on the same instance what
      // it does is also the caller's (a batch handler calling a put handler writes what put
      // writes), so its frame records even when it is not sampled itself and is folded into the
      // caller's on exit. An unsampled handler otherwise gets a muted frame that records nothing.
      boolean record =
          sampled || (parent != null && !parent.muted && sameInstance(parent, h, self));
      Frame frame = new Frame(h, self, !record, parent);
      frame.sampled = sampled;
      if (sampled) LiveInstances.seen(h.service(), self);
      stack.push(frame);
      if (record) RECORDING.getAndAdd(1);
      return frame;
    } catch (Throwable t) {
      AgentLog.failure("enter", "could not start recording " + h.reportName(), t);
      return null;
    }
  }

  /** A handler call on the caller's own service instance (or, static, its own service class). */
  private static boolean sameInstance(Frame caller, HandlerInfo h, Object self) {
    return caller.self == self && (self != null || caller.handler.service().equals(h.service()));
  }

  /** Gives a recorded invocation its arguments (the message). */
  public static void arguments(Object token, Object[] args) {
    if (token instanceof Frame f && !f.muted && args != null) {
      f.args = args;
      if (f.sampled) MessageClasses.note(args);
    }
  }

  /** Called on every exit of a handler whose {@link #enter} returned a token. */
  public static void exit(Object token, Object returned) {
    if (token instanceof TimedCall timed) {
      timed.handler.plainCost(System.nanoTime() - timed.startNanos);
      return;
    }
    if (token instanceof LocalBroadcast broadcast) {
      broadcast.finish();
      return;
    }
    if (!(token instanceof Frame frame)) return;
    try {
      ArrayDeque<Frame> stack = STACK.get();
      // pop up to and including this frame, even if an inner exit was missed
      while (!stack.isEmpty()) {
        if (stack.pop() == frame) break;
      }
      if (!frame.muted) {
        RECORDING.getAndAdd(-1);
        frame.returned = returned;
        frame.returnedValue = !frame.handler.descriptor().endsWith(")V");
        // only a call on the same service instance: a handler of another instance or service
        // called directly (nodes of a simulated cluster in one JVM) is a message, not the
        // caller's own work
        if (frame.parent != null
            && !frame.parent.muted
            && sameInstance(frame.parent, frame.handler, frame.self)) {
          frame.parent.absorb(frame);
        }
        if (frame.sampled) {
          frame.handler.recordedCost(System.nanoTime() - frame.startNanos);
          sink.accept(frame);
        }
      }
    } catch (Throwable t) {
      AgentLog.failure("exit", "could not finish recording " + frame.handler.reportName(), t);
    }
  }

  /** Called on entry to an {@code @Emit} method. */
  public static void emit(int emitId, Object[] args) {
    if (recordingThreads == 0) return;
    try {
      Frame f = STACK.get().peek();
      if (f != null && !f.muted) {
        f.onEmit(EMIT_TARGETS.get(emitId), args.clone());
        MessageClasses.note(args);
      }
    } catch (Throwable t) {
      AgentLog.failure("emit", "could not record an emit", t);
    }
  }

  /**
   * True when this thread is inside a recorded handler call: what it runs now (an emit, say) would
   * be recorded as that call's.
   */
  public static boolean inRecordedCall() {
    return recordingThreads != 0 && current() != null;
  }

  private static Frame current() {
    Frame f = STACK.get().peek();
    return f == null || f.muted ? null : f;
  }

  // ------------------------------------------------------------------ bootstraps

  /**
   * A site whose target could not be resolved: it throws, when executed, the error the original
   * instruction would have thrown (a missing method or field, an access the caller may not make),
   * so that application code catching {@code NoSuchMethodError} and the like behaves as before,
   * instead of meeting a {@code BootstrapMethodError}.
   */
  static CallSite failingSite(MethodType type, Throwable cause) {
    Throwable root = cause;
    LinkageError error;
    if (root instanceof LinkageError l) {
      error = l;
    } else if (root instanceof NoSuchMethodException) {
      error = new NoSuchMethodError(root.getMessage());
    } else if (root instanceof NoSuchFieldException) {
      error = new NoSuchFieldError(root.getMessage());
    } else if (root instanceof ClassNotFoundException) {
      error = new NoClassDefFoundError(root.getMessage());
    } else {
      error = new IllegalAccessError(String.valueOf(root.getMessage()));
    }
    if (error != root) error.initCause(root);
    MethodHandle thrower =
        MethodHandles.insertArguments(
            MethodHandles.throwException(type.returnType(), LinkageError.class), 0, error);
    return new ConstantCallSite(MethodHandles.dropArguments(thrower, 0, type.parameterList()));
  }

  /** Binds a rewritten {@code getfield}: type {@code (Owner)T}. */
  public static CallSite bootstrapGet(
      MethodHandles.Lookup lookup, String name, MethodType type, int siteId) {
    try {
      FieldSite site = FIELD_SITES.get(siteId);
      MethodHandle getter = getter(lookup, type.parameterType(0), site.name(), type.returnType());
      MethodHandle generic = getter.asType(MethodType.methodType(Object.class, Object.class));
      MethodHandle slow = MethodHandles.insertArguments(GET_SLOW, 1, siteId, generic).asType(type);
      return new ConstantCallSite(
          MethodHandles.guardWithTest(
              MethodHandles.dropArguments(RECORDING_TEST, 0, type.parameterList()), slow, getter));
    } catch (ReflectiveOperationException | LinkageError e) {
      return failingSite(type, e);
    }
  }

  /** Binds a rewritten {@code putfield}: type {@code (Owner,T)V}. */
  public static CallSite bootstrapPut(
      MethodHandles.Lookup lookup, String name, MethodType type, int siteId) {
    try {
      FieldSite site = FIELD_SITES.get(siteId);
      Class<?> owner = type.parameterType(0);
      Class<?> fieldType = type.parameterType(1);
      MethodHandle getter =
          getter(lookup, owner, site.name(), fieldType)
              .asType(MethodType.methodType(Object.class, Object.class));
      MethodHandle setter = setter(lookup, owner, site.name(), fieldType);
      MethodHandle genericSetter =
          setter.asType(MethodType.methodType(void.class, Object.class, Object.class));
      MethodHandle slow =
          MethodHandles.insertArguments(PUT_SLOW, 2, siteId, getter, genericSetter).asType(type);
      return new ConstantCallSite(
          MethodHandles.guardWithTest(
              MethodHandles.dropArguments(RECORDING_TEST, 0, type.parameterList()), slow, setter));
    } catch (ReflectiveOperationException | LinkageError e) {
      return failingSite(type, e);
    }
  }

  /**
   * Binds a rewritten {@code invokevirtual}/{@code invokeinterface} (type {@code (Owner,A...)R}) or
   * {@code invokestatic} (type {@code (A...)R}).
   */
  public static CallSite bootstrapCall(
      MethodHandles.Lookup lookup, String name, MethodType type, int siteId) {
    try {
      io.compartment.agent.runtime.CallSite site = CALL_SITES.get(siteId);
      MethodHandle target;
      if (site.isStatic()) {
        Class<?> owner = Class.forName(site.owner(), false, lookup.lookupClass().getClassLoader());
        target = findStatic(lookup, owner, site.name(), type);
      } else {
        target =
            findVirtual(lookup, type.parameterType(0), site.name(), type.dropParameterTypes(0, 1));
      }
      target = target.asType(type);
      int n = type.parameterCount();
      MethodHandle spreader =
          target
              .asSpreader(Object[].class, n)
              .asType(MethodType.methodType(Object.class, Object[].class));
      MethodHandle slow =
          MethodHandles.insertArguments(CALL_SLOW, 1, siteId, spreader)
              .asCollector(Object[].class, n)
              .asType(type);
      return new ConstantCallSite(
          MethodHandles.guardWithTest(
              MethodHandles.dropArguments(RECORDING_TEST, 0, type.parameterList()), slow, target));
    } catch (ReflectiveOperationException | LinkageError e) {
      return failingSite(type, e);
    }
  }

  /**
   * Binds a rewritten array element store: type {@code (A[],int,A)V}, or {@code (Object,int,int)V}
   * for {@code bastore}. Off the recording path it is the plain store.
   */
  public static CallSite bootstrapArrayStore(
      MethodHandles.Lookup lookup, String name, MethodType type, int siteId) {
    MethodHandle store =
        type.parameterType(0) == Object.class
            ? STORE_BYTE_OR_BOOLEAN
            : MethodHandles.arrayElementSetter(type.parameterType(0));
    store = store.asType(type);
    MethodHandle generic =
        store.asType(MethodType.methodType(void.class, Object.class, int.class, Object.class));
    MethodHandle slow =
        MethodHandles.insertArguments(ARRAY_STORE_SLOW, 3, siteId, generic).asType(type);
    return new ConstantCallSite(
        MethodHandles.guardWithTest(
            MethodHandles.dropArguments(RECORDING_TEST, 0, type.parameterList()), slow, store));
  }

  /**
   * Binds an observer of a constructor's arguments: type {@code (A...)V}. Off the recording path it
   * does nothing.
   */
  public static CallSite bootstrapObserve(
      MethodHandles.Lookup lookup, String name, MethodType type, int siteId) {
    MethodHandle slow =
        MethodHandles.insertArguments(OBSERVE_SLOW, 1, siteId)
            .asCollector(Object[].class, type.parameterCount())
            .asType(type);
    return new ConstantCallSite(
        MethodHandles.guardWithTest(
            MethodHandles.dropArguments(RECORDING_TEST, 0, type.parameterList()),
            slow,
            MethodHandles.empty(type)));
  }

  /**
   * Binds a string concatenation: the JDK's own concatenation, preceded while recording by an
   * observer of its arguments (state printed into a string is read whole).
   */
  public static CallSite bootstrapConcat(
      MethodHandles.Lookup lookup,
      String name,
      MethodType type,
      int siteId,
      String recipe,
      Object... constants)
      throws Throwable {
    MethodHandle concat =
        java.lang.invoke.StringConcatFactory.makeConcatWithConstants(
                lookup, name, type, recipe, constants)
            .getTarget();
    try {
      MethodHandle observe =
          MethodHandles.insertArguments(OBSERVE_SLOW, 1, siteId)
              .asCollector(Object[].class, type.parameterCount())
              .asType(type.changeReturnType(void.class));
      MethodHandle observed = MethodHandles.foldArguments(concat, observe);
      return new ConstantCallSite(
          MethodHandles.guardWithTest(
              MethodHandles.dropArguments(RECORDING_TEST, 0, type.parameterList()),
              observed,
              concat));
    } catch (Throwable t) {
      AgentLog.failure("concat", "could not observe a string concatenation; not traced", t);
      return new ConstantCallSite(concat);
    }
  }

  /** Arguments of a constructor of a class outside the service, while some thread records. */
  public static void observeSlow(Object[] args, int siteId) {
    Frame f = current();
    if (f == null) return;
    try {
      f.onConstruct(CALL_SITES.get(siteId), args);
    } catch (Throwable t) {
      f.truncated = true;
      AgentLog.failure(
          "observe" + siteId,
          "could not record a constructor call at " + CALL_SITES.get(siteId).where(),
          t);
    }
  }

  /** {@code bastore}: the same instruction stores into byte and boolean arrays. */
  public static void storeByteOrBoolean(Object array, int index, int value) {
    if (array instanceof byte[] b) {
      b[index] = (byte) value;
    } else {
      ((boolean[]) array)[index] = (value & 1) != 0;
    }
  }

  private static MethodHandle getter(
      MethodHandles.Lookup lookup, Class<?> owner, String name, Class<?> type)
      throws ReflectiveOperationException {
    try {
      return lookup.findGetter(owner, name, type);
    } catch (IllegalAccessException e) {
      Field f = findField(owner, name);
      f.setAccessible(true);
      return lookup.unreflectGetter(f).asType(MethodType.methodType(type, owner));
    }
  }

  private static MethodHandle setter(
      MethodHandles.Lookup lookup, Class<?> owner, String name, Class<?> type)
      throws ReflectiveOperationException {
    try {
      return lookup.findSetter(owner, name, type);
    } catch (IllegalAccessException e) {
      Field f = findField(owner, name);
      f.setAccessible(true);
      return lookup.unreflectSetter(f).asType(MethodType.methodType(void.class, owner, type));
    }
  }

  private static MethodHandle findVirtual(
      MethodHandles.Lookup lookup, Class<?> owner, String name, MethodType type)
      throws ReflectiveOperationException {
    try {
      return lookup.findVirtual(owner, name, type);
    } catch (IllegalAccessException e) {
      Method m = findMethod(owner, name, type);
      m.setAccessible(true);
      return lookup.unreflect(m);
    }
  }

  private static MethodHandle findStatic(
      MethodHandles.Lookup lookup, Class<?> owner, String name, MethodType type)
      throws ReflectiveOperationException {
    try {
      return lookup.findStatic(owner, name, type);
    } catch (IllegalAccessException e) {
      Method m = findMethod(owner, name, type);
      m.setAccessible(true);
      return lookup.unreflect(m);
    }
  }

  private static Field findField(Class<?> owner, String name) throws NoSuchFieldException {
    for (Class<?> c = owner; c != null; c = c.getSuperclass()) {
      try {
        return c.getDeclaredField(name);
      } catch (NoSuchFieldException ignored) {
        // look in the superclass
      }
    }
    throw new NoSuchFieldException(owner.getName() + "." + name);
  }

  private static Method findMethod(Class<?> owner, String name, MethodType type)
      throws NoSuchMethodException {
    for (Class<?> c = owner; c != null; c = c.getSuperclass()) {
      try {
        return c.getDeclaredMethod(name, type.parameterArray());
      } catch (NoSuchMethodException ignored) {
        // look in the superclass
      }
    }
    throw new NoSuchMethodException(owner.getName() + "." + name + type);
  }

  // ------------------------------------------------------------------ slow paths

  /** A field read while some thread records. */
  public static Object getSlow(Object receiver, int siteId, MethodHandle getter) throws Throwable {
    Object value = getter.invokeExact(receiver);
    Frame f = current();
    if (f != null) {
      try {
        f.onGet(FIELD_SITES.get(siteId), receiver, value);
      } catch (Throwable t) {
        f.truncated = true;
        AgentLog.failure(
            "get" + siteId,
            "could not record a field read at " + FIELD_SITES.get(siteId).where(),
            t);
      }
    }
    return value;
  }

  /** A field write while some thread records. */
  public static void putSlow(
      Object receiver, Object value, int siteId, MethodHandle getter, MethodHandle setter)
      throws Throwable {
    Frame f = current();
    if (f != null) {
      try {
        Object old = getter.invokeExact(receiver);
        f.onPut(FIELD_SITES.get(siteId), receiver, old, value);
      } catch (Throwable t) {
        f.truncated = true;
        AgentLog.failure(
            "put" + siteId,
            "could not record a field write at " + FIELD_SITES.get(siteId).where(),
            t);
      }
    }
    setter.invokeExact(receiver, value);
  }

  /**
   * Called first by a method too large to rewrite: inside a recorded handler, its accesses cannot
   * be seen, which is recorded as a write nobody can judge.
   */
  public static void untraced(int siteId) {
    if (recordingThreads == 0) return;
    try {
      Frame f = current();
      if (f != null) f.onUntraced(FIELD_SITES.get(siteId));
    } catch (Throwable t) {
      AgentLog.failure("untraced" + siteId, "could not record untraced code", t);
    }
  }

  /** An array element store while some thread records. */
  public static void arrayStoreSlow(
      Object array, int index, Object value, int siteId, MethodHandle store) throws Throwable {
    Frame f = current();
    if (f != null && array != null) {
      try {
        f.onArrayStore(CALL_SITES.get(siteId), array, index, value);
      } catch (Throwable t) {
        f.truncated = true;
        AgentLog.failure(
            "array" + siteId,
            "could not record an array store at " + CALL_SITES.get(siteId).where(),
            t);
      }
    }
    store.invokeExact(array, index, value);
  }

  /** A call while some thread records. */
  public static Object callSlow(Object[] args, int siteId, MethodHandle spreader) throws Throwable {
    Frame f = current();
    if (f == null) return spreader.invokeExact(args);
    io.compartment.agent.runtime.CallSite site = CALL_SITES.get(siteId);
    Frame.Pending pending = null;
    try {
      pending = f.beforeCall(site, args);
    } catch (Throwable t) {
      f.truncated = true;
      AgentLog.failure("call" + siteId, "could not record a call at " + site.where(), t);
    }
    Object result;
    try {
      result = spreader.invokeExact(args);
    } catch (Throwable thrown) {
      if (pending != null) {
        try {
          f.afterFailedCall(site, args, pending);
        } catch (Throwable t) {
          f.truncated = true;
          AgentLog.failure("call" + siteId, "could not record a call at " + site.where(), t);
        }
      }
      throw thrown; // the application's own exception, unchanged
    }
    if (pending != null) {
      try {
        f.afterCall(site, args, result, pending);
      } catch (Throwable t) {
        f.truncated = true;
        AgentLog.failure("call" + siteId, "could not record a call at " + site.where(), t);
      }
    }
    return result;
  }
}
