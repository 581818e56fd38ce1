package io.compartment.analyzer.statics;

import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.analyzer.statics.samples.Journal;
import io.compartment.analyzer.statics.samples.SampleService;
import io.compartment.analyzer.trace.StateFieldInfo;
import io.compartment.analyzer.trace.StateKind;
import io.compartment.analyzer.trace.StaticFacts;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class StaticAnalyzerTest {
  private static final String SVC = SampleService.class.getName();
  private static final List<StateFieldInfo> STATE =
      List.of(
          state("log", StateKind.MAP),
          state("votes", StateKind.MAP),
          state("data", StateKind.MAP),
          state("nextSlot", StateKind.SCALAR),
          state("ballot", StateKind.SCALAR),
          state("acks", StateKind.SCALAR),
          state("counter", StateKind.SCALAR),
          state("voters", StateKind.SET),
          new StateFieldInfo(
              "Journal.entries",
              Journal.class.getName(),
              "entries",
              "java.util.Map",
              StateKind.MAP));

  private static StateFieldInfo state(String name, StateKind kind) {
    return new StateFieldInfo(name, SVC, name, "java.lang.Object", kind);
  }

  private static final Function<String, byte[]> BYTES =
      StaticAnalyzer.classLoaderBytes(StaticAnalyzerTest.class.getClassLoader());

  private final StaticAnalyzer analyzer = new StaticAnalyzer(BYTES, SVC, STATE, List.of());

  private StaticFacts facts(String method, Class<?> message, Class<?> returns) {
    String desc =
        "("
            + org.objectweb.asm.Type.getDescriptor(message)
            + ")"
            + org.objectweb.asm.Type.getDescriptor(returns);
    return analyzer.analyze(SVC, method, desc);
  }

  @Test
  void aKeyReachedThroughTwoGettersIsTracedToItsPath() {
    StaticFacts f = facts("onPrepare", SampleService.Prepare.class, void.class);

    assertThat(f.complete()).isTrue();
    assertThat(f.stateFieldsReached()).containsExactly("votes");
    assertThat(f.keySources()).containsOnlyKeys("votes");
    assertThat(f.keySources().get("votes")).containsExactly("arg0.header.txId");
    assertThat(f.escapes()).isEmpty();
  }

  @Test
  void aKeyPassedThroughAPrivateHelperKeepsItsPath() {
    StaticFacts f = facts("onAccept", SampleService.Accept.class, void.class);

    assertThat(f.keySources().get("log")).containsExactly("arg0.slot");
    assertThat(f.complete()).isTrue();
  }

  @Test
  void theKeyParameterOfAComputeIfAbsentLambdaIsTheKey() {
    StaticFacts f = facts("onLambda", SampleService.Prepare.class, void.class);

    assertThat(f.stateFieldsReached()).containsExactly("log", "votes");
    assertThat(f.keySources().get("votes")).containsExactly("arg0.header.txId");
    assertThat(f.keySources().get("log")).containsExactly("arg0.header.txId");
  }

  @Test
  void aLambdaCapturingTheMessageIsFollowed() {
    StaticFacts f = facts("onCapture", SampleService.Put.class, void.class);

    assertThat(f.keySources().get("data")).containsExactly("arg0.key");
  }

  @Test
  void aKeyThroughALocalAliasKeepsItsPath() {
    StaticFacts f = facts("onAlias", SampleService.Put.class, void.class);

    assertThat(f.keySources().get("data")).containsExactly("arg0.key");
  }

  @Test
  void aSelfAdvancingCounterIsSeenAndItsKeyComesFromNoAttribute() {
    StaticFacts f = facts("onAllocate", SampleService.Put.class, long.class);

    assertThat(f.selfAdvanced()).containsExactly("nextSlot");
    assertThat(f.keySources().get("log")).containsExactly("?");
    assertThat(f.thresholdOnly()).doesNotContain("nextSlot");
  }

  @Test
  void anAtomicIncrementIsASelfAdvance() {
    StaticFacts f = facts("onAtomic", SampleService.Put.class, long.class);

    assertThat(f.selfAdvanced()).containsExactly("counter");
    assertThat(f.thresholdOnly()).doesNotContain("counter");
  }

  @Test
  void readsUsedOnlyInComparisonsAreThresholdTests() {
    StaticFacts f = facts("onAck", SampleService.Accept.class, void.class);

    assertThat(f.thresholdOnly()).contains("ballot", "acks");
    assertThat(f.selfAdvanced()).containsExactly("acks");
  }

  @Test
  void aSizeOnlyComparedIsAThresholdTestOnACollection() {
    StaticFacts f = facts("onVote", SampleService.Put.class, void.class);

    assertThat(f.thresholdOnly()).containsExactly("voters");
    assertThat(f.keySources().get("voters")).containsExactly("arg0.key");
  }

  @Test
  void aReadHandedOutIsNoThresholdTest() {
    StaticFacts f = facts("onBallotOut", SampleService.Accept.class, long.class);

    assertThat(f.stateFieldsReached()).containsExactly("ballot");
    assertThat(f.thresholdOnly()).isEmpty();
  }

  @Test
  void aMaxMergeIsNoSelfAdvance() {
    StaticFacts f = facts("onMax", SampleService.Accept.class, void.class);

    assertThat(f.selfAdvanced()).isEmpty();
    assertThat(f.thresholdOnly()).containsExactly("ballot");
  }

  @Test
  void stateHandedToOutsideCodeEscapes() {
    StaticFacts f = facts("onEscape", SampleService.Put.class, void.class);

    assertThat(f.escapes())
        .containsExactly("data -> io.compartment.analyzer.statics.samples.Audit.record");
  }

  @Test
  void handingOutAScalarValueIsNoEscape() {
    StaticFacts f = facts("onNote", SampleService.Accept.class, void.class);

    assertThat(f.stateFieldsReached()).containsExactly("ballot");
    assertThat(f.escapes()).isEmpty();
    assertThat(f.thresholdOnly()).isEmpty();
  }

  @Test
  void aKeyFromAnotherAttributeIsReported() {
    StaticFacts f = facts("onWrongKey", SampleService.Accept.class, void.class);

    assertThat(f.keySources().get("log")).containsExactly("arg0.ballot");
  }

  @Test
  void stateHeldByAnotherClassIsFollowedIntoIt() {
    StaticFacts f = facts("onJournal", SampleService.Accept.class, void.class);

    assertThat(f.stateFieldsReached()).containsExactly("Journal.entries");
    assertThat(f.keySources().get("Journal.entries")).containsExactly("arg0.slot");
  }

  @Test
  void anInterfaceCallOnServiceSideCodeMakesThePassIncomplete() {
    StaticFacts f = facts("onStrategy", SampleService.Put.class, void.class);

    assertThat(f.complete()).isFalse();
    assertThat(f.notes()).anyMatch(n -> n.contains("SampleService$Strategy.apply"));
  }

  @Test
  void everyBranchCountsEvenIfNeverTaken() {
    StaticFacts f = facts("onBranch", SampleService.Put.class, void.class);

    assertThat(f.stateFieldsReached()).containsExactly("log", "data", "ballot");
    assertThat(f.keySources().get("data")).containsExactly("arg0.key");
    assertThat(f.keySources().get("log")).containsExactly("?");
  }

  @Test
  void aHandlerTouchingNoStateReachesNone() {
    StaticFacts f = facts("onPing", SampleService.Put.class, void.class);

    assertThat(f.stateFieldsReached()).isEmpty();
    assertThat(f.complete()).isTrue();
  }

  @Test
  void iteratingStateGivesNoKeys() {
    StaticFacts f = facts("onRange", SampleService.Accept.class, void.class);

    assertThat(f.stateFieldsReached()).containsExactly("log");
    assertThat(f.keySources()).doesNotContainKey("log");
    assertThat(f.thresholdOnly()).isEmpty();
  }

  @Test
  void missingClassBytesGiveIncompleteFactsNotAnException() {
    StaticFacts f =
        StaticAnalyzer.analyze(
            name -> null,
            SVC,
            "onPing",
            "(Lio/compartment/analyzer/statics/samples/SampleService$Put;)V",
            STATE,
            List.of());

    assertThat(f.complete()).isFalse();
    assertThat(f.notes()).singleElement().asString().contains("not available");
  }

  @Test
  void brokenClassBytesGiveIncompleteFactsNotAnException() {
    StaticFacts f =
        StaticAnalyzer.analyze(
            name -> new byte[] {1, 2, 3}, SVC, "onPing", "()V", STATE, List.of());

    assertThat(f.complete()).isFalse();
    assertThat(f.notes()).singleElement().asString().startsWith("static pass failed");
  }

  @Test
  void anUnknownMethodGivesIncompleteFacts() {
    StaticFacts f = analyzer.analyze(SVC, "noSuchHandler", "()V");

    assertThat(f.complete()).isFalse();
  }
}
