package io.compartment.agent.instrument;

import io.compartment.agent.runtime.CallSite;
import io.compartment.agent.runtime.FieldSite;
import io.compartment.agent.runtime.Hooks;
import java.util.Set;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.pool.TypePool;

/**
 * Rewrites the field accesses and calls in a service-side method into {@code invokedynamic}
 * instructions bound by {@link Hooks}. The stack shape of each instruction is kept, so no locals,
 * frames or members are added: the rewrite is also valid when retransforming a loaded class.
 *
 * <p>Rewritten: every {@code getfield}/{@code putfield} (outside constructors), every virtual and
 * interface call whose owner might hold state (anything but the service's own classes and a few
 * value types of {@code java.lang}), static calls that take references (state passed out), and
 * array element stores (an array held as state).
 */
final class AccessRewriter implements AsmVisitorWrapper.ForDeclaredMethods.MethodVisitorWrapper {
  private static final String HOOKS = Type.getInternalName(Hooks.class);
  private static final String BOOTSTRAP_DESC =
      "(Ljava/lang/invoke/MethodHandles$Lookup;"
          + "Ljava/lang/String;Ljava/lang/invoke/MethodType;I)Ljava/lang/invoke/CallSite;";
  private static final Handle GET =
      new Handle(Opcodes.H_INVOKESTATIC, HOOKS, "bootstrapGet", BOOTSTRAP_DESC, false);
  private static final Handle PUT =
      new Handle(Opcodes.H_INVOKESTATIC, HOOKS, "bootstrapPut", BOOTSTRAP_DESC, false);
  private static final Handle CALL =
      new Handle(Opcodes.H_INVOKESTATIC, HOOKS, "bootstrapCall", BOOTSTRAP_DESC, false);
  private static final Handle CONCAT =
      new Handle(
          Opcodes.H_INVOKESTATIC,
          HOOKS,
          "bootstrapConcat",
          "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;"
              + "Ljava/lang/invoke/MethodType;ILjava/lang/String;[Ljava/lang/Object;)"
              + "Ljava/lang/invoke/CallSite;",
          false);
  private static final Handle OBSERVE =
      new Handle(Opcodes.H_INVOKESTATIC, HOOKS, "bootstrapObserve", BOOTSTRAP_DESC, false);
  private static final Handle ARRAY_STORE =
      new Handle(Opcodes.H_INVOKESTATIC, HOOKS, "bootstrapArrayStore", BOOTSTRAP_DESC, false);

  /** Owners whose calls never touch state objects as receivers. */
  private static final Set<String> VALUE_OWNERS =
      Set.of(
          "java/lang/String",
          "java/lang/StringBuilder",
          "java/lang/StringBuffer",
          "java/lang/Math",
          "java/lang/StrictMath",
          "java/lang/Integer",
          "java/lang/Long",
          "java/lang/Short",
          "java/lang/Byte",
          "java/lang/Character",
          "java/lang/Boolean",
          "java/lang/Double",
          "java/lang/Float",
          "java/lang/Number",
          "java/lang/Object",
          "java/util/Objects",
          "java/lang/System",
          "java/lang/Thread",
          "java/lang/Class",
          "java/lang/Enum",
          "java/lang/Record",
          "java/lang/Throwable",
          "java/lang/Exception",
          "java/lang/RuntimeException",
          "java/lang/CharSequence",
          "java/lang/Comparable",
          "java/util/UUID",
          "java/lang/Iterable$",
          "java/util/concurrent/ThreadLocalRandom",
          "java/util/Random");

  private final ServiceModel model;

  /**
   * Methods ({@code name + descriptor}) that the rewrite would make too large: left as they are.
   */
  private final Set<String> tooLarge;

  AccessRewriter(ServiceModel model) {
    this(model, Set.of());
  }

  AccessRewriter(ServiceModel model, Set<String> tooLarge) {
    this.model = model;
    this.tooLarge = tooLarge;
  }

