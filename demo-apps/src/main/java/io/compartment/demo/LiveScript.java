package io.compartment.demo;

import io.compartment.demo.net.LatencyFigures;
import io.compartment.demo.net.LatencyWindow;
import io.compartment.demo.net.PeerLink;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The live half of a demo (DESIGN section 5): while the workload runs, measures the monolith's
 * throughput, asks the Compartment agent in this JVM (through its JMX MBean, so the demo needs no
 * dependency on the agent) to enable the inferred plan, measures again, and disables it. Runs on
 * its own thread; the workload keeps running through every step. Without the agent it does nothing.
 *
 * <p>System properties: {@code compartment.demo.live} ({@code false} skips the toggle), {@code
 * compartment.demo.partitions} (partitions or replicas per compartment, default 2), {@code
 * compartment.demo.window.s} (seconds of each measuring window, default 2), {@code
 * compartment.demo.warmup.s} (seconds before the first window, default half a window), {@code
 * compartment.demo.settle.s} (seconds between enabling and the second window, in which new workers
 * warm up; default a third of a window), {@code compartment.demo.enable} ({@code inferred}, the
 * default: every compartment the analyzer found scalable; {@code profiled}: only those the report's
 * profile recommends scaling).
 */
public final class LiveScript implements Runnable {
  private static final String AGENT = "io.compartment:type=Agent";
  private static final Pattern PAUSE = Pattern.compile("\"pauseMs\"\\s*:\\s*([0-9.]+)");

  private static volatile Figures last;

  /**
   * What the live half measured; {@code -1} where it measured nothing. The latencies are read from
   * {@link Latency} when the run ends (the clients process reports them last).
   */
  public record Figures(
      long monolithOpsPerS, long compartmentalizedOpsPerS, double pauseMs, int enabled) {
    /** The monolith window's latency, or null. */
    public LatencyFigures monolithLatency() {
      return monolithOpsPerS < 0 ? null : Latency.figures(Latency.MONOLITH);
    }

    /** The compartmentalized window's latency, or null. */
    public LatencyFigures compartmentalizedLatency() {
      return compartmentalizedOpsPerS < 0 ? null : Latency.figures(Latency.COMPARTMENTALIZED);
    }
  }

  private final String name;
  private final LongSupplier acknowledged;
  private final PeerLink link;
  private final PrintStream out;
  private final int count = Integer.getInteger("compartment.demo.partitions", 2);
  private final long windowMs =
      Math.round(Double.parseDouble(System.getProperty("compartment.demo.window.s", "2")) * 1000);
  private final long warmupMs =
      Math.round(
          Double.parseDouble(
                  System.getProperty(
                      "compartment.demo.warmup.s", Double.toString(windowMs / 2000.0)))
              * 1000);
  private final long settleMs =
      Math.round(
          Double.parseDouble(
                  System.getProperty(
                      "compartment.demo.settle.s", Double.toString(windowMs / 3000.0)))
              * 1000);
  private final String enableOperation =
      switch (System.getProperty("compartment.demo.enable", "inferred")) {
        case "inferred" -> "enableInferred";
        case "profiled" -> "enableProfiled";
        default ->
            throw new IllegalArgumentException(
                "-Dcompartment.demo.enable must be inferred or profiled, not "
                    + System.getProperty("compartment.demo.enable"));
      };
  private volatile boolean done;

  private final Budget budget;

  private LiveScript(
      String name, Budget budget, LongSupplier acknowledged, PeerLink link, PrintStream out) {
    this.name = name;
    this.budget = budget;
    this.acknowledged = acknowledged;
    this.link = link;
    this.out = out;
  }

