package io.compartment.analyzer.statics;

import io.compartment.analyzer.trace.StateFieldInfo;
import io.compartment.analyzer.trace.StateKind;
import io.compartment.analyzer.trace.StaticFacts;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InnerClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The static pass over a handler's bytecode (DESIGN section 3): which state it can reach on any
 * path, which message attribute each key of a keyed collection operation derives from, which scalar
 * reads are only compared, which fields advance themselves, and which state escapes to code outside
 * the service.
 *
 * <p>It walks the handler and, transitively, what it calls on the service class, its superclasses,
 * its nest members and inner classes, classes named as service classes, classes that own state
 * fields, and lambda bodies (invokedynamic {@code LambdaMetafactory} implementation methods).
 * Callees are analysed with the caller's argument values (a context-sensitive walk, memoized, at
 * most {@link #MAX_DEPTH} calls deep). It never throws: any failure gives facts with {@code
 * complete: false} and a note.
 *
 * <p>One instance serves every handler of one service; it caches parsed classes and callee
 * summaries. Not thread-safe.
 */
public final class StaticAnalyzer {
  /** Calls followed from the handler, at most. */
  public static final int MAX_DEPTH = 8;

  /** Method analyses per instance, at most; beyond, facts are incomplete. */
  public static final int MAX_ANALYSES = 4000;

  private final Function<String, byte[]> classBytes;
  private final String service;
  private final Map<String, String> stateIds = new HashMap<>();
  private final Map<String, StateKind> stateKinds = new HashMap<>();
  private final Set<String> immutableScalars = new HashSet<>();
  private final List<String> stateOrder = new ArrayList<>();
  private final Set<String> analysed = new HashSet<>();
  private final Map<String, ClassNode> classes = new HashMap<>();
  private final Set<String> missing = new HashSet<>();
  private final Map<String, String> fieldOwners = new HashMap<>();
  final Map<String, Summary> memo = new HashMap<>();
  final Set<String> inProgress = new HashSet<>();
  int analyses;

  /**
   * @param classBytes the class file bytes for a binary class name ({@code demo.Acceptor$Log}), or
   *     null if unknown; see {@link #classLoaderBytes}
   * @param serviceClass binary name of the service class
   * @param stateFields the service's {@code @State} fields
   * @param serviceClasses binary names of other classes that belong to the service (instrumented
   *     helpers, nest members); may be empty
   */
  public StaticAnalyzer(
      Function<String, byte[]> classBytes,
      String serviceClass,
      Collection<StateFieldInfo> stateFields,
      Collection<String> serviceClasses) {
    this.classBytes = classBytes;
    this.service = internal(serviceClass);
    for (StateFieldInfo f : stateFields) {
      stateIds.put(internal(f.owner()) + "." + f.name(), f.id());
      stateKinds.put(f.id(), f.kind());
      if (f.kind() == StateKind.SCALAR
          && (f.type() == null || !f.type().startsWith("java.util.concurrent.atomic."))) {
        immutableScalars.add(f.id());
      }
      stateOrder.add(f.id());
      analysed.add(internal(f.owner()));
    }
    analysed.add(service);
    for (String c : serviceClasses) analysed.add(internal(c));
    try {
      addServiceFamily();
    } catch (RuntimeException e) {
      // Unreadable service class: analyse() reports it.
    }
  }

  /**
   * Analyses one handler. Never throws.
   *
   * @param owner binary name of the class declaring the handler (the service class or a superclass)
   * @param method the method name
   * @param descriptor the JVM method descriptor
   */
  public StaticFacts analyze(String owner, String method, String descriptor) {
    Facts facts;
    try {
      facts = analyzeRoot(internal(owner), method, descriptor);
    } catch (RuntimeException | StackOverflowError | LinkageError e) {
      facts = new Facts();
      facts.incomplete("static pass failed: " + e);
    }
    return facts.toStaticFacts(stateOrder, id -> stateKind(id) == StateKind.SCALAR);
  }

