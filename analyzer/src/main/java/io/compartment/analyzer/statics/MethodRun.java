package io.compartment.analyzer.statics;

import io.compartment.analyzer.statics.StaticAnalyzer.MethodLookup;
import io.compartment.analyzer.statics.StaticAnalyzer.Summary;
import io.compartment.analyzer.trace.StateKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;

/** One method analysed with given argument values: frames first, then facts from the frames. */
final class MethodRun implements Opcodes {
  /** Collection methods whose first argument is a key (or an index, or a set element). */
  static final Set<String> KEYED_OPS =
      Set.of(
          "get",
          "put",
          "putIfAbsent",
          "computeIfAbsent",
          "compute",
          "computeIfPresent",
          "merge",
          "getOrDefault",
          "containsKey",
          "remove",
          "add",
          "contains",
          "set",
          "replace");

  /** Collection methods that measure the whole: a threshold test when only compared. */
  static final Set<String> MEASURE_OPS = Set.of("size", "isEmpty");

  /** Collection methods whose result is a view, iterator, stream or copy of the whole. */
  static final Set<String> VIEW_OPS =
      Set.of(
          "keySet",
          "values",
          "entrySet",
          "iterator",
          "listIterator",
          "stream",
          "parallelStream",
          "headMap",
          "tailMap",
          "subMap",
          "headSet",
          "tailSet",
          "subSet",
          "subList",
          "descendingMap",
          "descendingSet",
          "navigableKeySet",
          "descendingKeySet",
          "descendingIterator",
          "spliterator",
          "toArray",
          "reversed",
          "sequencedKeySet",
          "sequencedValues",
          "sequencedEntrySet");

  /** Methods on an atomic scalar state object that read its value. */
  static final Set<String> SCALAR_GETS =
      Set.of(
          "get",
          "intValue",
          "longValue",
          "doubleValue",
          "floatValue",
          "getPlain",
          "getAcquire",
          "getOpaque",
          "shortValue",
          "byteValue");

  /** Methods on an atomic scalar state object that advance it by itself. */
  static final Set<String> SCALAR_ADVANCES =
      Set.of(
          "incrementAndGet",
          "getAndIncrement",
          "decrementAndGet",
          "getAndDecrement",
          "addAndGet",
          "getAndAdd");

  static final Set<String> BOXES =
      Set.of(
          "java/lang/Long",
          "java/lang/Integer",
          "java/lang/Short",
          "java/lang/Byte",
          "java/lang/Character",
          "java/lang/Boolean",
          "java/lang/Double",
          "java/lang/Float",
          "java/lang/Number");

  /** JDK classes that state may be handed to without escaping (formatting, comparison, copying). */
  static final Set<String> BENIGN =
      Set.of(
          "java/lang/String",
          "java/lang/StringBuilder",
          "java/lang/StringBuffer",
          "java/util/Objects",
          "java/lang/Math",
          "java/lang/StrictMath",
          "java/lang/System",
          "java/util/Arrays",
          "java/util/Collections",
          "java/util/List",
          "java/util/Set",
          "java/util/Map",
          "java/lang/Object");

  final StaticAnalyzer analyzer;
  private final ClassNode owner;
  private final MethodNode method;
  private final List<V> args;
  private final int depth;
  private final boolean root;
  private final Map<Integer, V> paramLocals = new HashMap<>();
  private final Facts facts = new Facts();
  private final Map<InvokeDynamicInsnNode, List<V>> lambdaArgs = new IdentityHashMap<>();

  MethodRun(
      StaticAnalyzer analyzer,
      ClassNode owner,
      MethodNode method,
      List<V> args,
      int depth,
      boolean root) {
    this.analyzer = analyzer;
    this.owner = owner;
    this.method = method;
    this.args = args;
    this.depth = depth;
    this.root = root;
    int local = 0;
    int i = 0;
    if ((method.access & ACC_STATIC) == 0) {
      paramLocals.put(local++, i < args.size() ? args.get(i) : null);
      i++;
    }
    for (Type t : Type.getArgumentTypes(method.desc)) {
      paramLocals.put(local, i < args.size() ? args.get(i) : null);
      local += t.getSize();
      i++;
    }
  }

