package io.compartment.agent.instrument;

import io.compartment.agent.AgentLog;
import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.MethodTooLargeException;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Finds the methods of a class that the access rewrite would push past the JVM's 64 KB limit on a
 * method's bytecode (an {@code invokedynamic} is longer than the {@code getfield}, call or array
 * store it replaces). It writes the class once with every rewritable instruction replaced by an
 * {@code invokedynamic} of the same length the rewrite would emit, plus room for the handler
 * advice, and collects the methods the writer refuses. Those are left unrewritten; they report
 * themselves as untraced code instead (see {@link AccessRewriter}).
 */
final class SizeCheck {
  private SizeCheck() {}

  /** Class files this small cannot hold a method the rewrite makes too large (growth <= 5x). */
  static final int SMALL_CLASS = 65535 / 5;

  /** Bytes kept free in every method for the inlined handler advice. */
  static final int ADVICE_ROOM = 2048;

  private static final Handle DUMMY =
      new Handle(Opcodes.H_INVOKESTATIC, "x", "y", "()Ljava/lang/invoke/CallSite;", false);

  /** {@code name + descriptor} of each method too large to rewrite; empty when none or unknown. */
  static Set<String> tooLarge(String className, byte[] classFile) {
    Set<String> found = new HashSet<>();
    if (classFile == null || classFile.length < SMALL_CLASS) return found;
    for (int attempt = 0; attempt < 32; attempt++) {
      try {
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(classFile).accept(new Simulation(writer, found), 0);
        writer.toByteArray();
        return found;
      } catch (MethodTooLargeException e) {
        if (!found.add(e.getMethodName() + e.getDescriptor())) return found;
      } catch (Throwable t) {
        AgentLog.debug("size check of " + className + " failed: " + t);
        return found;
      }
    }
    return found;
  }

  private static final class Simulation extends ClassVisitor {
    private final Set<String> skip;

    Simulation(ClassVisitor cv, Set<String> skip) {
      super(Opcodes.ASM9, cv);
      this.skip = skip;
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
      if (mv == null || name.equals("<init>") || name.equals("<clinit>")) return mv;
      boolean rewrite = !skip.contains(name + descriptor);
      return new MethodVisitor(Opcodes.ASM9, mv) {
        @Override
        public void visitCode() {
          super.visitCode();
          for (int i = 0; i < ADVICE_ROOM; i++) super.visitInsn(Opcodes.NOP);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String n, String d) {
          if (rewrite && (opcode == Opcodes.GETFIELD || opcode == Opcodes.PUTFIELD)) {
            super.visitInvokeDynamicInsn(n, "()V", DUMMY);
          } else {
            super.visitFieldInsn(opcode, owner, n, d);
          }
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String n, String d, boolean itf) {
          if (rewrite && opcode != Opcodes.INVOKESPECIAL) {
            super.visitInvokeDynamicInsn(n, "()V", DUMMY);
          } else {
            super.visitMethodInsn(opcode, owner, n, d, itf);
          }
        }

        @Override
        public void visitInsn(int opcode) {
          if (rewrite && opcode >= Opcodes.IASTORE && opcode <= Opcodes.SASTORE) {
            super.visitInvokeDynamicInsn("s", "()V", DUMMY);
          } else {
            super.visitInsn(opcode);
          }
        }
      };
    }
  }
}
