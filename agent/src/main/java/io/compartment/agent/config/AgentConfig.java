package io.compartment.agent.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The agent's options, from one grammar with three sources, first found wins: the agent argument
 * ({@code -javaagent:compartment-agent.jar=k=v,k=v}), a system property {@code -Dcompartment.k=v},
 * an environment variable {@code COMPARTMENT_K} (dots in the name become underscores: {@code
 * live.idle} is {@code COMPARTMENT_LIVE_IDLE}). Problems are collected, not thrown: an unknown or
 * malformed option is reported and its default used.
 */
public final class AgentConfig {
  /** What the agent does. */
  public enum Mode {
    /** Trace and classify (the default). */
    TRACE,
    /** Trace, and route handlers to workers once enabled (live compartmentalization). */
    LIVE,
    /** The kill switch: install nothing. */
    OFF,
    /**
     * Inside a worker process the host started: emits are captured for the host, nothing is traced
     * and no control endpoint is opened. Set by the host, not by users.
     */
    WORKER
  }

  /** Option: the idle strategy of live routing's threads. */
  public static final String LIVE_IDLE = "live.idle";

  /** Values of {@value #LIVE_IDLE}, the default first. */
  public static final List<String> LIVE_IDLE_VALUES = List.of("backoff", "yield", "spin");

  /** Option names and what they take; the help text of the agent. */
  public static final Map<String, String> OPTIONS = new LinkedHashMap<>();

  static {
    OPTIONS.put(
        "mode", "trace|live|off (default trace; off installs nothing; worker is set by the host)");
    OPTIONS.put(
        "report",
        "FILE: write the compartment.report/1 JSON here at exit, and the"
            + " trace beside it as FILE with .trace.json");
    OPTIONS.put("config", "FILE: mapping file naming state, handlers and emits of classes");
    OPTIONS.put("plan", "FILE: a reviewed plan to apply at start (live mode)");
    OPTIONS.put(
        "control",
        "HOST:PORT: control endpoint (default 127.0.0.1:0, a free loopback port; off: none)");
    OPTIONS.put("token", "SECRET: control token (default: generated at start)");
    OPTIONS.put(
        "sample",
        "adaptive|all (default adaptive: every call at first, then fewer once a"
            + " handler's classification is stable)");
    OPTIONS.put("debug", "true|false: verbose log and stack traces (default false)");
    OPTIONS.put("dump", "DIR: write every transformed class file here");
    OPTIONS.put(
        LIVE_IDLE,
        String.join("|", LIVE_IDLE_VALUES)
            + ": how a worker's poll loop, the reply poller and a caller waiting for a routed"
            + " answer idle (default backoff)");
  }

  private static final Set<String> MODES = Set.of("trace", "live", "off", "worker");

  private final Map<String, String> values = new LinkedHashMap<>();
  private final List<String> errors = new ArrayList<>();

  private AgentConfig() {}

  /** Reads the options from the agent argument, system properties and environment. */
  public static AgentConfig load(
      String agentArgs, Map<String, String> env, java.util.Properties props) {
    AgentConfig c = new AgentConfig();
    if (agentArgs != null && !agentArgs.isBlank()) {
      for (String part : agentArgs.split(",")) {
        String item = part.trim();
        if (item.isEmpty()) continue;
        int eq = item.indexOf('=');
        if (eq <= 0) {
          c.errors.add(
              "agent option '"
                  + item
                  + "' is not of the form key=value (in"
                  + " -javaagent arguments '"
                  + agentArgs
                  + "')");
          continue;
        }
        String key = item.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        if (!OPTIONS.containsKey(key)) {
          c.errors.add(
              "unknown agent option '"
                  + key
                  + "' in -javaagent arguments; known options: "
                  + String.join(", ", OPTIONS.keySet()));
          continue;
        }
        c.values.putIfAbsent(key, item.substring(eq + 1).trim());
      }
    }
    for (String key : OPTIONS.keySet()) {
      String p = props.getProperty("compartment." + key);
      if (p != null) c.values.putIfAbsent(key, p.trim());
      String e = env.get(envName(key));
      if (e != null) c.values.putIfAbsent(key, e.trim());
    }
    String mode = c.values.get("mode");
    if (mode != null && !MODES.contains(mode.toLowerCase(Locale.ROOT))) {
      c.errors.add(
          "agent option mode=" + mode + " is not one of trace, live, off, worker; using trace");
      c.values.remove("mode");
    }
    String sample = c.values.get("sample");
    if (sample != null && !sample.equals("adaptive") && !sample.equals("all")) {
      c.errors.add(
          "agent option sample=" + sample + " is not one of adaptive, all; using adaptive");
      c.values.remove("sample");
    }
    String idle = c.values.get(LIVE_IDLE);
    if (idle != null && !LIVE_IDLE_VALUES.contains(idle.toLowerCase(Locale.ROOT))) {
      c.errors.add(
          "agent option "
              + LIVE_IDLE
              + "="
              + idle
              + " is not one of "
              + String.join(", ", LIVE_IDLE_VALUES)
              + "; using "
              + LIVE_IDLE_VALUES.get(0));
      c.values.remove(LIVE_IDLE);
    }
    return c;
  }

  /** The environment variable of option {@code key}: {@code live.idle} is COMPARTMENT_LIVE_IDLE. */
  public static String envName(String key) {
    return "COMPARTMENT_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** The idle strategy of live routing ({@value #LIVE_IDLE}), one of {@link #LIVE_IDLE_VALUES}. */
  public String liveIdle() {
    return values.getOrDefault(LIVE_IDLE, LIVE_IDLE_VALUES.get(0)).toLowerCase(Locale.ROOT);
  }

  public List<String> errors() {
    return errors;
  }

  public Mode mode() {
    return Mode.valueOf(values.getOrDefault("mode", "trace").toUpperCase(Locale.ROOT));
  }

  public Path report() {
    return path("report");
  }

  public Path mappingFile() {
    return path("config");
  }

  public Path dumpDir() {
    return path("dump");
  }

  public boolean debug() {
    return Boolean.parseBoolean(values.getOrDefault("debug", "false"));
  }

  public boolean sampleAll() {
    return "all".equals(values.get("sample"));
  }

  public String get(String key) {
    return values.get(key);
  }

  private Path path(String key) {
    String v = values.get(key);
    return v == null || v.isEmpty() ? null : Path.of(v);
  }
}