  V parameterValue(int local) {
    return paramLocals.get(local);
  }

  Summary run() {
    String where = StaticAnalyzer.shortName(owner.name, method.name);
    if (method.instructions.size() == 0) {
      facts.incomplete("no code for " + where);
      return new Summary(facts, unknownReturn());
    }
    Frame<V>[] frames;
    try {
      frames = new Analyzer<>(new ProvenanceInterpreter(this)).analyze(owner.name, method);
    } catch (AnalyzerException | RuntimeException e) {
      facts.incomplete("could not analyse " + where + ": " + e.getMessage());
      return new Summary(facts, unknownReturn());
    }
    InsnList insns = method.instructions;
    // Lambdas handed to a keyed compute*/merge on state get the key as their parameter.
    for (int i = 0; i < insns.size(); i++) {
      if (frames[i] != null && insns.get(i) instanceof MethodInsnNode m)
        noteLambdaArguments(m, frames[i]);
    }
    V ret = null;
    for (int i = 0; i < insns.size(); i++) {
      Frame<V> f = frames[i];
      if (f == null) continue; // unreachable
      AbstractInsnNode insn = insns.get(i);
      if (insn.getOpcode() < 0) continue;
      ret = facts(insn, f, ret);
    }
    return new Summary(facts, ret == null ? unknownReturn() : ret);
  }

  private V unknownReturn() {
    Type t = Type.getReturnType(method.desc);
    return t == Type.VOID_TYPE ? null : V.derivedFrom(t.getSize(), args);
  }

  private static List<V> top(Frame<V> f, int n) {
    List<V> out = new ArrayList<>(n);
    int size = f.getStackSize();
    for (int i = size - n; i < size; i++) out.add(i >= 0 ? f.getStack(i) : V.UNINIT);
    return out;
  }

  private static int argCount(String desc) {
    return Type.getArgumentTypes(desc).length;
  }

  // ---- calls

  /** What a call does, decided once for the interpreter (its value) and for the facts. */
  private enum Kind {
    BOX,
    UNBOX,
    MINMAX,
    KEYED,
    MEASURE,
    VIEW,
    STATE_OTHER,
    SCALAR_GET,
    SCALAR_ADVANCE,
    VIEW_CHAIN,
    GETTER,
    SERVICE,
    UNRESOLVED,
    OUTSIDE,
    LAMBDA,
    INDY
  }

  private record Call(Kind kind, V value, Summary summary, String note) {}

  /** The value a call leaves on the stack; used by the interpreter. */
  V callValue(AbstractInsnNode insn, List<V> values) {
    if (insn instanceof MultiANewArrayInsnNode) return V.other(1);
    Call c = call(insn, values);
    return c.value;
  }

