package io.compartment.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoProcessTest {
  @Test
  void theLastResultLineIsReadAsKeysAndValues() {
    Map<String, String> r =
        DemoProcess.resultLine(
            List.of(
                "DEMO_RESULT name=old correct=false",
                "[kv] something",
                "DEMO_RESULT name=kv correct=true ops=10 concurrency=128 p50_us=12.5"
                    + " monolith_p50_us=- pause_ms=3.0",
                "[compartment] report written"));

    assertThat(r).containsEntry("name", "kv").containsEntry("concurrency", "128");
    assertThat(DemoProcess.number(r, "p50_us")).isEqualTo(12.5);
    assertThat(DemoProcess.number(r, "monolith_p50_us")).as("not measured").isNaN();
    assertThat(DemoProcess.number(r, "absent")).isNaN();
    assertThat(DemoProcess.resultLine(List.of("no result here"))).isNull();
  }

  @Test
  void theBoundIsTheProfilesSpeedUpForTheCount() {
    String report = "{\"profile\":{\"speedupAt\":{\"1\":1.0,\"2\":1.8,\"4\":2.9}}}";

    assertThat(DemoProcess.speedupAt(report, 4)).isEqualTo(2.9);
    assertThatThrownBy(() -> DemoProcess.speedupAt(report, 8))
        .hasMessageContaining("no profile.speedupAt entry for 8");
  }

  @Test
  void anUnmeasuredLatencyIsADashInResultLinesAndNullInJson() {
    assertThat(DemoProcess.us(Double.NaN)).isEqualTo("-");
    assertThat(DemoProcess.jsonUs(Double.NaN)).isEqualTo("null");
    assertThat(DemoProcess.us(1234.56)).isEqualTo("1234.6");
  }

  @Test
  void aListOfCountsIsParsedAndABadOneNamesTheOption() {
    assertThat(BenchMain.counts("--partitions", "1, 2,4")).containsExactly(1, 2, 4);
    assertThatThrownBy(() -> BenchMain.counts("--windows", "2,0"))
        .hasMessageContaining("--windows")
        .hasMessageContaining("'2,0'");
    assertThatThrownBy(() -> BenchMain.counts("--partitions", "")).hasMessageContaining("''");
  }
}
