package io.compartment.agent.instrument;

import io.compartment.agent.AgentLog;
import io.compartment.agent.config.ServiceMapping;
import io.compartment.agent.runtime.FieldSite;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;

/**
 * Which classes are part of a protocol service and what their members are, from the annotations of
 * {@code io.compartment.api} (matched by name: the application brings them) and from the mapping
 * file, which must behave exactly like the annotations.
 */
public final class ServiceModel {
  static final String API = "io.compartment.api.";
  static final String PROTOCOL_SERVICE = API + "ProtocolService";
  static final String STATE = API + "State";
  static final String HANDLER = API + "Handler";
  static final String EMIT = API + "Emit";

  private final Map<String, ServiceMapping> mapped = new HashMap<>();

  /** Class name to field names named as state by a mapping entry, including foreign holders. */
  private final Map<String, Set<String>> mappedState = new HashMap<>();

  private final Map<String, Set<String>> mappedEmit = new HashMap<>();
  private final Map<String, Boolean> instrumentedCache = new ConcurrentHashMap<>();
  private final Map<String, FieldSite.Role> roleCache = new ConcurrentHashMap<>();

  public ServiceModel(List<ServiceMapping> mappings) {
    for (ServiceMapping m : mappings) {
      mapped.put(m.className(), m);
      for (String s : m.state()) {
        int dot = s.lastIndexOf('.');
        if (dot < 0) {
          mappedState.computeIfAbsent(m.className(), k -> new HashSet<>()).add(s);
        } else {
          for (String owner : foreignOwnerCandidates(m.className(), s.substring(0, dot))) {
            mappedState.computeIfAbsent(owner, k -> new HashSet<>()).add(s.substring(dot + 1));
          }
        }
      }
      for (String e : m.emit()) {
        mappedEmit.computeIfAbsent(m.className(), k -> new HashSet<>()).add(e);
      }
    }
  }

  /** Where {@code OtherClass} of a mapping's {@code OtherClass.field} may live. */
  public static List<String> foreignOwnerCandidates(String service, String owner) {
    int dot = service.lastIndexOf('.');
    String pkg = dot < 0 ? "" : service.substring(0, dot + 1);
    return List.of(owner, pkg + owner, service + "$" + owner);
  }

  public ServiceMapping mapping(String className) {
    return mapped.get(className);
  }

  /** A class with handlers: annotated {@code @ProtocolService}, declaring a handler, or mapped. */
  public boolean isService(TypeDescription type) {
    if (mapped.containsKey(type.getName())) return true;
    return hasAnnotation(type, PROTOCOL_SERVICE)
        || type.getDeclaredMethods().stream().anyMatch(this::isHandlerAnnotated);
  }

  private static boolean hasAnnotation(TypeDescription type, String name) {
    return type.getDeclaredAnnotations().stream()
        .anyMatch(a -> a.getAnnotationType().getName().equals(name));
  }

  private static boolean hasAnnotation(FieldDescription f, String name) {
    return f.getDeclaredAnnotations().stream()
        .anyMatch(a -> a.getAnnotationType().getName().equals(name));
  }

  private static boolean hasAnnotation(MethodDescription m, String name) {
    return m.getDeclaredAnnotations().stream()
        .anyMatch(a -> a.getAnnotationType().getName().equals(name));
  }

  boolean isHandlerAnnotated(MethodDescription m) {
    return hasAnnotation(m, HANDLER);
  }

  /** Handler methods of a service class, valid or not (the transformer reports invalid ones). */
  public boolean isHandler(TypeDescription owner, MethodDescription m) {
    if (!m.isMethod() || m.isAbstract() || m.isNative() || m.isBridge()) return false;
    if (isHandlerAnnotated(m)) return true;
    ServiceMapping mapping = mapped.get(owner.getName());
    return mapping != null && mapping.handlers().contains(m.getName());
  }

  public boolean isEmitMethod(TypeDescription owner, MethodDescription m) {
    if (!m.isMethod() || m.isAbstract() || m.isNative()) return false;
    if (hasAnnotation(m, EMIT)) return true;
    Set<String> names = mappedEmit.get(owner.getName());
    return names != null && names.contains(m.getName());
  }

  public boolean isStateField(TypeDefinition owner, FieldDescription f) {
    if (hasAnnotation(f, STATE)) return true;
    Set<String> names = mappedState.get(owner.asErasure().getName());
    return names != null && names.contains(f.getName());
  }

  public boolean isOutboxField(TypeDefinition owner, FieldDescription f) {
    if (hasAnnotation(f, EMIT)) return true;
    Set<String> names = mappedEmit.get(owner.asErasure().getName());
    return names != null && names.contains(f.getName());
  }

  /** A class that declares state or emits for a service (a log, an instance table, a network). */
  public boolean holdsState(TypeDescription type) {
    if (mappedState.containsKey(type.getName()) || mappedEmit.containsKey(type.getName())) {
      return true;
    }
    for (FieldDescription f : type.getDeclaredFields()) {
      if (hasAnnotation(f, STATE) || hasAnnotation(f, EMIT)) return true;
    }
    for (MethodDescription m : type.getDeclaredMethods()) {
      if (hasAnnotation(m, EMIT)) return true;
    }
    return false;
  }

  /**
   * Classes whose code is rewritten: services, classes holding state or emits for them, and the
   * nest members (inner, anonymous and local classes) of either.
   */
  public boolean isInstrumented(TypeDescription type) {
    return instrumentedCache.computeIfAbsent(
        type.getName(),
        n -> {
          try {
            if (isService(type) || holdsState(type)) return true;
            TypeDescription host = type.getNestHost();
            if (host != null && !host.getName().equals(type.getName())) {
              return isService(host) || holdsState(host);
            }
            // Classes compiled before Java 11 have no nestmates: an inner or anonymous class of a
            // service is known only by its InnerClasses / EnclosingMethod attributes.
            TypeDescription outer = enclosingOf(type);
            for (int depth = 0; outer != null && depth < 16; depth++) {
              if (isService(outer) || holdsState(outer)) return true;
              outer = enclosingOf(outer);
            }
            return false;
          } catch (RuntimeException e) {
            AgentLog.debug("cannot judge " + n + ": " + e);
            return false;
          }
        });
  }

