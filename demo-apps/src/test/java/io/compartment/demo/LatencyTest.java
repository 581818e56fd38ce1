package io.compartment.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compartment.demo.net.LatencyFigures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LatencyTest {
  @BeforeEach
  @AfterEach
  void fresh() {
    Latency.reset();
  }

  @Test
  void aLatencyGoesIntoTheWholeRunAndEveryOpenWindowOnly() {
    Latency.record(1_000);
    Latency.open(Latency.MONOLITH);
    Latency.record(2_000);
    Latency.record(4_000);
    Latency.close(Latency.MONOLITH);
    Latency.record(8_000);

    assertThat(Latency.figures(Latency.WHOLE_RUN).count()).isEqualTo(4);
    LatencyFigures monolith = Latency.figures(Latency.MONOLITH);
    assertThat(monolith.count()).isEqualTo(2);
    assertThat(monolith.maxNanos()).isEqualTo(4_000);
    assertThat(monolith.p50Nanos()).isBetween(1_950L, 2_050L);
    assertThat(Latency.figures(Latency.COMPARTMENTALIZED)).isNull();
  }

  @Test
  void reopeningAWindowStartsItEmpty() {
    Latency.open(Latency.COMPARTMENTALIZED);
    Latency.record(50_000);
    Latency.open(Latency.COMPARTMENTALIZED);
    Latency.record(10_000);

    assertThat(Latency.figures(Latency.COMPARTMENTALIZED).maxNanos()).isEqualTo(10_000);
  }

  @Test
  void figuresReportedByTheClientsProcessWinOverWhatThisProcessRecorded() {
    Latency.open(Latency.MONOLITH);
    Latency.record(3_000);
    Latency.reported(new LatencyFigures(Latency.MONOLITH, 10, 700, 900, 950));
    Latency.reported(new LatencyFigures(Latency.COMPARTMENTALIZED, 0, 0, 0, 0));

    assertThat(Latency.figures(Latency.MONOLITH).p99Nanos()).isEqualTo(900);
    assertThat(Latency.figures(Latency.COMPARTMENTALIZED)).as("nothing in it").isNull();
  }

  @Test
  void theLocalFiguresCoverEveryWindowForTheReport() {
    Latency.record(5_000);

    LatencyFigures[] local = Latency.local();
    assertThat(local).hasSize(3);
    assertThat(local[Latency.WHOLE_RUN].count()).isEqualTo(1);
    assertThat(local[Latency.MONOLITH].count()).isZero();
  }

  @Test
  void anUnknownWindowIsRefused() {
    assertThatThrownBy(() -> Latency.open(7)).hasMessageContaining("no latency window 7");
  }
}