  @Override
  public MethodVisitor wrap(
      TypeDescription instrumentedType,
      MethodDescription method,
      MethodVisitor mv,
      Implementation.Context context,
      TypePool typePool,
      int writerFlags,
      int readerFlags) {
    if (method.isConstructor()
        || method.isTypeInitializer()
        || !instrumentedType
            .getClassFileVersion()
            .isAtLeast(net.bytebuddy.ClassFileVersion.JAVA_V7)) {
      return mv;
    }
    String source = sourceName(instrumentedType);
    if (tooLarge.contains(method.getInternalName() + method.getDescriptor())) {
      // Not rewritten: its accesses cannot be seen, so it says so whenever it runs inside a
      // recorded handler (a write nobody can judge: the handler is SEQUENTIAL).
      FieldSite site =
          new FieldSite(
              instrumentedType.getName(),
              method.getInternalName() + " (too large to trace)",
              FieldSite.Role.CONFIG,
              method.getInternalName(),
              method.getInternalName(),
              source);
      int id = Hooks.FIELD_SITES.add(site);
      return new MethodVisitor(Opcodes.ASM9, mv) {
        @Override
        public void visitCode() {
          super.visitCode();
          super.visitLdcInsn(id);
          super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "untraced", "(I)V", false);
        }
      };
    }
    return new MethodVisitor(Opcodes.ASM9, mv) {
      private int line;

      /** Extra operand stack slots taken by copies of constructor arguments (see below). */
      private int extraStack;

      @Override
      public void visitMaxs(int maxStack, int maxLocals) {
        super.visitMaxs(maxStack + extraStack, maxLocals);
      }

      @Override
      public void visitLineNumber(int number, Label start) {
        line = number;
        super.visitLineNumber(number, start);
      }

      @Override
      public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        if ((opcode != Opcodes.GETFIELD && opcode != Opcodes.PUTFIELD)
            || owner.startsWith("[")
            || isExcluded(owner)) {
          super.visitFieldInsn(opcode, owner, name, descriptor);
          return;
        }
        FieldSite.Role role = model.roleOf(typePool, owner, name);
        if (opcode == Opcodes.GETFIELD && role == FieldSite.Role.CONFIG) {
          // reading configuration tells nothing; only writing it does (a config write)
          super.visitFieldInsn(opcode, owner, name, descriptor);
          return;
        }
        String declaring = model.declaringClass(typePool, owner, name);
        FieldSite site =
            new FieldSite(
                declaring,
                name,
                role,
                name,
                simpleName(declaring) + "." + name,
                source + ":" + line);
        int id = Hooks.FIELD_SITES.add(site);
        if (opcode == Opcodes.GETFIELD) {
          super.visitInvokeDynamicInsn(name, "(L" + owner + ";)" + descriptor, GET, id);
        } else {
          super.visitInvokeDynamicInsn(name, "(L" + owner + ";" + descriptor + ")V", PUT, id);
        }
      }

      /**
       * String concatenation ({@code "members=" + members}) reads its arguments: its bootstrap is
       * wrapped so that, while recording, state among them is seen. Other dynamic call sites are
       * left alone.
       */
      @Override
      public void visitInvokeDynamicInsn(
          String name, String descriptor, Handle bsm, Object... bsmArgs) {
        if (bsm.getOwner().equals("java/lang/invoke/StringConcatFactory")
            && bsm.getName().equals("makeConcatWithConstants")
            && takesReferences(descriptor)) {
          CallSite site =
              new CallSite(
                  "java.lang.String",
                  "concat",
                  descriptor,
                  true,
                  Type.getArgumentTypes(descriptor).length,
                  true,
                  source + ":" + line);
          int id = Hooks.CALL_SITES.add(site);
          Object[] args = new Object[bsmArgs.length + 1];
          args[0] = id;
          System.arraycopy(bsmArgs, 0, args, 1, bsmArgs.length);
          super.visitInvokeDynamicInsn(name, descriptor, CONCAT, args);
          return;
        }
        super.visitInvokeDynamicInsn(name, descriptor, bsm, bsmArgs);
      }

      /**
       * Array element stores: an array held as state is written through them. {@code bastore}
       * serves byte and boolean arrays alike, so its array is passed as an Object.
       */
      @Override
      public void visitInsn(int opcode) {
        String descriptor =
            switch (opcode) {
              case Opcodes.IASTORE -> "([III)V";
              case Opcodes.LASTORE -> "([JIJ)V";
              case Opcodes.FASTORE -> "([FIF)V";
              case Opcodes.DASTORE -> "([DID)V";
              case Opcodes.CASTORE -> "([CIC)V";
              case Opcodes.SASTORE -> "([SIS)V";
              case Opcodes.BASTORE -> "(Ljava/lang/Object;II)V";
              case Opcodes.AASTORE -> "([Ljava/lang/Object;ILjava/lang/Object;)V";
              default -> null;
            };
        if (descriptor == null) {
          super.visitInsn(opcode);
          return;
        }
        CallSite site = new CallSite("[]", "[]=", descriptor, true, 3, false, source + ":" + line);
        int id = Hooks.CALL_SITES.add(site);
        super.visitInvokeDynamicInsn("arrayStore", descriptor, ARRAY_STORE, id);
      }

