package io.compartment.analyzer.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileTest {

  /** One service: a sequential core handler and one handler per other compartment. */
  private static Report report(long coreNs, long partitionNs, long replicateNs) {
    String text =
        """
        {"schema": "compartment.report/1", "services": [{
          "service": "demo.Node",
          "handlers": [
            {"handler": "assign", "class": "SEQUENTIAL", "invocations": 1000, "confirmed": true,
             "costNs": %d},
            {"handler": "collect", "class": "PARTITIONABLE", "invocations": 1000,
             "confirmed": true, "costNs": %d},
            {"handler": "check", "class": "STATELESS", "invocations": 1000, "confirmed": true,
             "costNs": %d}
          ],
          "compartments": [
            {"id": "Node#1", "handlers": ["assign"], "plan": "KEEP"},
            {"id": "Node#2", "handlers": ["collect"], "plan": "PARTITION"},
            {"id": "Node#3", "handlers": ["check"], "plan": "REPLICATE"}
          ]
        }]}
        """
            .formatted(coreNs, partitionNs, replicateNs);
    return Report.fromJson(text, "test");
  }

  @Test
  void theLargestScalableCompartmentIsTheBottleneckAndItsCountBringsItUnderTheCore() {
    Profile p = Profile.of(report(1_000, 3_500, 2_000), 0); // routing free

    assertThat(p.bottleneck().compartment()).isEqualTo("Node#2");
    assertThat(p.scaleFirst().compartment()).isEqualTo("Node#2");
    assertThat(p.bottleneck().recommended()).as("ceil(3500 / 1000)").isEqualTo(4);
    assertThat(p.entries())
        .extracting(Profile.Entry::compartment)
        .containsExactly("Node#2", "Node#3", "Node#1");
    assertThat(p.entries().get(1).recommended()).isEqualTo(2);
    assertThat(p.coreShare()).isCloseTo(1_000 / 6_500.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(p.speedupBound()).isCloseTo(6.5, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(p.predictedSpeedup()).as("slowest stage: the core, 1000").isEqualTo(6.5);
    assertThat(p.speedupAt(1))
        .as("one worker each: the larger one is slowest")
        .isEqualTo(6500 / 3500.0);
    assertThat(p.speedupAt(2)).as("slowest: 3500 / 2").isEqualTo(6500 / 1750.0);
  }

  @Test
  void aServiceThatIsAllSequentialNamesItsCoreAndRecommendsNothing() {
    Profile p = report(5_000, 0, 0).profile();

    assertThat(p.bottleneck().compartment()).isEqualTo("Node#1");
    assertThat(p.bottleneck().plan()).isEqualTo(Plan.KEEP);
    assertThat(p.scaleFirst()).isNull();
    assertThat(p.speedupBound()).isEqualTo(1.0);
    assertThat(ReportTable.render(report(5_000, 0, 0)))
        .contains("bottleneck: Node#1 (100% of handler time): sequential, it cannot be scaled");
  }

  @Test
  void withoutMeasuredCostsTheProfileSaysSoAndRecommendsNothing() {
    Report r = report(0, 0, 0);

    assertThat(r.profile().measured()).isFalse();
    assertThat(r.profile().bottleneck()).isNull();
    assertThat(ReportTable.render(r)).contains("Profile: no handler cost measured yet");
    @SuppressWarnings("unchecked")
    Map<String, Object> json = (Map<String, Object>) r.toJson().get("profile");
    assertThat(json).containsEntry("measured", false).containsEntry("bottleneck", null);
  }

  @Test
  void countsAreCappedAndTheTableNamesThePlan() {
    Report r = report(10, 1_000_000, 0);

    assertThat(r.profile().bottleneck().recommended()).isEqualTo(Profile.MAX_COUNT);
    assertThat(ReportTable.render(r))
        .contains("bottleneck: Node#2 (100% of handler time)\n")
        .contains("scale first: Node#2: enable it with 16 partitions");
  }

  @Test
  void aScalableCompartmentSmallerThanTheCoreIsNotWorthMoreThanOneWorker() {
    Report r = report(5_000_000, 1_000_000, 0); // ms per call: routing is next to nothing

    assertThat(r.profile().bottleneck().compartment()).isEqualTo("Node#1");
    assertThat(r.profile().scaleFirst().recommended()).isEqualTo(1);
    assertThat(ReportTable.render(r))
        .contains("scale first: none; no compartment gains from 2 or more workers")
        .contains("Node#2: more than one partition does not pay while the host's other work");
  }

  @Test
  void routingThatCostsTheHostMoreThanItMovesLeavesTheCompartmentInTheHost() {
    Report r = report(1_000, 3_500, 0); // 3.5 µs of handler per call, 20 µs to route one

    Profile p = Profile.of(r, 20_000);

    assertThat(p.scaleFirst().compartment()).isEqualTo("Node#2");
    assertThat(p.scaleFirst().recommended()).isEqualTo(1);
    assertThat(p.scaleFirst().why())
        .contains("routing does not pay: 1,000 calls x 20.0 µs = 20.0 ms of host time");
    assertThat(p.speedupAt(2)).as("nothing is enabled").isEqualTo(1.0);
    assertThat(p.predictedSpeedup()).isEqualTo(1.0);
    assertThat(Profile.of(r, 0).scaleFirst().recommended()).as("free routing").isEqualTo(4);
  }

  @Test
  void aBroadcastHandlerRunsInTheHostAndIsRoutedToEveryWorker() {
    String text =
        """
        {"schema": "compartment.report/1", "services": [{
          "service": "demo.Store",
          "handlers": [
            {"handler": "assign", "class": "SEQUENTIAL", "invocations": 1000, "confirmed": true,
             "costNs": 100000},
            {"handler": "put", "class": "PARTITIONABLE", "invocations": 1000, "confirmed": true,
             "costNs": 1000000},
            {"handler": "scan", "class": "SEQUENTIAL", "invocations": 10, "confirmed": true,
             "costNs": 1000000}
          ],
          "compartments": [
            {"id": "Store#1", "handlers": ["assign"], "plan": "KEEP"},
            {"id": "Store#2", "handlers": ["put", "scan"], "plan": "PARTITION",
             "routes": {"put": "arg0.key"}, "broadcast": ["scan"]}
          ]
        }]}
        """;

    Profile p = Profile.of(Report.fromJson(text, "test"), 20_000);

    // host: 100 ms core + 10 ms of scans + 20 µs x (1000 puts + 10 scans x N); a worker: 1000/N ms
    Profile.Entry store = p.scaleFirst();
    assertThat(store.routedCalls()).isEqualTo(1_000);
    assertThat(store.broadcastCalls()).isEqualTo(10);
    assertThat(store.recommended()).as("1000/8 = 125 ms is under the host's 131.6").isEqualTo(8);
    assertThat(p.speedupAt(8)).isCloseTo(1110 / 131.6, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(p.speedupAt(4)).as("a worker is slowest").isEqualTo(1110 / 250.0);
  }

  @Test
  void aDecoupledCompartmentIsNeverGivenMoreThanOneWorker() {
    String text =
        """
        {"schema": "compartment.report/1", "services": [{
          "service": "demo.Node",
          "handlers": [
            {"handler": "assign", "class": "SEQUENTIAL", "invocations": 1000, "confirmed": true,
             "costNs": 1000000},
            {"handler": "learn", "class": "MONOTONIC", "invocations": 1000, "confirmed": true,
             "costNs": 4000000}
          ],
          "compartments": [
            {"id": "Node#1", "handlers": ["assign"], "plan": "KEEP"},
            {"id": "Node#2", "handlers": ["learn"], "plan": "DECOUPLE"}
          ]
        }]}
        """;

    Profile.Entry learn = Profile.of(Report.fromJson(text, "test"), 0).scaleFirst();

    assertThat(learn.recommended()).isEqualTo(1);
    assertThat(learn.why()).startsWith("one worker would take it off the host: the process 1.25x");
  }

  @Test
  void aRouteCostThatIsNotANumberIsNamed() {
    System.setProperty(Profile.ROUTE_NS_PROP, "20us");
    try {
      org.assertj.core.api.Assertions.assertThatThrownBy(Profile::configuredRouteNs)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("compartment.profile.route.ns=20us is not a whole number");
    } finally {
      System.clearProperty(Profile.ROUTE_NS_PROP);
    }
    assertThat(Profile.configuredRouteNs()).as("unset").isEqualTo(-1);
  }

  @Test
  void theRouteCostTheAgentMeasuredIsUsedAndKeptInTheReportUnlessASettingOverridesIt() {
    Report measured = report(1_000_000, 3_500_000, 0).withMeasuredRouteNs(5_000_000);

    assertThat(measured.profile().routeNs()).isEqualTo(5_000_000);
    assertThat(measured.profile().routeSource()).isEqualTo("measured");
    assertThat(measured.profile().scaleFirst().why()).startsWith("routing does not pay");
    Report again = Report.fromJson(measured.toJsonText(), "again");
    assertThat(again.measuredRouteNs()).isEqualTo(5_000_000);
    assertThat(ReportTable.render(again))
        .contains("routing costs the host 5000.0 µs per call in the model (measured by the agent");
    assertThat(report(1, 1, 0).profile().routeSource()).isEqualTo("default");
    System.setProperty(Profile.ROUTE_NS_PROP, "0");
    try {
      assertThat(measured.profile().routeSource()).isEqualTo("setting");
      assertThat(measured.profile().scaleFirst().recommended()).isEqualTo(4);
    } finally {
      System.clearProperty(Profile.ROUTE_NS_PROP);
    }
  }
}
