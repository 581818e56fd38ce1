package io.compartment.agent.runtime;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Which no-argument methods of the application's classes only read: those whose bytecode only reads
 * (fields, constants, arithmetic, casts, boxing) and returns. A getter that counts its calls, logs,
 * throws, locks or calls anything else is never run by the agent: running it on the aggregation
 * thread could change what the application computes; and a call of such a method on state (an id
 * generator's {@code next()}) is a write, not a read. Judged from the class file as its loader
 * serves it, once per class.
 */
public final class PureMethods {
  private PureMethods() {}

  /** What one class file declares: every instance method, and those that merely read. */
  private record Scan(Set<String> declared, Set<String> pure) {}

  private static final ClassValue<Scan> SCANS =
      new ClassValue<>() {
        @Override
        protected Scan computeValue(Class<?> type) {
          return scan(type);
        }
      };

  /** Whether the agent may call this no-argument method (of a message) to read an attribute. */
  public static boolean isPure(Method m) {
    try {
      return SCANS
          .get(m.getDeclaringClass())
          .pure()
          .contains(m.getName() + net.bytebuddy.jar.asm.Type.getMethodDescriptor(m));
    } catch (Throwable t) {
      return false;
    }
  }

  /**
   * Whether calling {@code name descriptor} on an object of class {@code type} (application code)
   * only reads it: the nearest declaration in the class hierarchy merely reads and returns. A
   * method declared by a JDK class counts as pure here: the JDK's own methods are judged by name
   * (see {@code Effect}). Unknown: not pure.
   */
  static boolean isPure(Class<?> type, String name, String descriptor) {
    String key = name + descriptor;
    try {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        if (isJdk(c)) return true;
        Scan s = SCANS.get(c);
        if (s.declared().contains(key)) return s.pure().contains(key);
      }
    } catch (Throwable t) {
      return false;
    }
    return false;
  }

  /**
   * Whether {@code name descriptor} on an object of class {@code type} runs JDK code: no class of
   * the application between {@code type} and the JDK declares it. The agent calls such a method
   * itself (a map's {@code get} for the value before a {@code merge}) only then; an override of the
   * application's (a map counting its lookups) might have an effect.
   */
  static boolean isLibraryMethod(Class<?> type, String name, String descriptor) {
    String key = name + descriptor;
    try {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        if (isJdk(c)) return true;
        if (SCANS.get(c).declared().contains(key)) return false;
      }
    } catch (Throwable t) {
      return false;
    }
    return true;
  }

  static boolean isJdk(Class<?> c) {
    String n = c.getName();
    return n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.");
  }

  private static Scan scan(Class<?> type) {
    Set<String> pure = new HashSet<>();
    Set<String> declared = new HashSet<>();
    ClassLoader loader = type.getClassLoader();
    String resource = type.getName().replace('.', '/') + ".class";
    try (InputStream in =
        loader != null
            ? loader.getResourceAsStream(resource)
            : ClassLoader.getSystemResourceAsStream(resource)) {
      if (in == null) return new Scan(declared, pure);
      new ClassReader(in.readAllBytes())
          .accept(
              new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(
                    int access, String name, String descriptor, String sig, String[] exceptions) {
                  if ((access & Opcodes.ACC_STATIC) != 0) return null;
                  declared.add(name + descriptor);
                  if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0
                      || (access & Opcodes.ACC_SYNCHRONIZED) != 0
                      || !descriptor.startsWith("()")
                      || descriptor.endsWith(")V")) {
                    return null;
                  }
                  return new Checker(pure, name + descriptor);
                }
              },
              ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    } catch (Throwable t) {
      // no class file to judge by: no getter is called
    }
    return new Scan(declared, pure);
  }

  private static final class Checker extends MethodVisitor {
    private final Set<String> pure;
    private final String key;
    private boolean ok = true;

    Checker(Set<String> pure, String key) {
      super(Opcodes.ASM9);
      this.pure = pure;
      this.key = key;
    }

    @Override
    public void visitInsn(int opcode) {
      if ((opcode >= Opcodes.IASTORE && opcode <= Opcodes.SASTORE)
          || opcode == Opcodes.ATHROW
          || opcode == Opcodes.MONITORENTER
          || opcode == Opcodes.MONITOREXIT) {
        ok = false;
      }
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
      if (opcode == Opcodes.PUTFIELD || opcode == Opcodes.PUTSTATIC) ok = false;
    }

    @Override
    public void visitMethodInsn(
        int opcode, String owner, String name, String descriptor, boolean isInterface) {
      boolean boxing =
          opcode == Opcodes.INVOKESTATIC
              && name.equals("valueOf")
              && owner.startsWith("java/lang/")
              && (owner.equals("java/lang/Integer")
                  || owner.equals("java/lang/Long")
                  || owner.equals("java/lang/Short")
                  || owner.equals("java/lang/Byte")
                  || owner.equals("java/lang/Character")
                  || owner.equals("java/lang/Boolean")
                  || owner.equals("java/lang/Double")
                  || owner.equals("java/lang/Float"));
      if (!boxing) ok = false;
    }

    @Override
    public void visitInvokeDynamicInsn(
        String name, String d, net.bytebuddy.jar.asm.Handle bsm, Object... args) {
      ok = false;
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
      if (opcode == Opcodes.NEW || opcode == Opcodes.ANEWARRAY) ok = false;
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
      if (opcode == Opcodes.NEWARRAY) ok = false;
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int dims) {
      ok = false;
    }

    @Override
    public void visitTryCatchBlock(
        net.bytebuddy.jar.asm.Label s,
        net.bytebuddy.jar.asm.Label e,
        net.bytebuddy.jar.asm.Label h,
        String type) {
      ok = false;
    }

    @Override
    public void visitEnd() {
      if (ok) pure.add(key);
    }
  }
}
