package io.compartment.demo.twopc;

import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.demo.DemoOptions;
import io.compartment.demo.DemoResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TwoPcDemoTest {

  @Test
  void seededWorkloadIsAtomicAndAppliesEveryCommitOnce() {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    DemoResult result =
        new TwoPcDemo()
            .run(DemoOptions.ops(4000, 4), new PrintStream(progress, true, StandardCharsets.UTF_8));
    assertThat(result.violations()).isEmpty();
    assertThat(result.correct()).isTrue();
    assertThat(result.ops()).isEqualTo(4000);
    // the workload exercises both outcomes: conflicts, overdrafts and malformed transfers abort
    assertThat(progress.toString(StandardCharsets.UTF_8))
        .containsPattern(
            "\\[twopc\\] [1-9]\\d* committed, [1-9]\\d* aborted, 2000 balances read back");
  }
}
