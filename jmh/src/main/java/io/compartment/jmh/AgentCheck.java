package io.compartment.jmh;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Runs inside each JMH fork: makes sure the fork measures what its configuration says. {@link
 * MicroBench} names the configuration with {@code -Dcompartment.jmh.config} ({@code none}, or the
 * agent's {@code sample} setting) and a folder for evidence with {@code
 * -Dcompartment.jmh.evidence}.
 *
 * <p>With the agent, the fixture must be among the classes it rewrote ({@code
 * io.compartment.agent.runtime.Hooks.INSTRUMENTED}, which the agent's own frames use to tell the
 * service's code from library code), and by the end of the trial the handler's call counter (the
 * handler advice's {@code HandlerInfo.invocations()}) must have moved. Without the agent, the
 * agent's classes must not be there at all. A failed check throws, so JMH fails the benchmark and
 * the runner exits non-zero. After the trial one evidence line goes to the folder for the runner.
 */
final class AgentCheck {
  static final String CONFIG_PROPERTY = "compartment.jmh.config";
  static final String EVIDENCE_PROPERTY = "compartment.jmh.evidence";
  private static final String HOOKS = "io.compartment.agent.runtime.Hooks";

  private AgentCheck() {}

  /** Before the trial, with the fixture class loaded. */
  static void loaded(Class<?> fixture) {
    String config = System.getProperty(CONFIG_PROPERTY);
    if (config == null) return; // not started by MicroBench: nothing to check against
    Class<?> hooks = hooks();
    if (config.equals("none")) {
      if (hooks != null) {
        throw new IllegalStateException(
            "configuration 'none' but the compartment agent is loaded in this fork");
      }
      return;
    }
    if (hooks == null) {
      throw new IllegalStateException(
          "configuration '" + config + "' but the compartment agent is not loaded in this fork");
    }
    if (!instrumented(hooks).contains(fixture.getName())) {
      throw new IllegalStateException(
          "the compartment agent is loaded ("
              + config
              + ") but did not transform "
              + fixture.getName()
              + ": the benchmark would measure untraced code");
    }
  }

  /** After the trial: the handler advice ran; writes the evidence line. */
  static void finished(Class<?> fixture, BenchmarkParams params) throws Exception {
    String config = System.getProperty(CONFIG_PROPERTY);
    if (config == null) return;
    String bench = params.getBenchmark();
    String method = bench.substring(bench.lastIndexOf('.') + 1);
    String k = params.getParamsKeys().contains("k") ? params.getParam("k") : "-";
    boolean instrumented = false;
    long invocations = -1;
    int sampleMask = -1;
    Class<?> hooks = hooks();
    if (hooks != null) {
      instrumented = instrumented(hooks).contains(fixture.getName());
      Object table = hooks.getField("HANDLERS").get(null);
      for (Object h : (List<?>) table.getClass().getMethod("entries").invoke(table)) {
        Class<?> c = h.getClass();
        if (c.getMethod("service").invoke(h).equals(fixture.getName())
            && c.getMethod("method").invoke(h).equals(method)) {
          invocations = (Long) c.getMethod("invocations").invoke(h);
          sampleMask = (Integer) c.getMethod("sampleMask").invoke(h);
        }
      }
      if (invocations <= 0) {
        throw new IllegalStateException(
            "the compartment agent rewrote "
                + fixture.getName()
                + " but the handler advice of "
                + method
                + " never counted a call");
      }
    }
    String line =
        String.format(
            java.util.Locale.ROOT,
            "config=%s method=%s k=%s instrumented=%s invocations=%d sample_mask=%d pid=%d%n",
            config,
            method,
            k,
            instrumented,
            invocations,
            sampleMask,
            ProcessHandle.current().pid());
    String dir = System.getProperty(EVIDENCE_PROPERTY);
    if (dir != null) {
      try {
        Files.writeString(
            Path.of(dir, "fork-" + ProcessHandle.current().pid() + ".txt"),
            line,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new IllegalStateException("cannot write the evidence line to " + dir, e);
      }
    }
  }

  private static Class<?> hooks() {
    try {
      return Class.forName(HOOKS, false, ClassLoader.getSystemClassLoader());
    } catch (ClassNotFoundException e) {
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static Set<String> instrumented(Class<?> hooks) {
    try {
      Field f = hooks.getField("INSTRUMENTED");
      return (Set<String>) f.get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + HOOKS + ".INSTRUMENTED", e);
    }
  }
}
