package io.compartment.demo;

import java.util.List;

/**
 * What a demo run found.
 *
 * @param name the demo's name
 * @param correct whether the end-to-end check passed
 * @param ops client requests acknowledged during the workload
 * @param seconds wall-clock time of the workload, from the first request to quiescence
 * @param violations the first violations found, empty when correct
 */
public record DemoResult(
    String name, boolean correct, long ops, double seconds, List<String> violations) {

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
        + live();
  }

  private static String live() {
    LiveScript.Figures f = LiveScript.figures();
    if (f == null) return "";
    return " monolith_ops_per_s="
        + (f.monolithOpsPerS() < 0 ? "-" : Long.toString(f.monolithOpsPerS()))
        + " compartmentalized_ops_per_s="
        + (f.compartmentalizedOpsPerS() < 0 ? "-" : Long.toString(f.compartmentalizedOpsPerS()))
        + " pause_ms="
        + (f.pauseMs() < 0 ? "-" : String.format(java.util.Locale.ROOT, "%.1f", f.pauseMs()));
  }
}
