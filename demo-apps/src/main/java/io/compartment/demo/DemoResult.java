package io.compartment.demo;

import io.compartment.demo.net.LatencyFigures;
import java.util.List;
import java.util.Locale;

/**
 * What a demo run found.
 *
 * @param name the demo's name
 * @param correct whether the end-to-end check passed
 * @param ops client requests acknowledged during the workload
 * @param seconds wall-clock time of the workload, from the first request to quiescence
 * @param violations the first violations found, empty when correct
 * @param concurrency requests the clients kept outstanding together (the offered load)
 */
public record DemoResult(
    String name,
    boolean correct,
    long ops,
    double seconds,
    List<String> violations,
    long concurrency) {

  public DemoResult {
    violations = List.copyOf(violations);
  }

  public long opsPerSecond() {
    return seconds > 0 ? Math.round(ops / seconds) : 0L;
  }

  /** The line that ends every demo run. */
  public String resultLine() {
    return "DEMO_RESULT name="
        + name
        + " correct="
        + correct
        + " ops="
        + ops
        + " ops_per_s="
        + opsPerSecond()
        + " concurrency="
        + concurrency
        + latency("", Latency.figures(Latency.WHOLE_RUN))
        + live();
  }

  /** {@code <prefix>p50_us=<n> <prefix>p99_us=<n>}, with {@code -} where nothing was measured. */
  private static String latency(String prefix, LatencyFigures f) {
    return " "
        + prefix
        + "p50_us="
        + (f == null ? "-" : micros(f.p50Nanos()))
        + " "
        + prefix
        + "p99_us="
        + (f == null ? "-" : micros(f.p99Nanos()));
  }

  private static String micros(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e3);
  }

  private static String live() {
    LiveScript.Figures f = LiveScript.figures();
    if (f == null) return "";
    return " monolith_ops_per_s="
        + (f.monolithOpsPerS() < 0 ? "-" : Long.toString(f.monolithOpsPerS()))
        + " compartmentalized_ops_per_s="
        + (f.compartmentalizedOpsPerS() < 0 ? "-" : Long.toString(f.compartmentalizedOpsPerS()))
        + " pause_ms="
        + (f.pauseMs() < 0 ? "-" : String.format(Locale.ROOT, "%.1f", f.pauseMs()))
        + " enabled="
        + f.enabled()
        + latency("monolith_", f.monolithLatency())
        + latency("compartmentalized_", f.compartmentalizedLatency());
  }
}