      @Override
      public void visitMethodInsn(
          int opcode, String owner, String name, String descriptor, boolean isInterface) {
        if (opcode == Opcodes.INVOKESPECIAL
            && name.equals("<init>")
            && observedConstructor(owner, descriptor)
            && !model.isInstrumented(typePool, owner)) {
          // the arguments stay on the stack for the constructor: a copy of them is observed
          Type[] args = Type.getArgumentTypes(descriptor);
          super.visitInsn(args.length == 1 ? Opcodes.DUP : Opcodes.DUP2);
          extraStack = Math.max(extraStack, args.length);
          CallSite site =
              new CallSite(
                  owner.replace('/', '.'),
                  "<init>",
                  descriptor,
                  true,
                  args.length,
                  false,
                  source + ":" + line);
          int id = Hooks.CALL_SITES.add(site);
          super.visitInvokeDynamicInsn(
              "observe", Type.getMethodDescriptor(Type.VOID_TYPE, args), OBSERVE, id);
          super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
          return;
        }
        if (!shouldRewrite(opcode, owner, name, descriptor, typePool)) {
          super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
          return;
        }
        Type type = Type.getMethodType(descriptor);
        boolean isStatic = opcode == Opcodes.INVOKESTATIC;
        CallSite site =
            new CallSite(
                owner.replace('/', '.'),
                name,
                descriptor,
                isStatic,
                type.getArgumentTypes().length,
                type.getReturnType().getSort() != Type.VOID,
                source + ":" + line);
        int id = Hooks.CALL_SITES.add(site);
        String indyDescriptor =
            isStatic ? descriptor : "(L" + owner + ";" + descriptor.substring(1);
        super.visitInvokeDynamicInsn(name, indyDescriptor, CALL, id);
      }
    };
  }

  private boolean shouldRewrite(
      int opcode, String owner, String name, String descriptor, TypePool pool) {
    if (opcode != Opcodes.INVOKEVIRTUAL
        && opcode != Opcodes.INVOKEINTERFACE
        && opcode != Opcodes.INVOKESTATIC) {
      return false;
    }
    if (owner.startsWith("[") || isExcluded(owner)) return false;
    if (opcode == Opcodes.INVOKESTATIC) {
      if (!takesReferences(descriptor)) return false;
      // String.valueOf(state), Objects.equals(state, x), System.arraycopy(.., stateArray, ..)
      if (VALUE_OWNERS.contains(owner) && !STATIC_OBSERVED.contains(owner)) return false;
    } else if (VALUE_OWNERS.contains(owner)) {
      // sb.append(state): the way classes compiled before Java 9 print into a string
      return (owner.equals("java/lang/StringBuilder") || owner.equals("java/lang/StringBuffer"))
          && name.equals("append")
          && descriptor.startsWith("(Ljava/lang/Object;)");
    }
    // a record's accessor only reads a final component: what it returns was reached, and
    // recorded, where the record itself was (a keyed get, a field read)
    if (opcode == Opcodes.INVOKEVIRTUAL
        && descriptor.startsWith("()")
        && model.isRecordAccessor(pool, owner, name)) {
      return false;
    }
    // calls into the service's own classes are traced inside them, unless the method called is
    // one they only inherit from a library class
    return !model.isInstrumented(pool, owner)
        || !model.declaredInInstrumented(pool, owner, name, descriptor);
  }

  private static boolean isExcluded(String owner) {
    return owner.startsWith("java/lang/invoke/")
        || owner.startsWith("io/compartment/agent/")
        || owner.startsWith("io/compartment/api/")
        || owner.startsWith("jdk/internal/")
        || owner.startsWith("sun/");
  }

  /** Owners of {@link #VALUE_OWNERS} whose static methods may still be handed state. */
  private static final Set<String> STATIC_OBSERVED =
      Set.of("java/lang/String", "java/util/Objects", "java/lang/System");

  /** Parameter types that can never hold a state object. */
  private static final Set<String> SCALAR_PARAMETERS =
      Set.of(
          "java/lang/String",
          "java/lang/Integer",
          "java/lang/Long",
          "java/lang/Short",
          "java/lang/Byte",
          "java/lang/Character",
          "java/lang/Boolean",
          "java/lang/Double",
          "java/lang/Float",
          "java/lang/Class",
          "java/util/UUID");

  /** Whether a call passes something that may be state (an {@code Object} parameter may). */
  private static boolean takesReferences(String descriptor) {
    for (Type t : Type.getArgumentTypes(descriptor)) {
      if (t.getSort() == Type.ARRAY) return true;
      if (t.getSort() == Type.OBJECT && !SCALAR_PARAMETERS.contains(t.getInternalName())) {
        return true;
      }
    }
    return false;
  }

  /**
   * A constructor of one or two one-slot parameters, at least one a reference: {@code new
   * HashMap<>(state)}, {@code new Wrapper(state)}. Its arguments are observed before it runs.
   */
  private static boolean observedConstructor(String owner, String descriptor) {
    if (isExcluded(owner) || owner.startsWith("java/lang/")) return false;
    Type[] args = Type.getArgumentTypes(descriptor);
    if (args.length == 0 || args.length > 2 || !takesReferences(descriptor)) return false;
    for (Type t : args) {
      if (t.getSize() != 1) return false;
    }
    return true;
  }

  private static String sourceName(TypeDescription type) {
    String name = type.getName();
    int dot = name.lastIndexOf('.');
    String simple = name.substring(dot + 1);
    int dollar = simple.indexOf('$');
    return (dollar > 0 ? simple.substring(0, dollar) : simple) + ".java";
  }

  static String simpleName(String binaryName) {
    int cut = Math.max(binaryName.lastIndexOf('.'), binaryName.lastIndexOf('$'));
    return binaryName.substring(cut + 1);
  }
}
