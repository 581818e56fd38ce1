package io.compartment.agent;

import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's only output channel: one line per event on standard error, prefixed {@code
 * [compartment]}. Never throws.
 */
public final class AgentLog {
  private static final Set<String> ONCE = ConcurrentHashMap.newKeySet();
  private static volatile boolean debug;
  private static volatile PrintStream out = System.err;

  private AgentLog() {}

  public static void debug(boolean on) {
    debug = on;
  }

  public static boolean isDebug() {
    return debug;
  }

  public static void info(String message) {
    print("", message);
  }

  public static void error(String message) {
    print("ERROR ", message);
  }

  public static void warn(String message) {
    print("WARNING ", message);
  }

  public static void debug(String message) {
    if (debug) print("debug ", message);
  }

  /** Logs an internal failure once per {@code key}; with debug on, also its stack trace. */
  public static void failure(String key, String message, Throwable t) {
    if (!ONCE.add(key)) return;
    print("ERROR ", message + ": " + t);
    if (debug) {
      try {
        t.printStackTrace(out);
      } catch (Throwable ignored) {
        // nothing left to report with
      }
    }
  }

  private static void print(String level, String message) {
    try {
      out.println("[compartment] " + level + message);
    } catch (Throwable ignored) {
      // the agent never takes the host down, not even for a closed stderr
    }
  }
}
