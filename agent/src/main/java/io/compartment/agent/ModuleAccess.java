package io.compartment.agent;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Grants the libraries relocated into the agent jar (Agrona and Aeron, Chronicle Map) the JDK
 * internals they use, so that a user adds no {@code --add-exports}/{@code --add-opens} flags. The
 * grant goes to the module of this class: the unnamed module of the class loader that loaded the
 * agent jar (the system class loader), which is also the module of every other class on the class
 * path. It is the run-time equivalent of these flags:
 *
 * <pre>
 * --add-exports java.base/jdk.internal.misc=ALL-UNNAMED    Agrona's UnsafeApi (Aeron)
 * --add-exports java.base/sun.nio.ch=ALL-UNNAMED           Chronicle maps files (FileChannelImpl)
 * --add-exports java.base/jdk.internal.ref=ALL-UNNAMED     Chronicle's buffer cleaner (a warning)
 * --add-opens   java.base/java.lang=ALL-UNNAMED            Chronicle defines generated classes
 * --add-opens   java.base/java.lang.reflect=ALL-UNNAMED    Chronicle's Jvm.setAccessible
 * --add-opens   java.base/java.nio=ALL-UNNAMED             Chronicle, buffer internals
 * --add-opens   java.base/sun.nio.ch=ALL-UNNAMED           Chronicle, file channel internals
 * --add-exports jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED   Chronicle's run-time javac
 * </pre>
 *
 * <p>The first five are what an Aeron IPC round trip and a map create, put, batch, sync and reopen
 * need (found by running without flags; the third only avoids a warning); the two other opens cover
 * Chronicle paths not exercised there. The last one only where the run time has module {@code
 * jdk.compiler} (a full JDK): without it Chronicle Map cannot generate its classes and the state
 * store does not open.
 */
public final class ModuleAccess {
  /** Packages of {@code java.base} exported to the agent's module. */
  static final List<String> BASE_EXPORTS =
      List.of("jdk.internal.misc", "sun.nio.ch", "jdk.internal.ref");

  /** Packages of {@code java.base} opened (for deep reflection) to the agent's module. */
  static final List<String> BASE_OPENS =
      List.of("java.lang", "java.lang.reflect", "java.nio", "sun.nio.ch");

  /** Packages of {@code jdk.compiler} exported to the agent's module, when that module exists. */
  static final List<String> COMPILER_EXPORTS = List.of("com.sun.tools.javac.file");

  /** The command-line flags that grant the same, for the message when granting fails. */
  static final String FLAGS =
      "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED"
          + " --add-exports java.base/sun.nio.ch=ALL-UNNAMED"
          + " --add-exports java.base/jdk.internal.ref=ALL-UNNAMED"
          + " --add-opens java.base/java.lang=ALL-UNNAMED"
          + " --add-opens java.base/java.lang.reflect=ALL-UNNAMED"
          + " --add-opens java.base/java.nio=ALL-UNNAMED"
          + " --add-opens java.base/sun.nio.ch=ALL-UNNAMED"
          + " --add-exports jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED";

  private ModuleAccess() {}

  /**
   * Adds the exports and opens above; already granted ones (by flags, or an earlier call) are left
   * as they are. Never throws: a failure is logged and the agent goes on (the libraries then fail
   * where they need the access, with the JDK's message naming the flag).
   *
   * @param inst the agent's instrumentation.
   */
  public static void grant(Instrumentation inst) {
    try {
      Module agent = ModuleAccess.class.getModule();
      grant(inst, Object.class.getModule(), BASE_EXPORTS, BASE_OPENS, agent);
      Optional<Module> compiler = ModuleLayer.boot().findModule("jdk.compiler");
      if (compiler.isPresent()) {
        grant(inst, compiler.get(), COMPILER_EXPORTS, List.of(), agent);
      } else {
        AgentLog.debug(
            "module jdk.compiler not in this run time: the state store (Chronicle Map) needs a JDK");
      }
    } catch (Throwable t) {
      AgentLog.warn(
          "could not grant the agent's libraries access to JDK internals ("
              + t
              + "); if the transport or the state store fail, run with "
              + FLAGS);
    }
  }

  private static void grant(
      Instrumentation inst, Module module, List<String> exports, List<String> opens, Module to) {
    Map<String, Set<Module>> extraExports = new HashMap<>();
    Map<String, Set<Module>> extraOpens = new HashMap<>();
    List<String> missing = new ArrayList<>();
    for (String pkg : exports) {
      if (!module.getPackages().contains(pkg)) missing.add(pkg);
      else if (!module.isExported(pkg, to)) extraExports.put(pkg, Set.of(to));
    }
    for (String pkg : opens) {
      if (!module.getPackages().contains(pkg)) missing.add(pkg);
      else if (!module.isOpen(pkg, to)) extraOpens.put(pkg, Set.of(to));
    }
    if (!missing.isEmpty()) {
      AgentLog.debug("module " + module.getName() + " has no package " + missing);
    }
    if (extraExports.isEmpty() && extraOpens.isEmpty()) return;
    if (!inst.isModifiableModule(module)) {
      AgentLog.warn("module " + module.getName() + " cannot be modified: no access granted");
      return;
    }
    inst.redefineModule(module, Set.of(), extraExports, extraOpens, Set.of(), Map.of());
    AgentLog.debug(
        "module "
            + module.getName()
            + (extraExports.isEmpty() ? "" : " exports " + extraExports.keySet())
            + (extraOpens.isEmpty() ? "" : " opens " + extraOpens.keySet())
            + " to the class path");
  }
}
