package io.compartment.analyzer.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compartment.analyzer.json.Json;
import io.compartment.analyzer.json.JsonException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceTest {

  @Test
  void distinctKeyCountsStayUncappedAfterAReadBack() {
    HandlerTrace h = new HandlerTrace("put", "put", "()V", "S");
    h.begin(Map.of("arg0", 1L))
        .access(
            "data",
            AccessScope.KEYED,
            Invocation.Op.WRITE,
            "put",
            WriteKind.GROW,
            1L,
            null,
            null,
            null)
        .end();

    FieldObservation back =
        HandlerTrace.fromJson(
                new io.compartment.analyzer.json.JsonObject(
                    Json.parse(Json.write(h.toJson()), "t"), "t"))
            .fields()
            .get("data");

    assertThat(back.distinctKeys()).isEqualTo(1);
    assertThat(back.distinctKeysCapped()).isFalse();
  }

  @Test
  void aWholeAccessWithoutKeysLeavesACounterexample() {
    HandlerTrace h = new HandlerTrace("scan", "scan", "()V", "S");
    h.begin(Map.of("arg0", "x"))
        .access(
            "log",
            AccessScope.WHOLE,
            Invocation.Op.READ,
            "iterator",
            null,
            null,
            null,
            null,
            "S.java:3")
        .end();

    FieldObservation f = h.fields().get("log");
    assertThat(f.wholeInvocations()).isEqualTo(1);
    assertThat(f.counterexample())
        .containsEntry("reason", "whole-collection access (iterator)")
        .containsEntry("site", "S.java:3");
  }

  @Test
  void anUnknownWriteKindIsAnErrorWithItsPlace() {
    String text =
        "{\"schema\":\"compartment.trace/1\",\"services\":[{\"service\":\"S\",\"handlers\":"
            + "[{\"handler\":\"h\",\"fields\":[{\"field\":\"f\",\"writeKinds\":{\"SHRINK\":1}}]}]}]}";

    assertThatThrownBy(() -> Trace.fromJson(text, "t.json"))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("t.json.services[0].handlers[0].fields[0].writeKinds")
        .hasMessageContaining("unknown write kind \"SHRINK\"");
  }

  @Test
  void aStructuralErrorCanBeLocatedInTheText() {
    String text =
        "{\n  \"schema\": \"compartment.trace/1\",\n  \"services\": [\n    {\"service\": \"S\",\n"
            + "     \"handlers\": [{\"handler\": 3}]}\n  ]\n}\n";
    JsonException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            JsonException.class, () -> Trace.fromJson(text, "t.json"));

    assertThat(e.where()).isEqualTo("t.json.services[0].handlers[0].handler");
    assertThat(Json.locate(text, ".services[0].handlers[0].handler")).containsExactly(5, 31);
    assertThat(Json.locate(text, ".services[0]")).containsExactly(4, 5);
    assertThat(Json.locate(text, "")).containsExactly(1, 1);
    assertThat(List.of(e.problem())).containsExactly("expected a string");
  }
}