  /** One-shot form of {@link #analyze}, for a handler declared on the service class. */
  public static StaticFacts analyze(
      Function<String, byte[]> classBytes,
      String serviceClass,
      String method,
      String descriptor,
      Collection<StateFieldInfo> stateFields,
      Collection<String> serviceClasses) {
    return new StaticAnalyzer(classBytes, serviceClass, stateFields, serviceClasses)
        .analyze(serviceClass, method, descriptor);
  }

  /** Class bytes read as resources of a class loader ({@code a/b/C.class}); null where absent. */
  public static Function<String, byte[]> classLoaderBytes(ClassLoader loader) {
    ClassLoader l = loader != null ? loader : ClassLoader.getSystemClassLoader();
    return name -> {
      try (InputStream in = l.getResourceAsStream(name.replace('.', '/') + ".class")) {
        return in == null ? null : in.readAllBytes();
      } catch (IOException e) {
        return null;
      }
    };
  }

  private Facts analyzeRoot(String owner, String name, String desc) {
    ClassNode cls = classNode(owner);
    if (cls == null) {
      Facts f = new Facts();
      f.incomplete("class bytes of " + binary(owner) + " not available");
      return f;
    }
    MethodLookup m = findMethod(owner, name, desc, false);
    if (m == null || m.method.instructions.size() == 0) {
      Facts f = new Facts();
      f.incomplete("no code for " + binary(owner) + "." + name + desc);
      return f;
    }
    boolean isStatic = (m.method.access & Opcodes.ACC_STATIC) != 0;
    List<V> args = new ArrayList<>();
    if (!isStatic) args.add(V.serviceRef());
    Type[] params = Type.getArgumentTypes(desc);
    for (int i = 0; i < params.length; i++) args.add(V.path(params[i].getSize(), "arg" + i));
    return analyzeMethod(m.owner, m.method, args, 0, true).facts;
  }

  /** What a method, analysed with given argument values, contributes. */
  record Summary(Facts facts, V ret) {}

  Summary analyzeMethod(ClassNode owner, MethodNode method, List<V> args, int depth, boolean root) {
    String key = owner.name + "." + method.name + method.desc + (root ? "!" : "") + "|" + args;
    Summary done = memo.get(key);
    if (done != null) return done;
    Type retType = Type.getReturnType(method.desc);
    V unknownRet = retType == Type.VOID_TYPE ? null : V.derivedFrom(retType.getSize(), args);
    if (inProgress.contains(key)) {
      return new Summary(new Facts(), unknownRet); // recursion: the outer walk covers it
    }
    if (depth > MAX_DEPTH) {
      Facts f = new Facts();
      f.incomplete(
          "call depth limit ("
              + MAX_DEPTH
              + ") reached at "
              + binary(owner.name)
              + "."
              + method.name);
      return new Summary(f, unknownRet);
    }
    if (++analyses > MAX_ANALYSES) {
      Facts f = new Facts();
      f.incomplete("analysis budget (" + MAX_ANALYSES + " method walks) exhausted");
      return new Summary(f, unknownRet);
    }
    inProgress.add(key);
    Summary s;
    try {
      s = new MethodRun(this, owner, method, args, depth, root).run();
    } finally {
      inProgress.remove(key);
    }
    memo.put(key, s);
    return s;
  }

  // ---- state fields and the analysed set

  /** The state field id for a field instruction's owner and name, or null. */
  String stateFieldId(String owner, String name) {
    String id = stateIds.get(owner + "." + name);
    if (id != null) return id;
    String declaring = declaringClass(owner, name);
    return declaring == null ? null : stateIds.get(declaring + "." + name);
  }

  /**
   * False for a scalar held as an immutable value (a number, a string): handing it out is no
   * escape.
   */
  boolean escapable(String id) {
    return !immutableScalars.contains(id);
  }

  StateKind stateKind(String id) {
    return stateKinds.getOrDefault(id, StateKind.OBJECT);
  }