  private Call call(AbstractInsnNode insn, List<V> values) {
    if (insn instanceof InvokeDynamicInsnNode indy) {
      Type ret = Type.getReturnType(indy.desc);
      if (isLambda(indy)) return new Call(Kind.LAMBDA, V.lambda(indy, values), null, null);
      return new Call(Kind.INDY, V.derivedFrom(ret.getSize(), values), null, null);
    }
    MethodInsnNode m = (MethodInsnNode) insn;
    Type retType = Type.getReturnType(m.desc);
    int retSize = retType == Type.VOID_TYPE ? 0 : retType.getSize();
    boolean isStatic = m.getOpcode() == INVOKESTATIC;
    V recv = isStatic ? null : values.get(0);
    List<V> params = isStatic ? values : values.subList(1, values.size());

    if (isStatic && BOXES.contains(m.owner) && m.name.equals("valueOf") && params.size() == 1) {
      return new Call(Kind.BOX, params.get(0).converted(1, true), null, null);
    }
    if (!isStatic && BOXES.contains(m.owner) && m.name.endsWith("Value") && params.isEmpty()) {
      return new Call(Kind.UNBOX, recv.converted(retSize, true), null, null);
    }
    if (isStatic
        && (m.owner.equals("java/lang/Math") || m.owner.equals("java/lang/StrictMath"))
        && (m.name.equals("max") || m.name.equals("min"))) {
      V a = params.get(0);
      V b = params.get(1);
      V r = V.arithmetic(retSize, false, a, b);
      return new Call(Kind.MINMAX, r, null, null);
    }
    if (recv != null && !recv.state.isEmpty() && StaticAnalyzer.isJdk(m.owner)) {
      boolean scalarObject =
          recv.state.stream().allMatch(id -> analyzer.stateKind(id) == StateKind.SCALAR);
      if (scalarObject && SCALAR_ADVANCES.contains(m.name)) {
        return new Call(
            Kind.SCALAR_ADVANCE, V.advanced(Math.max(1, retSize), recv.state), null, null);
      }
      if (scalarObject && SCALAR_GETS.contains(m.name) && params.isEmpty()) {
        return new Call(
            Kind.SCALAR_GET,
            V.measured(Math.max(1, retSize), recv.state, recv.derived),
            null,
            null);
      }
      if (MEASURE_OPS.contains(m.name) && params.isEmpty()) {
        return new Call(Kind.MEASURE, V.measured(1, recv.state, recv.derived), null, null);
      }
      if (VIEW_OPS.contains(m.name)) {
        return new Call(Kind.VIEW, V.view(recv.state, recv.derived), null, null);
      }
      if (KEYED_OPS.contains(m.name) && !params.isEmpty() && keyed(m, recv)) {
        return new Call(
            Kind.KEYED,
            retSize == 0 ? null : V.element(retSize, union(recv.derived, recv.state)),
            null,
            null);
      }
      return new Call(
          Kind.STATE_OTHER,
          retSize == 0 ? null : V.element(retSize, union(recv.derived, recv.state)),
          null,
          null);
    }
    if (recv != null && !recv.views.isEmpty() && StaticAnalyzer.isJdk(m.owner)) {
      // iterator(), stream().filter()... stay views of the whole; next(), get() give an element.
      V r =
          retSize == 0
              ? null
              : retType.getDescriptor().startsWith("Ljava/util/")
                  ? V.view(recv.views, recv.derived)
                  : V.element(retSize, union(recv.views, recv.derived));
      return new Call(Kind.VIEW_CHAIN, r, null, null);
    }
    if (recv != null
        && !recv.paths.isEmpty()
        && params.isEmpty()
        && retSize > 0
        && !StaticAnalyzer.isJdk(m.owner)
        && !m.name.equals("<init>")
        && !m.name.equals("hashCode")
        && !m.name.equals("toString")) {
      return new Call(Kind.GETTER, recv.property(retSize, property(m.name, retType)), null, null);
    }
    if (analyzer.isAnalysed(m.owner)) {
      MethodLookup target = analyzer.findMethod(m.owner, m.name, m.desc, false);
      if (target == null || target.method().instructions.size() == 0) {
        String what =
            target == null ? "cannot resolve " : "abstract or native, implementation unknown: ";
        return new Call(
            Kind.UNRESOLVED,
            retSize == 0 ? null : V.derivedFrom(retSize, values),
            null,
            what + StaticAnalyzer.binary(m.owner) + "." + m.name + m.desc);
      }
      Summary s = analyzer.analyzeMethod(target.owner(), target.method(), values, depth + 1, false);
      V r =
          retSize == 0
              ? null
              : (s.ret() == null ? V.derivedFrom(retSize, values) : s.ret().withSize(retSize));
      return new Call(Kind.SERVICE, r, s, null);
    }
    V out = retSize == 0 ? null : outsideResult(m, retSize, values);
    return new Call(Kind.OUTSIDE, out, null, null);
  }

