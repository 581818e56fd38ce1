package io.compartment.demo.voting;

import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.demo.DemoOptions;
import io.compartment.demo.DemoResult;
import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class VotingDemoTest {

  @Test
  void seededWorkloadDecidesEveryRequestOnceWithTheRightOutcome() {
    DemoResult result =
        new VotingDemo()
            .run(DemoOptions.ops(4000, 3), new PrintStream(OutputStream.nullOutputStream()));
    assertThat(result.violations()).isEmpty();
    assertThat(result.correct()).isTrue();
    assertThat(result.ops()).isEqualTo(4000);
  }
}
