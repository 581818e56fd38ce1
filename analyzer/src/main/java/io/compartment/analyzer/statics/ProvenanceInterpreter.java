package io.compartment.analyzer.statics;

import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Interpreter;

/**
 * Computes, for every stack slot and local, where its value came from: which message attribute,
 * which state field, through what. Calls are delegated to the {@link MethodRun} so that
 * service-side callees are analysed with the caller's argument values.
 */
final class ProvenanceInterpreter extends Interpreter<V> implements Opcodes {
  private final MethodRun run;

  ProvenanceInterpreter(MethodRun run) {
    super(ASM9);
    this.run = run;
  }

  @Override
  public V newValue(Type type) {
    if (type == null) return V.UNINIT;
    if (type == Type.VOID_TYPE) return null;
    return V.other(type.getSize());
  }

  @Override
  public V newParameterValue(boolean isInstanceMethod, int local, Type type) {
    V v = run.parameterValue(local);
    return v == null ? V.other(type.getSize()) : v.withSize(type.getSize());
  }

  @Override
  public V newEmptyValue(int local) {
    return V.UNINIT;
  }

  @Override
  public V newExceptionValue(
      org.objectweb.asm.tree.TryCatchBlockNode tryCatch,
      org.objectweb.asm.tree.analysis.Frame<V> handlerFrame,
      Type exceptionType) {
    return V.other(1);
  }

  @Override
  public V newOperation(AbstractInsnNode insn) throws AnalyzerException {
    switch (insn.getOpcode()) {
      case LCONST_0, LCONST_1, DCONST_0, DCONST_1:
        return V.other(2);
      case LDC:
        {
          Object c = ((LdcInsnNode) insn).cst;
          return V.other(c instanceof Long || c instanceof Double ? 2 : 1);
        }
      case GETSTATIC:
        {
          FieldInsnNode f = (FieldInsnNode) insn;
          int size = Type.getType(f.desc).getSize();
          String id = run.analyzer.stateFieldId(f.owner, f.name);
          return id != null ? V.stateLoad(size, id) : V.other(size);
        }
      default:
        return V.other(1);
    }
  }

  @Override
  public V copyOperation(AbstractInsnNode insn, V value) {
    return value;
  }

  @Override
  public V unaryOperation(AbstractInsnNode insn, V value) throws AnalyzerException {
    switch (insn.getOpcode()) {
      case INEG, FNEG, IINC:
        return V.arithmetic(1, true, value);
      case LNEG, DNEG:
        return V.arithmetic(2, true, value);
      case I2L, F2L, D2L:
        return value.converted(2, insn.getOpcode() == I2L);
      case I2D, L2D, F2D:
        return value.converted(2, false);
      case L2I, I2B, I2C, I2S:
        return value.converted(1, true);
      case I2F, L2F, D2F, F2I, D2I:
        return value.converted(1, false);
      case IFEQ,
          IFNE,
          IFLT,
          IFGE,
          IFGT,
          IFLE,
          IFNULL,
          IFNONNULL,
          TABLESWITCH,
          LOOKUPSWITCH,
          IRETURN,
          LRETURN,
          FRETURN,
          DRETURN,
          ARETURN,
          PUTSTATIC,
          ATHROW,
          MONITORENTER,
          MONITOREXIT:
        return null;
      case GETFIELD:
        {
          FieldInsnNode f = (FieldInsnNode) insn;
          int size = Type.getType(f.desc).getSize();
          String id = run.analyzer.stateFieldId(f.owner, f.name);
          if (id != null) return V.stateLoad(size, id);
          if (!value.paths.isEmpty()) return value.property(size, f.name);
          if (!value.derived.isEmpty()) return V.element(size, value.derived);
          return V.other(size);
        }
      case CHECKCAST:
        return value;
      case ARRAYLENGTH, INSTANCEOF:
        return V.derivedFrom(1, value);
      case NEWARRAY, ANEWARRAY:
        return V.other(1);
      default:
        return V.derivedFrom(1, value);
    }
  }

  @Override
  public V binaryOperation(AbstractInsnNode insn, V v1, V v2) throws AnalyzerException {
    int op = insn.getOpcode();
    switch (op) {
      case IALOAD, BALOAD, CALOAD, SALOAD, FALOAD, AALOAD:
        return V.element(1, union(v1, v2));
      case LALOAD, DALOAD:
        return V.element(2, union(v1, v2));
      case LCMP, FCMPL, FCMPG, DCMPL, DCMPG:
        return V.comparison(v1, v2);
      case IF_ICMPEQ,
          IF_ICMPNE,
          IF_ICMPLT,
          IF_ICMPGE,
          IF_ICMPGT,
          IF_ICMPLE,
          IF_ACMPEQ,
          IF_ACMPNE,
          PUTFIELD:
        return null;
      case LADD,
          LSUB,
          LMUL,
          LDIV,
          LREM,
          LSHL,
          LSHR,
          LUSHR,
          LAND,
          LOR,
          LXOR,
          DADD,
          DSUB,
          DMUL,
          DDIV,
          DREM:
        return V.arithmetic(2, true, v1, v2);
      default:
        return V.arithmetic(1, true, v1, v2);
    }
  }

  private static java.util.Set<String> union(V a, V b) {
    java.util.Set<String> s = new java.util.TreeSet<>(a.derived);
    s.addAll(b.derived);
    return s;
  }

  @Override
  public V ternaryOperation(AbstractInsnNode insn, V v1, V v2, V v3) {
    return null;
  }

  @Override
  public V naryOperation(AbstractInsnNode insn, List<? extends V> values) {
    return run.callValue(insn, List.copyOf(values));
  }

  @Override
  public void returnOperation(AbstractInsnNode insn, V value, V expected) {
    // Returns are collected after the analysis, from the frames.
  }

  @Override
  public V merge(V a, V b) {
    return V.merge(a, b);
  }
}
