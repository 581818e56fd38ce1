package io.compartment.demo.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code micro}: the JMH micro-benchmarks of the tracing cost, run from their own jar ({@code
 * -Dcompartment.jmh.jar}, built by the jmh module) in a child JVM. JMH forks its own JVMs under the
 * agent from there. The child's JSON, {@code RESULT} and {@code RATIO} lines go to standard output,
 * everything else (JMH's progress) to standard error.
 */
final class MicroBenchRun {
  private MicroBenchRun() {}

  static void run(Path agentJar, boolean quick) throws Exception {
    String p = System.getProperty("compartment.jmh.jar");
    if (p == null || !Files.isRegularFile(Path.of(p))) {
      throw new IllegalStateException(
          "-Dcompartment.jmh.jar must name the built jmh/target/compartment-jmh.jar (got "
              + p
              + "); run it through ./compartment bench");
    }
    ChildJvm.Output out =
        ChildJvm.run(
            Path.of(p),
            null,
            "",
            List.of("-Dcompartment.agent.jar=" + agentJar),
            "io.compartment.jmh.MicroBench",
            quick ? List.of("--quick") : List.of(),
            quick ? 600 : 3600,
            line -> {
              PrintStream to =
                  line.startsWith("{") || line.startsWith("RESULT ") || line.startsWith("RATIO ")
                      ? System.out
                      : System.err;
              to.println(line);
            });
    if (out.exitCode() != 0) {
      throw new IllegalStateException("the JMH runner exited with " + out.exitCode());
    }
  }
}
