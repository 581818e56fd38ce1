package io.compartment.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.is;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;

import io.compartment.agent.AgentLog;
import io.compartment.agent.live.WorkerEmits;
import io.compartment.agent.runtime.HandlerInfo;
import io.compartment.agent.runtime.Hooks;
import io.compartment.agent.trace.ServiceCatalog;
import io.compartment.analyzer.trace.StateFieldInfo;
import io.compartment.analyzer.trace.StateKind;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the transformation: handler and emit advice, and the access rewriter, on every class
 * that is part of a protocol service. A class that fails to transform is logged and left as it was;
 * the application keeps running.
 */
public final class Installer {
  private final ServiceModel model;
  private final ServiceCatalog catalog;
  private final Path dumpDir;
  private final Map<String, Integer> handlerIds = new ConcurrentHashMap<>();
  private final Map<String, Integer> emitIds = new ConcurrentHashMap<>();

  public Installer(ServiceModel model, ServiceCatalog catalog, Path dumpDir) {
    this.model = model;
    this.catalog = catalog;
    this.dumpDir = dumpDir;
  }

  public void install(Instrumentation inst, boolean retransform) {
    AgentBuilder builder =
        new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
            .with(AgentBuilder.TypeStrategy.Default.DECORATE)
            .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
            .with(AgentBuilder.PoolStrategy.Default.EXTENDED)
            .with(new Listener())
            .ignore(
                nameStartsWith("java.")
                    .or(nameStartsWith("javax."))
                    .or(nameStartsWith("jdk."))
                    .or(nameStartsWith("sun."))
                    .or(nameStartsWith("com.sun."))
                    .or(nameStartsWith("io.compartment.agent."))
                    .or(nameStartsWith("io.compartment.api."))
                    .or(nameStartsWith("io.compartment.analyzer."))
                    .or(isSynthetic()));
    if (retransform) {
      builder =
          builder
              .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
              .disableClassFormatChanges();
    }
    builder
        .type((TypeDescription type) -> model.isInstrumented(type))
        .transform(this::transform)
        .installOn(inst);
  }

