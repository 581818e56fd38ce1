package io.compartment.demo.multipaxos;

import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.demo.DemoOptions;
import io.compartment.demo.DemoResult;
import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class MultiPaxosDemoTest {

  @Test
  void seededWorkloadChoosesOneValuePerSlotAndReplicasAgree() {
    DemoResult result =
        new MultiPaxosDemo()
            .run(DemoOptions.ops(4000, 5), new PrintStream(OutputStream.nullOutputStream()));
    assertThat(result.violations()).isEmpty();
    assertThat(result.correct()).isTrue();
    assertThat(result.ops()).isEqualTo(4000);
  }
}