  private static TypeDescription enclosingOf(TypeDescription type) {
    TypeDescription outer = type.getEnclosingType();
    if (outer == null) outer = type.getDeclaringType();
    return outer == null || outer.getName().equals(type.getName()) ? null : outer;
  }

  /** Whether the class named (internal form) is rewritten, resolved without loading it. */
  boolean isInstrumented(TypePool pool, String internalName) {
    String name = internalName.replace('/', '.');
    Boolean cached = instrumentedCache.get(name);
    if (cached != null) return cached;
    try {
      TypePool.Resolution r = pool.describe(name);
      return r.isResolved() && isInstrumented(r.resolve());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private final Map<String, Boolean> declaredCache = new ConcurrentHashMap<>();

  /**
   * Whether a call of {@code owner.name descriptor} (owner instrumented) runs code of an
   * instrumented class: the method is declared by the owner or by an instrumented superclass or
   * interface. A method the owner only inherits from library code (a nested subclass of {@code
   * TreeMap} calling its own {@code size()} or {@code pollFirstEntry()}) is not, and its call must
   * be rewritten like any call into a library. Unresolvable: assumed declared (the old behaviour).
   */
  boolean declaredInInstrumented(TypePool pool, String internalOwner, String name, String desc) {
    String key = internalOwner + "#" + name + desc;
    Boolean cached = declaredCache.get(key);
    if (cached != null) return cached;
    boolean declared = true;
    try {
      TypePool.Resolution r = pool.describe(internalOwner.replace('/', '.'));
      if (r.isResolved()) declared = declares(r.resolve(), name, desc, 0);
    } catch (RuntimeException e) {
      AgentLog.debug("cannot resolve method " + key + ": " + e);
    }
    declaredCache.put(key, declared);
    return declared;
  }

  private boolean declares(TypeDescription type, String name, String desc, int depth) {
    if (type == null || depth > 32 || !isInstrumented(type)) return false;
    for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
      if (m.getInternalName().equals(name) && m.getDescriptor().equals(desc)) return true;
    }
    TypeDescription.Generic sup = type.getSuperClass();
    if (sup != null && declares(sup.asErasure(), name, desc, depth + 1)) return true;
    for (TypeDescription.Generic i : type.getInterfaces()) {
      if (declares(i.asErasure(), name, desc, depth + 1)) return true;
    }
    return false;
  }

  private final Map<String, Boolean> recordAccessorCache = new ConcurrentHashMap<>();

  /**
   * Whether {@code owner.name()} is the accessor of a record component of an uninstrumented record:
   * a read of a final field, never a state operation in itself.
   */
  boolean isRecordAccessor(TypePool pool, String internalOwner, String name) {
    return recordAccessorCache.computeIfAbsent(
        internalOwner + "#" + name,
        k -> {
          try {
            TypePool.Resolution r = pool.describe(internalOwner.replace('/', '.'));
            if (!r.isResolved()) return false;
            TypeDescription t = r.resolve();
            if (!t.isRecord() || isInstrumented(t)) return false;
            return t.getRecordComponents().stream().anyMatch(c -> c.getActualName().equals(name));
          } catch (RuntimeException e) {
            return false;
          }
        });
  }

  /** The role of field {@code owner.name} as seen from a rewritten access site. */
  FieldSite.Role roleOf(TypePool pool, String internalOwner, String name) {
    String key = internalOwner + "#" + name;
    FieldSite.Role cached = roleCache.get(key);
    if (cached != null) return cached;
    FieldSite.Role role = FieldSite.Role.OTHER;
    try {
      TypePool.Resolution r = pool.describe(internalOwner.replace('/', '.'));
      if (r.isResolved()) {
        for (TypeDefinition t = r.resolve(); t != null; t = t.getSuperClass()) {
          FieldDescription f =
              t
                  .getDeclaredFields()
                  .filter(net.bytebuddy.matcher.ElementMatchers.named(name))
                  .stream()
                  .findFirst()
                  .orElse(null);
          if (f == null) continue;
          if (f.isStatic()) {
            role = FieldSite.Role.OTHER;
          } else if (isStateField(t, f)) {
            role = FieldSite.Role.STATE;
          } else if (isOutboxField(t, f)) {
            role = FieldSite.Role.OUTBOX;
          } else if (isService(t.asErasure())) {
            role = FieldSite.Role.CONFIG;
          }
          break;
        }
      }
    } catch (RuntimeException e) {
      AgentLog.debug("cannot resolve field " + key + ": " + e);
    }
    roleCache.put(key, role);
    return role;
  }

  /** The declaring class of {@code owner.name} (the owner itself or a superclass), or the owner. */
  String declaringClass(TypePool pool, String internalOwner, String name) {
    try {
      TypePool.Resolution r = pool.describe(internalOwner.replace('/', '.'));
      if (r.isResolved()) {
        for (TypeDefinition t = r.resolve(); t != null; t = t.getSuperClass()) {
          if (!t.getDeclaredFields()
              .filter(net.bytebuddy.matcher.ElementMatchers.named(name))
              .isEmpty()) {
            return t.asErasure().getName();
          }
        }
      }
    } catch (RuntimeException ignored) {
      // fall back to the owner named in the bytecode
    }
    return internalOwner.replace('/', '.');
  }
}