  private String declaringClass(String owner, String name) {
    String key = owner + "." + name;
    if (fieldOwners.containsKey(key)) return fieldOwners.get(key);
    String found = null;
    String c = owner;
    int guard = 0;
    while (c != null && !isJdk(c) && guard++ < 32) {
      ClassNode cn = classNode(c);
      if (cn == null) break;
      for (FieldNode f : cn.fields) {
        if (f.name.equals(name)) {
          found = c;
          break;
        }
      }
      if (found != null) break;
      c = cn.superName;
    }
    fieldOwners.put(key, found);
    return found;
  }

  boolean isAnalysed(String owner) {
    return analysed.contains(owner) || owner.startsWith(service + "$");
  }

  private void addServiceFamily() {
    ClassNode cn = classNode(service);
    if (cn == null) return;
    if (cn.nestMembers != null) analysed.addAll(cn.nestMembers);
    for (InnerClassNode ic : cn.innerClasses) {
      if (service.equals(ic.outerName) || ic.name.startsWith(service + "$")) analysed.add(ic.name);
    }
    String sup = cn.superName;
    int guard = 0;
    while (sup != null && !isJdk(sup) && guard++ < 32) {
      analysed.add(sup);
      ClassNode s = classNode(sup);
      if (s == null) break;
      sup = s.superName;
    }
  }

  static boolean isJdk(String internalName) {
    return internalName.startsWith("java/")
        || internalName.startsWith("javax/")
        || internalName.startsWith("jdk/")
        || internalName.startsWith("sun/");
  }

  // ---- classes and methods

  ClassNode classNode(String internalName) {
    if (internalName == null || internalName.startsWith("[")) return null;
    ClassNode cn = classes.get(internalName);
    if (cn != null || missing.contains(internalName)) return cn;
    byte[] bytes;
    try {
      bytes = classBytes.apply(binary(internalName));
    } catch (RuntimeException e) {
      bytes = null;
    }
    if (bytes == null) {
      missing.add(internalName);
      return null;
    }
    cn = new ClassNode();
    new ClassReader(bytes).accept(cn, ClassReader.SKIP_FRAMES);
    classes.put(internalName, cn);
    return cn;
  }

  /** A method found by resolution, with the class that declares it. */
  record MethodLookup(ClassNode owner, MethodNode method) {}

  /**
   * Resolves a method as the JVM would for a call on {@code owner}: the class, then its
   * superclasses, then (for default methods) its interfaces. Null if not found in readable classes.
   */
  MethodLookup findMethod(String owner, String name, String desc, boolean includeJdk) {
    Deque<String> interfaces = new ArrayDeque<>();
    Set<String> seen = new LinkedHashSet<>();
    String c = owner;
    while (c != null && (includeJdk || !isJdk(c)) && seen.add(c)) {
      ClassNode cn = classNode(c);
      if (cn == null) return null;
      for (MethodNode m : cn.methods) {
        if (m.name.equals(name) && m.desc.equals(desc)) return new MethodLookup(cn, m);
      }
      interfaces.addAll(cn.interfaces);
      c = cn.superName;
    }
    while (!interfaces.isEmpty()) {
      String i = interfaces.poll();
      if (isJdk(i) || !seen.add(i)) continue;
      ClassNode cn = classNode(i);
      if (cn == null) continue;
      for (MethodNode m : cn.methods) {
        if (m.name.equals(name) && m.desc.equals(desc) && (m.access & Opcodes.ACC_ABSTRACT) == 0) {
          return new MethodLookup(cn, m);
        }
      }
      interfaces.addAll(cn.interfaces);
    }
    return null;
  }

  static String internal(String binaryName) {
    return binaryName.replace('.', '/');
  }

  static String binary(String internalName) {
    return internalName.replace('/', '.');
  }

  /** {@code Owner.method} with the owner's simple name, for notes and escapes. */
  static String shortName(String owner, String name) {
    String b = binary(owner);
    return b.substring(b.lastIndexOf('.') + 1) + "." + name;
  }
}