  /**
   * A JDK collection built from state (a copy, a wrapper) stays a view of it; anything else is
   * derived.
   */
  private static V outsideResult(MethodInsnNode m, int retSize, List<V> values) {
    Set<String> whole = new TreeSet<>();
    Set<String> derived = new TreeSet<>();
    for (V v : values) {
      whole.addAll(v.state);
      whole.addAll(v.views);
      derived.addAll(v.derived);
    }
    if (!whole.isEmpty() && m.owner.startsWith("java/util/") && retSize == 1) {
      return V.view(whole, derived);
    }
    return V.derivedFrom(retSize, values);
  }

  private boolean keyed(MethodInsnNode m, V recv) {
    if (!m.name.equals("add") || argCount(m.desc) != 1) return true;
    // add(E) appends to a list or deque (not keyed); adds an element to a set (the element is the
    // key).
    for (String id : recv.state) {
      StateKind k = analyzer.stateKind(id);
      if (k == StateKind.LIST || k == StateKind.DEQUE) return false;
    }
    return !(m.owner.endsWith("List") || m.owner.endsWith("Deque") || m.owner.endsWith("Queue"));
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> s = new TreeSet<>(a);
    s.addAll(b);
    return s;
  }

  /**
   * The attribute name the agent gives a getter: {@code getSlot} -> {@code slot}, record {@code
   * slot()}.
   */
  static String property(String name, Type ret) {
    String p = name;
    if (name.startsWith("get") && name.length() > 3 && Character.isUpperCase(name.charAt(3))) {
      p = name.substring(3);
    } else if (name.startsWith("is")
        && name.length() > 2
        && Character.isUpperCase(name.charAt(2))
        && (ret == Type.BOOLEAN_TYPE || ret.getDescriptor().equals("Ljava/lang/Boolean;"))) {
      p = name.substring(2);
    } else {
      return name;
    }
    if (p.length() > 1 && Character.isUpperCase(p.charAt(1))) return p; // URL stays URL
    return Character.toLowerCase(p.charAt(0)) + p.substring(1);
  }

  private static boolean isLambda(InvokeDynamicInsnNode indy) {
    return indy.bsm != null
        && indy.bsm.getOwner().equals("java/lang/invoke/LambdaMetafactory")
        && indy.bsmArgs.length >= 3
        && indy.bsmArgs[1] instanceof Handle;
  }

  private void noteLambdaArguments(MethodInsnNode m, Frame<V> f) {
    if (m.getOpcode() == INVOKESTATIC) return;
    int n = argCount(m.desc) + 1;
    List<V> values = top(f, n);
    V recv = values.get(0);
    if (recv.state.isEmpty() || !StaticAnalyzer.isJdk(m.owner)) return;
    Set<String> fields = union(recv.state, recv.derived);
    for (int i = 1; i < values.size(); i++) {
      V v = values.get(i);
      if (v.lambda == null) continue;
      InvokeDynamicInsnNode indy = v.lambda.insn();
      int arity = samArity(indy);
      List<V> sam = new ArrayList<>();
      V key = values.size() > 1 ? values.get(1) : V.other(1);
      for (int a = 0; a < arity; a++) sam.add(V.element(1, fields));
      switch (m.name) {
        case "computeIfAbsent" -> {
          if (arity >= 1) sam.set(0, key.withSize(1));
        }
        case "compute", "computeIfPresent" -> {
          if (arity >= 1) sam.set(0, key.withSize(1));
        }
        case "merge" -> {
          if (arity >= 2 && values.size() > 2) sam.set(1, values.get(2).withSize(1));
        }
        default -> {
          // forEach, removeIf, replaceAll...: elements of the state
        }
      }
      lambdaArgs.put(indy, sam);
    }
  }

  private static int samArity(InvokeDynamicInsnNode indy) {
    Object t = indy.bsmArgs[2];
    return t instanceof Type type ? type.getArgumentTypes().length : 0;
  }

  // ---- facts from one instruction

