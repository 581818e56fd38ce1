package io.compartment.demo.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.demo.DemoOptions;
import io.compartment.demo.DemoResult;
import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class KvDemoTest {

  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @Test
  void seededWorkloadPassesTheEndToEndCheck() {
    DemoResult result = new KvDemo().run(DemoOptions.ops(5000, 1), QUIET);
    assertThat(result.violations()).isEmpty();
    assertThat(result.correct()).isTrue();
    assertThat(result.ops()).isEqualTo(5000);
    assertThat(result.resultLine())
        .startsWith("DEMO_RESULT name=kv correct=true ops=5000 ops_per_s=");
  }

  @Test
  void workloadWithoutScansAlsoPasses() {
    DemoResult result = new KvDemo(false).run(DemoOptions.ops(3000, 2), QUIET);
    assertThat(result.violations()).isEmpty();
    assertThat(result.correct()).isTrue();
  }
}
