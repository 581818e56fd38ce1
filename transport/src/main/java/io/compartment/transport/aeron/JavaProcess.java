package io.compartment.transport.aeron;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Starts a child JVM with this JVM's class path and the JVM flags Aeron needs. */
final class JavaProcess {
  /** System property holding the JVM flags child JVMs need (set by the build for tests). */
  static final String FLAGS_PROP = "compartment.jvm.flags";

  /** The one flag Agrona needs when {@value #FLAGS_PROP} is not set. */
  static final String DEFAULT_FLAGS = "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED";

  private JavaProcess() {}

  /**
   * @param main class with a {@code main} method.
   * @param args its arguments.
   * @param log file for the child's stdout and stderr, or {@code null} to inherit this JVM's.
   * @return the started process.
   * @throws IOException if it cannot start.
   */
  static Process start(final Class<?> main, final List<String> args, final File log)
      throws IOException {
    final List<String> command = new ArrayList<>();
    command.add(new File(System.getProperty("java.home"), "bin/java").getPath());
    final String flags = System.getProperty(FLAGS_PROP, DEFAULT_FLAGS).trim();
    if (!flags.isEmpty()) {
      command.addAll(Arrays.asList(flags.split("\\s+")));
    }
    command.add("-XX:+UseSerialGC");
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(args);
    final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (log == null) {
      builder.inheritIO();
    } else {
      builder.redirectOutput(log);
    }
    return builder.start();
  }
}