  private V facts(AbstractInsnNode insn, Frame<V> f, V ret) {
    int op = insn.getOpcode();
    switch (insn.getType()) {
      case AbstractInsnNode.FIELD_INSN -> fieldFacts((FieldInsnNode) insn, f);
      case AbstractInsnNode.METHOD_INSN -> methodFacts((MethodInsnNode) insn, f);
      case AbstractInsnNode.INVOKE_DYNAMIC_INSN -> indyFacts((InvokeDynamicInsnNode) insn, f);
      case AbstractInsnNode.JUMP_INSN -> {
        if (op >= IFEQ && op <= IFLE) {
          // A branch on one value: comparisons and their results are fine.
        } else if ((op >= IF_ICMPEQ && op <= IF_ACMPNE)) {
          for (V v : top(f, 2)) facts.nonThresholdCmp(v);
        }
      }
      case AbstractInsnNode.INSN -> {
        if (op >= IRETURN && op <= ARETURN) {
          V v = top(f, 1).get(0);
          if (root) facts.nonThreshold(v);
          return V.merge(ret, v);
        }
        consumeInsn(op, f);
      }
      case AbstractInsnNode.TYPE_INSN -> {
        if (op == INSTANCEOF || op == ANEWARRAY) facts.nonThreshold(top(f, 1).get(0));
      }
      case AbstractInsnNode.INT_INSN -> {
        if (op == NEWARRAY) facts.nonThreshold(top(f, 1).get(0));
      }
      case AbstractInsnNode.TABLESWITCH_INSN, AbstractInsnNode.LOOKUPSWITCH_INSN ->
          facts.nonThreshold(top(f, 1).get(0));
      case AbstractInsnNode.MULTIANEWARRAY_INSN -> {
        for (V v : top(f, ((MultiANewArrayInsnNode) insn).dims)) facts.nonThreshold(v);
      }
      default -> {
        // loads, stores, constants, iinc: no use of a value
      }
    }
    return ret;
  }

  private void consumeInsn(int op, Frame<V> f) {
    switch (op) {
      case IALOAD, LALOAD, FALOAD, DALOAD, AALOAD, BALOAD, CALOAD, SALOAD -> {
        for (V v : top(f, 2)) facts.nonThreshold(v);
      }
      case IASTORE, LASTORE, FASTORE, DASTORE, AASTORE, BASTORE, CASTORE, SASTORE -> {
        List<V> vs = top(f, 3);
        for (V v : vs) facts.nonThreshold(v);
        escape(vs.get(2), "an array element");
      }
      case ARRAYLENGTH, ATHROW, MONITORENTER, MONITOREXIT -> facts.nonThreshold(top(f, 1).get(0));
      default -> {
        // arithmetic, conversions, comparisons, stack shuffles: the result carries the provenance
      }
    }
  }

  private void fieldFacts(FieldInsnNode fi, Frame<V> f) {
    String id = analyzer.stateFieldId(fi.owner, fi.name);
    switch (fi.getOpcode()) {
      case GETFIELD, GETSTATIC -> {
        if (id != null) {
          facts.reached.add(id);
          facts.read.add(id);
        }
      }
      case PUTFIELD, PUTSTATIC -> {
        V value = top(f, 1).get(0);
        if (id != null) {
          facts.reached.add(id);
          facts.written.add(id);
          if (value.advOf.contains(id)) facts.selfAdvanced.add(id);
          // A read merged back into the same field is a read-modify-write, not a use of the value.
          for (String g : value.origins) if (!g.equals(id)) facts.nonThreshold.add(g);
          for (String g : value.rmwOf) if (!g.equals(id)) facts.nonThreshold.add(g);
          facts.nonThreshold.addAll(value.cmpOf);
        } else {
          facts.nonThreshold(value);
          escape(value, StaticAnalyzer.binary(fi.owner) + "." + fi.name);
        }
      }
      default -> {}
    }
  }

  private void escape(V value, String to) {
    for (String s : value.state) if (analyzer.escapable(s)) facts.escapes.add(s + " -> " + to);
    for (String s : value.views) facts.escapes.add(s + " -> " + to);
  }