  /**
   * Starts the script when the agent is present and live demos are on; else returns null.
   *
   * @param link the link to the clients process, where the clients measure latency; null when they
   *     run in this process
   */
  public static LiveScript start(
      String name, Budget budget, LongSupplier acknowledged, PeerLink link, PrintStream out) {
    last = null;
    if (!Boolean.parseBoolean(System.getProperty("compartment.demo.live", "true"))) return null;
    try {
      if (!server().isRegistered(new ObjectName(AGENT))) {
        if (ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .noneMatch(a -> a.startsWith("-javaagent:"))) {
          return null; // no agent on the command line: nothing to wait for
        }
        // the agent registers its MBean off the start path: give it a moment
        Thread.sleep(1500);
        if (!server().isRegistered(new ObjectName(AGENT))) return null;
      }
    } catch (Exception e) {
      return null;
    }
    LiveScript script = new LiveScript(name, budget, acknowledged, link, out);
    budget.keepOpen(true);
    Thread t = new Thread(script, "demo-live-script");
    t.setDaemon(true);
    t.start();
    return script;
  }

  /** The figures of the last script run in this JVM, or null. */
  public static Figures figures() {
    return last;
  }

  public boolean done() {
    return done;
  }

  @Override
  public void run() {
    long monolith = -1;
    long routed = -1;
    double pause = -1;
    int enabledCount = 0;
    try {
      Thread.sleep(warmupMs); // warm-up, and the first traced calls
      monolith = measure(Latency.MONOLITH);
      say(
          "monolith: %d ops/s over %.1f s; enabling the %s plan with %d partitions or replicas",
          monolith,
          windowMs / 1000.0,
          enableOperation.equals("enableProfiled") ? "profiled" : "inferred",
          count);
      String enabled =
          (String)
              server()
                  .invoke(
                      new ObjectName(AGENT),
                      enableOperation,
                      new Object[] {count},
                      new String[] {"int"});
      for (String line : enabled.split("\n")) say("%s", line);
      pause = maxPause(enabled);
      enabledCount = countEnabled(enabled);
      if (pause < 0) {
        // what the plan leaves running is the monolith: measured again, it is this plan's figure
        say("nothing was enabled; the monolith keeps running and is measured again");
        routed = measure(Latency.COMPARTMENTALIZED);
        say("after the plan: %d ops/s over %.1f s", routed, windowMs / 1000.0);
        return;
      }
      Thread.sleep(settleMs); // the workers' first calls, compiled
      routed = measure(Latency.COMPARTMENTALIZED);
      say("compartmentalized: %d ops/s over %.1f s; disabling", routed, windowMs / 1000.0);
      String disabled =
          (String)
              server().invoke(new ObjectName(AGENT), "disableAll", new Object[0], new String[0]);
      for (String line : disabled.split("\n")) say("%s", line);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      say("live toggle failed: %s", cause.getMessage());
    } finally {
      last = new Figures(monolith, routed, pause, enabledCount);
      done = true;
      budget.keepOpen(false);
    }
  }

  /** Throughput over one window, while the clients record latency into {@code latencyWindow}. */
  private long measure(int latencyWindow) throws InterruptedException {
    Latency.open(latencyWindow);
    if (link != null) link.post(new LatencyWindow(latencyWindow, true));
    long t0 = System.nanoTime();
    long a0 = acknowledged.getAsLong();
    Thread.sleep(windowMs);
    long a1 = acknowledged.getAsLong();
    long t1 = System.nanoTime();
    Latency.close(latencyWindow);
    if (link != null) link.post(new LatencyWindow(latencyWindow, false));
    return Math.round((a1 - a0) / ((t1 - t0) / 1e9));
  }

  private static int countEnabled(String lines) {
    int n = 0;
    for (String line : lines.split("\n")) {
      if (line.contains("\"state\":\"enabled\"")) n++;
    }
    return n;
  }

  private static double maxPause(String json) {
    double max = -1;
    Matcher m = PAUSE.matcher(json);
    while (m.find()) max = Math.max(max, Double.parseDouble(m.group(1)));
    return max;
  }

  private void say(String format, Object... args) {
    out.printf(Locale.ROOT, "[" + name + "] live: " + format + "%n", args);
  }

  private static MBeanServer server() {
    return ManagementFactory.getPlatformMBeanServer();
  }
}
