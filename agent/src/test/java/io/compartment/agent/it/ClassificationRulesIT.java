package io.compartment.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every classification rule and trap of DESIGN section 3, observed by the real agent jar in a child
 * JVM running the scenario services.
 */
class ClassificationRulesIT {
  private static final String PKG = "io.compartment.scenarios.";
  @TempDir static Path dir;
  private static AgentRun run;

  @BeforeAll
  static void runScenarios() throws Exception {
    run = AgentRun.run(dir, "", PKG + "Scenarios", "3000");
    assertThat(run.exitCode).as(run.output).isZero();
    assertThat(run.output).contains("SCENARIOS DONE");
  }

  private static Map<String, Object> handler(String service, String name) throws Exception {
    return run.handler(PKG + service, name);
  }

  @Test
  void counterWhoseExactValueIsEmittedIsSequentialNotMonotonic() throws Exception {
    Map<String, Object> h = handler("Sequencer", "assign");
    assertThat(h.get("class")).isEqualTo("SEQUENTIAL");
    assertThat(h.get("reasons").toString()).contains("nextId");
    assertThat(h.get("counterexample")).isNotNull();
  }

  @Test
  void counterNeverHandedOutIsMonotonic() throws Exception {
    assertThat(handler("Sequencer", "count").get("class")).isEqualTo("MONOTONIC");
  }

  @Test
  void maxRegisterMergeThatEmitsTheMergedValueIsMonotonic() throws Exception {
    Map<String, Object> h = handler("MaxRegister", "promise");
    assertThat(h.get("class")).isEqualTo("MONOTONIC");
    assertThat(h.get("monotone")).isEqualTo(true);
  }

  @Test
  void handlerWritingTwoKeysOfOneMapIsSequentialWithBothKeysInTheCounterexample() throws Exception {
    Map<String, Object> h = handler("Accounts", "transfer");
    assertThat(h.get("class")).isEqualTo("SEQUENTIAL");
    @SuppressWarnings("unchecked")
    Map<String, Object> ex = (Map<String, Object>) h.get("counterexample");
    assertThat(ex).isNotNull();
    assertThat((List<?>) ex.get("keys")).hasSize(2);
    assertThat(ex.get("keys").toString()).contains("acct");
  }

  @Test
  void singleKeyMergeIsPartitionableOnThatAttribute() throws Exception {
    Map<String, Object> h = handler("Accounts", "deposit");
    assertThat(h.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(h.get("partitionKey")).isEqualTo("arg0.account");
  }

  @Test
  void removalOfAWholeRangeThroughAViewIsSequential() throws Exception {
    assertThat(handler("TruncatingLog", "truncate").get("class")).isEqualTo("SEQUENTIAL");
    Map<String, Object> append = handler("TruncatingLog", "append");
    assertThat(append.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(append.get("partitionKey")).isEqualTo("arg0.slot");
  }

  @Test
  void keyReachedThroughGettersTwoLevelsDeepIsFound() throws Exception {
    Map<String, Object> h = handler("DeepKeys", "onEnvelope");
    assertThat(h.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(h.get("partitionKey")).isEqualTo("arg0.header.txId");
  }

  @Test
  void accessesThroughHelperAliasLambdaAndInnerClassCountAsTheHandlers() throws Exception {
    Map<String, Object> h = handler("Helpers", "onVote");
    assertThat(h.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(h.get("partitionKey")).isEqualTo("arg0.request");
    assertThat(h.get("monotone")).isEqualTo(true);
    assertThat(h.get("evidence").toString()).contains("tally").contains("decided");
  }

  @Test
  void stateHeldInAnotherClassIsTracedUnderItsOwnerQualifiedName() throws Exception {
    Map<String, Object> h = handler("Ledgered", "onEntry");
    assertThat(h.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(h.get("partitionKey")).isEqualTo("arg0.slot");
    assertThat(run.service(PKG + "Ledgered").get("state").toString()).contains("Ledger.entries");
  }

  @Test
  void relayThatReadsOnlyTheMessageAndConfigurationIsStateless() throws Exception {
    assertThat(handler("Misc", "relay").get("class")).isEqualTo("STATELESS");
  }

  @Test
  void handlerWritingAConfigurationFieldIsSequential() throws Exception {
    Map<String, Object> h = handler("Misc", "reconfigure");
    assertThat(h.get("class")).isEqualTo("SEQUENTIAL");
    assertThat(h.get("reasons").toString()).contains("peers");
  }

  @Test
  void immutableCollectionReplacedWholeCountsItsChangedKeysAsKeyedWrites() throws Exception {
    Map<String, Object> h = handler("Misc", "upsert");
    assertThat(h.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(h.get("partitionKey")).isEqualTo("arg0.key");
  }

  @Test
  void handlerNeverCalledIsUnobserved() throws Exception {
    assertThat(handler("Misc", "neverCalled").get("class")).isEqualTo("UNOBSERVED");
  }

  @Test
  void invocationsAreCountedExactlyEvenWhenSampling() throws Exception {
    assertThat(((Number) handler("Accounts", "deposit").get("invocations")).longValue())
        .isEqualTo(3000);
  }

  @Test
  void traceIsWrittenBesideTheReportAndReadableByTheAnalyzer() throws Exception {
    Path trace = dir.resolve("report.trace.json");
    assertThat(trace).exists();
    io.compartment.analyzer.trace.Trace t =
        io.compartment.analyzer.trace.Trace.fromJson(
            java.nio.file.Files.readString(trace), trace.toString());
    assertThat(t.services()).containsKey(PKG + "Accounts");
  }
}