  private void methodFacts(MethodInsnNode m, Frame<V> f) {
    boolean isStatic = m.getOpcode() == INVOKESTATIC;
    int n = argCount(m.desc) + (isStatic ? 0 : 1);
    List<V> values = top(f, n);
    Call c = call(m, values);
    V recv = isStatic ? null : values.get(0);
    List<V> params = isStatic ? values : values.subList(1, values.size());
    switch (c.kind) {
      case SERVICE -> facts.mergeFrom(c.summary.facts());
      case UNRESOLVED -> {
        facts.incomplete(c.note);
        values.forEach(facts::nonThreshold);
      }
      case BOX, UNBOX, MINMAX, GETTER -> {
        // the result carries the provenance
      }
      case KEYED -> {
        V key = params.get(0);
        for (String id : recv.state) facts.key(id, key.keySources());
        params.forEach(facts::nonThreshold);
      }
      case MEASURE -> facts.measured.addAll(recv.state);
      case SCALAR_GET -> {
        // the result carries the provenance
      }
      case SCALAR_ADVANCE -> {
        facts.selfAdvanced.addAll(recv.state);
        params.forEach(facts::nonThreshold);
      }
      case VIEW, STATE_OTHER -> {
        facts.nonThreshold(recv);
        params.forEach(facts::nonThreshold);
      }
      case VIEW_CHAIN -> values.forEach(facts::nonThreshold);
      case OUTSIDE -> {
        values.forEach(facts::nonThreshold);
        if (!BENIGN.contains(m.owner) && !BOXES.contains(m.owner)) {
          String to = StaticAnalyzer.binary(m.owner) + "." + m.name;
          boolean copyIntoLocal =
              m.owner.startsWith("java/util/") && recv != null && !recv.stateRef();
          for (V p : params) {
            if (!copyIntoLocal) escape(p, to);
            if (p.service && !StaticAnalyzer.isJdk(m.owner)) {
              facts.escapes.add("this -> " + to);
            }
          }
        }
      }
      default -> {}
    }
  }

  private void indyFacts(InvokeDynamicInsnNode indy, Frame<V> f) {
    List<V> captured = top(f, argCount(indy.desc));
    if (!isLambda(indy)) {
      captured.forEach(facts::nonThreshold);
      return;
    }
    Handle impl = (Handle) indy.bsmArgs[1];
    if (!analyzer.isAnalysed(impl.getOwner()) || impl.getTag() == H_NEWINVOKESPECIAL) {
      captured.forEach(facts::nonThreshold);
      for (V v : captured) escape(v, StaticAnalyzer.binary(impl.getOwner()) + "." + impl.getName());
      return;
    }
    MethodLookup target =
        analyzer.findMethod(impl.getOwner(), impl.getName(), impl.getDesc(), false);
    if (target == null || target.method().instructions.size() == 0) {
      facts.incomplete(
          "cannot resolve lambda body "
              + StaticAnalyzer.binary(impl.getOwner())
              + "."
              + impl.getName());
      return;
    }
    List<V> implArgs = new ArrayList<>(captured);
    List<V> sam = lambdaArgs.get(indy);
    int arity = samArity(indy);
    for (int i = 0; i < arity; i++)
      implArgs.add(sam != null && i < sam.size() ? sam.get(i) : V.other(1));
    // Fit sizes to the implementation's parameters.
    boolean instance = (target.method().access & ACC_STATIC) == 0;
    Type[] types = Type.getArgumentTypes(target.method().desc);
    List<V> fitted = new ArrayList<>();
    int k = 0;
    if (instance) fitted.add(k < implArgs.size() ? implArgs.get(k++) : V.other(1));
    for (Type t : types)
      fitted.add((k < implArgs.size() ? implArgs.get(k++) : V.other(1)).withSize(t.getSize()));
    Summary s = analyzer.analyzeMethod(target.owner(), target.method(), fitted, depth + 1, false);
    facts.mergeFrom(s.facts());
  }
}