  private DynamicType.Builder<?> transform(
      DynamicType.Builder<?> builder,
      TypeDescription type,
      ClassLoader loader,
      JavaModule module,
      ProtectionDomain domain) {
    AgentLog.debug("instrumenting " + type.getName());
    Hooks.INSTRUMENTED.add(type.getName());
    if (model.isService(type)) {
      builder = registerService(builder, type, loader);
    }
    registerStateHolder(type, loader);
    for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
      if (model.isEmitMethod(type, m)) {
        int id =
            emitIds.computeIfAbsent(
                type.getName() + "#" + m.getName() + m.getDescriptor(),
                k -> {
                  synchronized (WorkerEmits.KEYS) {
                    int assigned = Hooks.EMIT_TARGETS.add(m.getName());
                    WorkerEmits.KEYS.add(k);
                    return assigned;
                  }
                });
        builder =
            builder.visit(
                Advice.withCustomMapping()
                    .bind(HandlerId.class, id)
                    .to(EmitAdvice.class)
                    .on(is(m)));
      }
    }
    java.util.Set<String> tooLarge = tooLarge(type, loader);
    return builder.visit(
        new AsmVisitorWrapper.ForDeclaredMethods()
            .invokable(
                not(net.bytebuddy.matcher.ElementMatchers.isAbstract()),
                new AccessRewriter(model, tooLarge)));
  }

  /** Methods of the class that the rewrite would push past 64 KB; each is reported once. */
  private java.util.Set<String> tooLarge(TypeDescription type, ClassLoader loader) {
    try {
      net.bytebuddy.dynamic.ClassFileLocator locator =
          loader == null
              ? net.bytebuddy.dynamic.ClassFileLocator.ForClassLoader.ofBootLoader()
              : net.bytebuddy.dynamic.ClassFileLocator.ForClassLoader.of(loader);
      net.bytebuddy.dynamic.ClassFileLocator.Resolution r = locator.locate(type.getName());
      if (!r.isResolved()) return java.util.Set.of();
      java.util.Set<String> found = SizeCheck.tooLarge(type.getName(), r.resolve());
      for (String m : found) {
        String msg =
            "method "
                + m
                + " is too large to instrument (64 KB bytecode limit): it runs unchanged,"
                + " and a handler that runs it is reported SEQUENTIAL (untraced code)";
        AgentLog.warn(type.getName() + ": " + msg);
        String service = model.isService(type) ? type.getName() : serviceFor(type);
        if (catalog.known(service)) catalog.warn(service, loader, msg);
      }
      return found;
    } catch (Throwable t) {
      AgentLog.debug("size check of " + type.getName() + " failed: " + t);
      return java.util.Set.of();
    }
  }

  private DynamicType.Builder<?> registerService(
      DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader) {
    ServiceCatalog.Entry entry = catalog.service(type.getName(), loader);
    boolean fresh;
    synchronized (entry) {
      fresh = entry.handlers.isEmpty() && entry.config.isEmpty() && entry.state.isEmpty();
    }
    Map<String, Integer> overloads = new HashMap<>();
    for (MethodDescription m : type.getDeclaredMethods()) {
      if (model.isHandler(type, m)) overloads.merge(m.getName(), 1, Integer::sum);
    }
    for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
      if (!model.isHandler(type, m)) continue;
      String where = type.getName() + "." + m.getName() + m.getDescriptor();
      if (m.getParameters().isEmpty()) {
        catalog.warn(
            type.getName(),
            loader,
            "@Handler "
                + type.getSimpleName()
                + "."
                + m.getName()
                + "() has no parameters: a handler's parameters are the message;"
                + " it is not traced");
        AgentLog.error(
            type.getName()
                + "."
                + m.getName()
                + "(): @Handler needs at least one"
                + " parameter (the message); this method is not traced and runs unchanged");
        continue;
      }
      String reportName =
          overloads.get(m.getName()) > 1
              ? m.getName()
                  + "("
                  + String.join(
                      ",",
                      m.getParameters().asTypeList().asErasures().stream()
                          .map(TypeDescription::getSimpleName)
                          .toList())
                  + ")"
              : m.getName();
      int id =
          handlerIds.computeIfAbsent(
              where,
              k -> {
                int assigned =
                    Hooks.HANDLERS.add(
                        n ->
                            new HandlerInfo(
                                n,
                                type.getName(),
                                m.getName(),
                                m.getDescriptor(),
                                reportName,
                                loader));
                synchronized (entry) {
                  entry.handlers.add(Hooks.HANDLERS.get(assigned));
                }
                return assigned;
              });
      builder =
          builder.visit(
              Advice.withCustomMapping()
                  .bind(HandlerId.class, id)
                  .to(
                      HandlerAdvice.class,
                      m.getReturnType().represents(void.class)
                          ? HandlerAdvice.class
                          : ValueHandlerAdvice.class)
                  .on(is(m)));
    }
    if (fresh) {
      for (FieldDescription.InDefinedShape f : type.getDeclaredFields()) {
        if (!f.isStatic() && model.isOutboxField(type, f)) {
          synchronized (entry) {
            entry.outboxes.add(f.getName());
          }
          continue;
        }
        if (f.isStatic() || f.isSynthetic() || model.isStateField(type, f)) {
          continue;
        }
        synchronized (entry) {
          entry.config.add(f.getName());
        }
      }
    }
    return builder;
  }

  private void registerStateHolder(TypeDescription type, ClassLoader loader) {
    for (FieldDescription.InDefinedShape f : type.getDeclaredFields()) {
      if (!model.isStateField(type, f)) continue;
      if (f.isStatic()) {
        String msg =
            "@State "
                + type.getSimpleName()
                + "."
                + f.getName()
                + " is static: state"
                + " must be an instance field (it is partitioned per service instance); ignored";
        AgentLog.error(type.getName() + "." + f.getName() + ": " + msg);
        catalog.warn(serviceFor(type), loader, msg);
        continue;
      }
      StateFieldInfo info =
          new StateFieldInfo(
              model.isService(type)
                  ? f.getName()
                  : AccessRewriter.simpleName(type.getName()) + "." + f.getName(),
              type.getName(),
              f.getName(),
              f.getType().asErasure().getName(),
              kindOf(f));
      catalog.stateField(info);
      if (model.isService(type)) {
        ServiceCatalog.Entry entry = catalog.service(type.getName(), loader);
        synchronized (entry) {
          if (entry.state.stream().noneMatch(s -> s.name().equals(f.getName()))) {
            entry.state.add(info);
          }
        }
      }
    }
  }

  private String serviceFor(TypeDescription type) {
    if (model.isService(type)) return type.getName();
    TypeDescription host = type.getNestHost();
    return host != null ? host.getName() : type.getName();
  }

  private static StateKind kindOf(FieldDescription f) {
    TypeDescription t = f.getType().asErasure();
    if (t.isPrimitive() || t.isPrimitiveWrapper() || t.represents(String.class) || t.isEnum()) {
      return StateKind.SCALAR;
    }
    if (t.isAssignableTo(java.util.Map.class)) return StateKind.MAP;
    if (t.isAssignableTo(java.util.Queue.class)) return StateKind.DEQUE;
    if (t.isAssignableTo(java.util.Set.class)) return StateKind.SET;
    if (t.isAssignableTo(java.util.List.class)) return StateKind.LIST;
    if (t.isAssignableTo(java.util.Collection.class)) return StateKind.COLLECTION;
    if (t.getName().startsWith("java.util.concurrent.atomic.")) return StateKind.SCALAR;
    return StateKind.OBJECT;
  }

  /** Logs transformation failures; with debug on, dumps what was transformed. */
  private final class Listener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onTransformation(
        TypeDescription type,
        ClassLoader loader,
        JavaModule module,
        boolean loaded,
        DynamicType dynamicType) {
      if (dumpDir == null) return;
      try {
        dynamicType.saveIn(dumpDir.toFile());
      } catch (Throwable t) {
        AgentLog.failure("dump", "could not dump " + type.getName() + " to " + dumpDir, t);
      }
    }

    @Override
    public void onError(
        String typeName,
        ClassLoader loader,
        JavaModule module,
        boolean loaded,
        Throwable throwable) {
      String tooLarge = tooLargeMethod(throwable);
      if (tooLarge != null) {
        // the rewrite makes a method exceed the JVM's 64 KB limit: the class is loaded unchanged
        String msg =
            typeName
                + ": method "
                + tooLarge
                + " is too large to instrument (64 KB bytecode limit); the class runs unchanged"
                + " and its handlers are not traced";
        AgentLog.failure("transform:" + typeName, msg, throwable);
        warnService(typeName, loader, msg);
        return;
      }
      AgentLog.failure(
          "transform:" + typeName,
          "could not instrument " + typeName + "; it runs unchanged and untraced",
          throwable);
      warnService(
          typeName,
          loader,
          "could not instrument " + typeName + " (" + throwable + "); its handlers are not traced");
    }

    private void warnService(String typeName, ClassLoader loader, String msg) {
      try {
        if (catalog.known(typeName)) catalog.warn(typeName, loader, msg);
      } catch (Throwable ignored) {
        // the log line above already says it
      }
    }

    private String tooLargeMethod(Throwable t) {
      for (Throwable c = t; c != null; c = c.getCause()) {
        if (c.getClass().getSimpleName().equals("MethodTooLargeException")) {
          String m = c.getMessage();
          int colon = m == null ? -1 : m.lastIndexOf(": ");
          return colon < 0 ? String.valueOf(m) : m.substring(colon + 2);
        }
        if (c.getCause() == c) break;
      }
      return null;
    }
  }
}
