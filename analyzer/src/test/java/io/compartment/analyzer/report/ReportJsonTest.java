package io.compartment.analyzer.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compartment.analyzer.classify.Classifier;
import io.compartment.analyzer.classify.Fixtures;
import io.compartment.analyzer.json.Json;
import io.compartment.analyzer.json.JsonException;
import io.compartment.analyzer.trace.Trace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportJsonTest {

  @Test
  void aReportSurvivesAJsonRoundTrip() {
    Report report = Classifier.classify(Fixtures.acceptorTrace());
    String text = report.toJsonText();

    Report back = Report.fromJson(text, "report.json");

    assertThat(back.toJsonText()).isEqualTo(text);
    assertThat(back.services())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.compartments().get(0).plan()).isEqualTo(Plan.PARTITION);
              assertThat(s.handler("onPhase2a").orElseThrow().staticFacts()).isNotNull();
            });
  }

  @Test
  void theReportHasTheMembersTheDesignFixes() {
    Report report = Classifier.classify(Fixtures.acceptorTrace());
    @SuppressWarnings("unchecked")
    Map<String, Object> root = (Map<String, Object>) Json.parse(report.toJsonText(), "r");

    assertThat(root).containsEntry("schema", "compartment.report/1");
    @SuppressWarnings("unchecked")
    Map<String, Object> service =
        (Map<String, Object>) ((List<Object>) root.get("services")).get(0);
    assertThat(service).containsKeys("service", "state", "handlers", "compartments", "warnings");
    assertThat((List<?>) service.get("warnings")).hasSize(1);
    @SuppressWarnings("unchecked")
    Map<String, Object> state = (Map<String, Object>) ((List<Object>) service.get("state")).get(0);
    assertThat(state).containsKeys("field", "kind", "writes", "access", "replicable");
    @SuppressWarnings("unchecked")
    Map<String, Object> handler =
        (Map<String, Object>) ((List<Object>) service.get("handlers")).get(1);
    assertThat(handler)
        .containsKeys(
            "handler",
            "class",
            "partitionKey",
            "monotone",
            "invocations",
            "confirmed",
            "reasons",
            "counterexample",
            "recorded",
            "evidence",
            "static");
    assertThat(handler)
        .containsEntry("class", "PARTITIONABLE")
        .containsEntry("partitionKey", "arg0.slot");
    @SuppressWarnings("unchecked")
    Map<String, Object> compartment =
        (Map<String, Object>) ((List<Object>) service.get("compartments")).get(0);
    assertThat(compartment)
        .containsKeys(
            "id",
            "handlers",
            "state",
            "plan",
            "routes",
            "replicated",
            "broadcast",
            "confirmed",
            "reasons");
    assertThat(compartment).containsEntry("id", "Acceptor#1").containsEntry("plan", "PARTITION");
  }

  @Test
  void aDocumentWithAnotherSchemaIsRefused() {
    assertThatThrownBy(
            () ->
                Report.fromJson(
                    "{\"schema\": \"compartment.trace/1\", \"services\": []}", "x.json"))
        .isInstanceOf(JsonException.class)
        .hasMessage("x.json: schema is \"compartment.trace/1\", expected \"compartment.report/1\"");
  }

  @Test
  void anUnknownHandlerClassIsNamedWithItsPlace() {
    String text =
        "{\"schema\": \"compartment.report/1\", \"services\": [{\"service\": \"S\", "
            + "\"handlers\": [{\"handler\": \"h\", \"class\": \"FAST\", \"confirmed\": true}]}]}";

    assertThatThrownBy(() -> Report.fromJson(text, "x.json"))
        .isInstanceOf(JsonException.class)
        .hasMessageStartingWith("x.json.services[0].handlers[0].class: unknown value \"FAST\"");
  }

  @Test
  void aTraceSurvivesAJsonRoundTrip() {
    Trace trace = Fixtures.acceptorTrace();
    String text = Json.write(trace.toJson());

    Trace back = Trace.fromJson(text, "trace.json");

    assertThat(Json.write(back.toJson())).isEqualTo(text);
    assertThat(Classifier.classify(back).toJsonText())
        .isEqualTo(Classifier.classify(trace).toJsonText());
  }

  @Test
  void theTableShowsHandlersCompartmentsAndWarnings() {
    String table = ReportTable.render(Classifier.classify(Fixtures.acceptorTrace()));

    assertThat(table)
        .startsWith(
            "Service demo.paxos.Acceptor  (2 handlers, 2 observed; 2 state fields; 1 instance)");
    assertThat(table)
        .contains("HANDLER", "CLASS", "KEY", "MONOTONE", "INVOCATIONS", "CONFIRMED", "REASON");
    assertThat(table)
        .containsPattern("onPhase2a +PARTITIONABLE +arg0\\.slot +yes +1000 +NO +log accessed only");
    assertThat(table)
        .containsPattern(
            "Acceptor#1 +PARTITION\\? +onPhase1a,onPhase2a +onPhase2a->arg0\\.slot +ballot +onPhase1a");
    assertThat(table).contains("warning: field demo.paxos.Acceptor.peers is not @State");
    for (String line : table.split("\n"))
      assertThat(line.length()).isLessThanOrEqualTo(ReportTable.WIDTH);
  }

  @Test
  void anEmptyReportSaysSo() {
    assertThat(ReportTable.render(new Report(List.of()))).startsWith("No services observed");
  }
}
