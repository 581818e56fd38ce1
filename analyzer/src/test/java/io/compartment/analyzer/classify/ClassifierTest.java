package io.compartment.analyzer.classify;

import static io.compartment.analyzer.classify.Traces.attrs;
import static io.compartment.analyzer.classify.Traces.confirming;
import static io.compartment.analyzer.classify.Traces.field;
import static io.compartment.analyzer.classify.Traces.handler;
import static io.compartment.analyzer.classify.Traces.keyedRead;
import static io.compartment.analyzer.classify.Traces.keyedWrite;
import static io.compartment.analyzer.classify.Traces.scalarRead;
import static io.compartment.analyzer.classify.Traces.scalarWrite;
import static io.compartment.analyzer.classify.Traces.service;
import static io.compartment.analyzer.classify.Traces.wholeRead;
import static io.compartment.analyzer.classify.Traces.wholeWrite;
import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.analyzer.report.FieldAccess;
import io.compartment.analyzer.report.HandlerClass;
import io.compartment.analyzer.report.HandlerReport;
import io.compartment.analyzer.report.ServiceReport;
import io.compartment.analyzer.report.StateFieldReport;
import io.compartment.analyzer.trace.HandlerTrace;
import io.compartment.analyzer.trace.Invocation;
import io.compartment.analyzer.trace.ServiceTrace;
import io.compartment.analyzer.trace.StateKind;
import io.compartment.analyzer.trace.StaticFacts;
import io.compartment.analyzer.trace.WriteKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClassifierTest {

  private static HandlerReport only(ServiceReport r, String handler) {
    return r.handler(handler).orElseThrow();
  }

  @Test
  void aCounterThatOnlyGrowsButHandsOutItsExactValueIsSequential() {
    ServiceTrace s = service("demo.Sequencer", field("nextSeq", StateKind.SCALAR));
    HandlerTrace h = handler(s, "onRequest");
    for (long i = 0; i < 100; i++) {
      Invocation inv = h.begin(attrs("arg0", "req" + i, "arg0.client", "c" + (i % 7)));
      scalarRead(inv, "nextSeq", i);
      scalarWrite(inv, "nextSeq", WriteKind.INFLATE, i, i + 1);
      inv.emit("reply", List.of("req" + i, i)).end();
    }
    h.staticFacts(confirming(Map.of(), "nextSeq"));

    HandlerReport r = only(Classifier.classify(s), "onRequest");

    assertThat(r.handlerClass()).isEqualTo(HandlerClass.SEQUENTIAL);
    assertThat(r.firstReason())
        .startsWith("allocates nextSeq: advances it by itself and hands out the exact value");
    assertThat(r.counterexample()).containsEntry("field", "nextSeq").containsEntry("old", "0");
    assertThat(r.monotone()).isFalse();
    assertThat(r.confirmed()).isTrue();
  }

  @Test
  void aPlainCounterNeverHandedOutIsMonotonic() {
    ServiceTrace s = service("demo.Stats", field("hits", StateKind.SCALAR));
    HandlerTrace h = handler(s, "onHit");
    for (long i = 0; i < 100; i++) {
      Invocation inv = h.begin(attrs("arg0", "page" + i));
      scalarRead(inv, "hits", i);
      scalarWrite(inv, "hits", WriteKind.INFLATE, i, i + 1);
      inv.emit("ack", List.of("page" + i)).end();
    }
    h.staticFacts(confirming(Map.of(), "hits"));

    ServiceReport report = Classifier.classify(s);
    HandlerReport r = only(report, "onHit");

    assertThat(r.handlerClass()).isEqualTo(HandlerClass.MONOTONIC);
    assertThat(r.monotone()).isTrue();
    assertThat(r.confirmed()).isTrue();
    assertThat(r.reasons()).anyMatch(x -> x.contains("hits: read to merge into itself"));
    assertThat(report.compartments())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.plan()).isEqualTo(io.compartment.analyzer.report.Plan.DECOUPLE);
              assertThat(c.handlers()).containsExactly("onHit");
            });
  }

  @Test
  void aMaxRegisterMergeThatEmitsTheMergedValueIsMonotonic() {
    ServiceTrace s = service("demo.MaxReg", field("ballot", StateKind.SCALAR));
    HandlerTrace h = handler(s, "onPrepare");
    long ballot = 0;
    for (long i = 0; i < 200; i++) {
      long b = i % 3 == 0 ? ballot - 1 : ballot + 1 + (i % 5);
      Invocation inv = h.begin(attrs("arg0", "prep" + i, "arg0.ballot", b));
      scalarRead(inv, "ballot", ballot);
      long merged = Math.max(ballot, b);
      scalarWrite(inv, "ballot", WriteKind.INFLATE, ballot, merged);
      inv.emit("promise", List.of(merged)).end();
      ballot = merged;
    }
    h.staticFacts(confirming(Map.of(), "ballot"));

    HandlerReport r = only(Classifier.classify(s), "onPrepare");

    assertThat(r.handlerClass()).isEqualTo(HandlerClass.MONOTONIC);
    assertThat(r.monotone()).isTrue();
    assertThat(r.counterexample()).isNull();
  }

  @Test
  void aHandlerWritingTwoKeysOfOneMapIsSequentialWithBothKeysInTheCounterexample() {
    ServiceTrace s = service("demo.Bank", field("balances", StateKind.MAP));
    HandlerTrace h = handler(s, "onTransfer");
    for (int i = 0; i < 50; i++) {
      Invocation inv =
          h.begin(attrs("arg0", "t" + i, "arg0.from", "alice" + i, "arg0.to", "bob" + i));
      keyedRead(inv, "balances", "alice" + i);
      keyedWrite(inv, "balances", WriteKind.NONMONOTONE, "alice" + i);
      keyedWrite(inv, "balances", WriteKind.INFLATE, "bob" + i);
      inv.end();
    }

    HandlerReport r = only(Classifier.classify(s), "onTransfer");

    assertThat(r.handlerClass()).isEqualTo(HandlerClass.SEQUENTIAL);
    assertThat(r.firstReason()).isEqualTo("balances: two or more keys in one invocation (50/50)");
    @SuppressWarnings("unchecked")
    List<String> keys = (List<String>) r.counterexample().get("keys");
    assertThat(keys).containsExactly("\"alice0\"", "\"bob0\"");
    assertThat(r.confirmed()).isTrue();
  }

  @Test
  void theReasonGivenFirstIsTheOneTheCounterexampleShows() {
    ServiceTrace s = service("demo.Bank", field("balances", StateKind.MAP));
    HandlerTrace h = handler(s, "onCommit");
    for (int i = 0; i < 40; i++) {
      Invocation inv = h.begin(attrs("arg0.tx", "tx" + i));
      keyedWrite(inv, "balances", WriteKind.NONMONOTONE, "acct" + i);
      if (i % 2 == 1) keyedWrite(inv, "balances", WriteKind.NONMONOTONE, "acct" + (i + 1));
      inv.end();
    }

    HandlerReport r = only(Classifier.classify(s), "onCommit");

    assertThat(r.firstReason()).startsWith("balances: key equals no message attribute");
    assertThat(r.counterexample()).containsEntry("reason", "key equals no message attribute");
  }

  @Test
  void readingSeveralKeysOfStateThatChangesNonMonotonicallyIsNotMonotonic() {
    ServiceTrace s = service("demo.Bank", field("balances", StateKind.MAP));
    HandlerTrace audit = handler(s, "onAudit");
    HandlerTrace deposit = handler(s, "onWithdraw");
    for (int i = 0; i < 40; i++) {
      Invocation inv = audit.begin(attrs("arg0", "audit" + i));
      keyedRead(inv, "balances", "a");
      keyedRead(inv, "balances", "b");
      inv.end();
      keyedWrite(deposit.begin(attrs("arg0.account", "a")), "balances", WriteKind.NONMONOTONE, "a")
          .end();
    }

    HandlerReport r = only(Classifier.classify(s), "onAudit");

    assertThat(r.handlerClass()).isEqualTo(HandlerClass.SEQUENTIAL);
    assertThat(r.reasons().get(1))
        .isEqualTo(
            "not MONOTONIC: balances: reads two or more keys in one "
                + "invocation (40/40) of state that changes non-monotonically");
  }

  @Test
  void removingAWholeRangeOfAMapIsSequential() {
    ServiceTrace s = service("demo.Log", field("log", StateKind.MAP));
    HandlerTrace append = handler(s, "onAppend");
    HandlerTrace truncate = handler(s, "onTruncate");
    for (long i = 0; i < 200; i++) {
      keyedWrite(append.begin(attrs("arg0.slot", i)), "log", WriteKind.GROW, i).end();
      if (i % 12 == 0) {
        wholeWrite(truncate.begin(attrs("arg0.upTo", i)), "log", "headMap", WriteKind.NONMONOTONE)
            .end();
      }
    }

    ServiceReport report = Classifier.classify(s);
    HandlerReport r = only(report, "onTruncate");

    assertThat(r.handlerClass()).isEqualTo(HandlerClass.SEQUENTIAL);
    assertThat(r.firstReason())
        .isEqualTo("log: whole-collection access headMap in 17/17 invocations");
    assertThat(r.counterexample())
        .containsEntry("reason", "whole-collection access (headMap)")
        .containsEntry("op", "headMap");
    assertThat(report.compartments())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.plan()).isEqualTo(io.compartment.analyzer.report.Plan.KEEP);
              assertThat(c.handlers()).containsExactly("onAppend", "onTruncate");
              assertThat(c.reasons().get(0))
                  .startsWith("onTruncate is SEQUENTIAL: log: whole-collection access");
            });
    assertThat(report.field("log").orElseThrow().access()).isEqualTo(FieldAccess.MIXED);
  }

  @Test
  void aKeyReachedTwoLevelsDeepPartitionsOnThatPath() {
    ServiceTrace s = service("demo.Coordinator", field("pending", StateKind.MAP));
    HandlerTrace h = handler(s, "onPrepare");
    for (long i = 0; i < 300; i++) {
      long tx = 1000 + i;
      Invocation inv =
          h.begin(
              attrs(
                  "arg0",
                  "Prepare#" + i,
                  "arg0.header",
                  "Header#" + i,
                  "arg0.header.txId",
                  tx,
                  "arg0.header.epoch",
                  3L,
                  "arg0.vote",
                  i % 2 == 0));
      keyedRead(inv, "pending", tx);
      keyedWrite(inv, "pending", WriteKind.GROW, tx);
      inv.end();
    }
    h.staticFacts(confirming(Map.of("pending", "arg0.header.txId"), "pending"));

    HandlerReport r = only(Classifier.classify(s), "onPrepare");

    assertThat(r.handlerClass()).isEqualTo(HandlerClass.PARTITIONABLE);
    assertThat(r.partitionKey()).isEqualTo("arg0.header.txId");
    assertThat(r.monotone()).isTrue();
    assertThat(r.confirmed()).isTrue();
    assertThat(r.reasons())
        .contains(
            "pending accessed only at key arg0.header.txId (300/300 invocations)",
            "distinct keys of pending: 300");
  }

  @Test
  void aKeyEqualToNoMessageAttributeIsSequential() {
    ServiceTrace s = service("demo.Kv", field("data", StateKind.MAP));
    HandlerTrace h = handler(s, "onPut");
    for (int i = 0; i < 40; i++) {
      // put overwrites: an incomparable overwrite is NONMONOTONE, so MONOTONIC does not apply
      // either
      keyedWrite(
              h.begin(attrs("arg0.key", "k" + i, "arg0.value", i)),
              "data",
              WriteKind.NONMONOTONE,
              ("k" + i).hashCode() % 16)
          .end();
    }

    HandlerReport r = only(Classifier.classify(s), "onPut");

    assertThat(r.handlerClass()).isEqualTo(HandlerClass.SEQUENTIAL);
    assertThat(r.firstReason()).startsWith("data: key equals no message attribute");
    assertThat(r.counterexample()).containsEntry("reason", "key equals no message attribute");
  }

  @Test
  void aHandlerTouchingNoStateIsStateless() {
    ServiceTrace s = service("demo.Echo", field("data", StateKind.MAP));
    HandlerTrace h = handler(s, "onPing");
    for (int i = 0; i < 30; i++) h.begin(attrs("arg0", i)).emit("pong", List.of(i)).end();
    h.staticFacts(confirming(Map.of()));

    ServiceReport report = Classifier.classify(s);
    HandlerReport r = only(report, "onPing");

    assertThat(r.handlerClass()).isEqualTo(HandlerClass.STATELESS);
    assertThat(r.confirmed()).isTrue();
    assertThat(report.compartments())
        .singleElement()
        .satisfies(
            c -> assertThat(c.plan()).isEqualTo(io.compartment.analyzer.report.Plan.REPLICATE));
  }

  @Test
  void aStatelessVerdictIsLoweredWhenTheBytecodeReachesState() {
    ServiceTrace s = service("demo.Echo", field("data", StateKind.MAP));
    HandlerTrace h = handler(s, "onPing");
    for (int i = 0; i < 30; i++) h.begin(attrs("arg0", i)).end();
    h.staticFacts(confirming(Map.of(), "data"));

    HandlerReport r = only(Classifier.classify(s), "onPing");

    assertThat(r.handlerClass()).isEqualTo(HandlerClass.STATELESS);
    assertThat(r.confirmed()).isFalse();
    assertThat(r.reasons()).contains("state field data reachable on paths never executed");
  }

  @Test
  void aHandlerNeverInvokedIsUnobservedAndInNoCompartment() {
    ServiceTrace s = service("demo.Kv", field("data", StateKind.MAP));
    handler(s, "onRecover");

    ServiceReport report = Classifier.classify(s);

    assertThat(only(report, "onRecover").handlerClass()).isEqualTo(HandlerClass.UNOBSERVED);
    assertThat(report.compartments()).isEmpty();
    assertThat(report.notes()).anyMatch(n -> n.startsWith("onRecover was never observed"));
  }

  @Test
  void writingAConfigurationFieldIsSequential() {
    ServiceTrace s = service("demo.Node", field("data", StateKind.MAP));
    s.config().add("peers");
    HandlerTrace h = handler(s, "onJoin");
    for (int i = 0; i < 25; i++) h.begin(attrs("arg0", "n" + i)).configWrite("peers").end();

    HandlerReport r = only(Classifier.classify(s), "onJoin");

    assertThat(r.handlerClass()).isEqualTo(HandlerClass.SEQUENTIAL);
    assertThat(r.firstReason()).startsWith("writes configuration field peers (not @State)");
  }

  @Test
  void lostEventsMakeAHandlerSequential() {
    ServiceTrace s = service("demo.Kv", field("data", StateKind.MAP));
    HandlerTrace h = handler(s, "onPut");
    for (int i = 0; i < 25; i++) {
      Invocation inv =
          keyedWrite(h.begin(attrs("arg0.key", "k" + i)), "data", WriteKind.GROW, "k" + i);
      if (i == 3) inv.truncated();
      inv.end();
    }

    HandlerReport r = only(Classifier.classify(s), "onPut");

    assertThat(r.handlerClass()).isEqualTo(HandlerClass.SEQUENTIAL);
    assertThat(r.firstReason()).contains("events were lost in 1/25");
  }

  @Test
  void aKeyedGrowOnlySetIsPartitionableAndMonotone() {
    ServiceTrace s = service("demo.Dedup", field("seen", StateKind.SET));
    HandlerTrace h = handler(s, "onMessage");
    for (long i = 0; i < 500; i++) {
      long id = i % 250;
      Invocation inv = h.begin(attrs("arg0", "m" + i, "arg0.id", id));
      keyedRead(inv, "seen", id);
      if (i < 250) keyedWrite(inv, "seen", WriteKind.GROW, id);
      inv.end();
    }
    h.staticFacts(confirming(Map.of("seen", "arg0.id"), "seen"));

    ServiceReport report = Classifier.classify(s);
    HandlerReport r = only(report, "onMessage");

    assertThat(r.handlerClass()).isEqualTo(HandlerClass.PARTITIONABLE);
    assertThat(r.partitionKey()).isEqualTo("arg0.id");
    assertThat(r.monotone()).isTrue();
    assertThat(r.confirmed()).isTrue();
    assertThat(r.reasons()).contains("distinct keys of seen: 250");
    assertThat(report.compartments())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.plan()).isEqualTo(io.compartment.analyzer.report.Plan.PARTITION);
              assertThat(c.routes()).containsExactly(Map.entry("onMessage", "arg0.id"));
              assertThat(c.confirmed()).isTrue();
            });
  }

  @Test
  void theBestKeyHasTheFewestSegmentsThenTheLowestArgument() {
    ServiceTrace s = service("demo.Kv", field("data", StateKind.MAP));
    HandlerTrace h = handler(s, "onPut");
    for (int i = 0; i < 30; i++) {
      keyedWrite(
              h.begin(attrs("arg1", "k" + i, "arg0.key", "k" + i, "arg0", "k" + i)),
              "data",
              WriteKind.GROW,
              "k" + i)
          .end();
    }

    HandlerReport r = only(Classifier.classify(s), "onPut");

    assertThat(r.partitionKey()).isEqualTo("arg0");
    assertThat(r.reasons()).contains("also always equal to the key: arg1, arg0.key");
    assertThat(r.reasons()).contains("no static confirmation");
    assertThat(r.confirmed()).isFalse();
  }

  /** An acceptor: a replicated max ballot, a log keyed by slot, and a phase 1 that reads it all. */
  static ServiceTrace acceptor() {
    ServiceTrace s =
        service(
            "demo.paxos.Acceptor", field("ballot", StateKind.SCALAR), field("log", StateKind.MAP));
    HandlerTrace phase1 = handler(s, "onPhase1a");
    HandlerTrace phase2 = handler(s, "onPhase2a");
    long ballot = 0;
    for (long round = 1; round <= 5; round++) {
      Invocation p1 = phase1.begin(attrs("arg0", "P1a#" + round, "arg0.ballot", round * 10));
      scalarRead(p1, "ballot", ballot);
      scalarWrite(p1, "ballot", WriteKind.INFLATE, ballot, round * 10);
      wholeRead(p1, "log", "entrySet");
      p1.emit("send", List.of(round * 10)).end();
      ballot = round * 10;
      for (long i = 0; i < 200; i++) {
        long slot = (round - 1) * 200 + i;
        Invocation p2 =
            phase2.begin(
                attrs(
                    "arg0",
                    "P2a#" + slot,
                    "arg0.slot",
                    slot,
                    "arg0.ballot",
                    ballot,
                    "arg0.value",
                    "v" + slot));
        scalarRead(p2, "ballot", ballot);
        scalarWrite(p2, "ballot", WriteKind.INFLATE, ballot, ballot);
        keyedWrite(p2, "log", WriteKind.GROW, slot);
        p2.emit("send", List.of(slot, ballot)).end();
      }
    }
    phase1.staticFacts(confirming(Map.of(), "ballot", "log"));
    phase2.staticFacts(confirming(Map.of("log", "arg0.slot"), "ballot", "log"));
    return s;
  }

  @Test
  void aReplicatedBallotWithAKeyedLogAndAWholeLogPhase1IsOnePartitionedCompartment() {
    ServiceReport report = Classifier.classify(acceptor());

    StateFieldReport ballot = report.field("ballot").orElseThrow();
    assertThat(ballot.replicable()).isTrue();
    assertThat(ballot.access()).isEqualTo(FieldAccess.SCALAR);
    assertThat(report.field("log").orElseThrow().replicable()).isFalse();

    HandlerReport phase2 = only(report, "onPhase2a");
    assertThat(phase2.handlerClass()).isEqualTo(HandlerClass.PARTITIONABLE);
    assertThat(phase2.partitionKey()).isEqualTo("arg0.slot");
    assertThat(phase2.confirmed()).isFalse();
    assertThat(phase2.reasons())
        .contains(
            "may raise replicated field ballot: partitions' copies are "
                + "briefly apart until the raise propagates; safe only if the protocol tolerates a delayed raise");
    assertThat(phase2.firstReason())
        .isEqualTo("log accessed only at key arg0.slot (1000/1000 invocations)");

    HandlerReport phase1 = only(report, "onPhase1a");
    assertThat(phase1.handlerClass()).isEqualTo(HandlerClass.SEQUENTIAL);
    assertThat(phase1.confirmed()).isTrue();

    assertThat(report.compartments())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.id()).isEqualTo("Acceptor#1");
              assertThat(c.plan()).isEqualTo(io.compartment.analyzer.report.Plan.PARTITION);
              assertThat(c.handlers()).containsExactly("onPhase1a", "onPhase2a");
              assertThat(c.state()).containsExactly("ballot", "log");
              assertThat(c.routes()).containsExactly(Map.entry("onPhase2a", "arg0.slot"));
              assertThat(c.replicated()).containsExactly("ballot");
              assertThat(c.broadcast()).containsExactly("onPhase1a");
              assertThat(c.confirmed()).isFalse();
              assertThat(c.reasons())
                  .contains(
                      "onPhase1a needs confirmation as a broadcast: only 5 invocations observed",
                      "onPhase2a may raise replicated field ballot: the raise is propagated to the other partitions as "
                          + "a max; safe only if the protocol tolerates a delayed raise",
                      "onPhase1a needs confirmation as a broadcast: it reads all of partitioned log,"
                          + " so each partition replies from its share; the merged replies equal"
                          + " the monolith's only if the reply is a union of per-key parts");
            });
  }

  @Test
  void aPartitionableHandlerSharingStateWithASequentialOneIsKept() {
    ServiceTrace s =
        service("demo.Kv", field("data", StateKind.MAP), field("index", StateKind.MAP));
    HandlerTrace put = handler(s, "onPut");
    HandlerTrace scan = handler(s, "onScan");
    HandlerTrace other = handler(s, "onIndex");
    for (int i = 0; i < 100; i++) {
      keyedWrite(put.begin(attrs("arg0.key", "k" + i)), "data", WriteKind.GROW, "k" + i).end();
      keyedWrite(other.begin(attrs("arg0.term", "t" + i)), "index", WriteKind.GROW, "t" + i).end();
      if (i % 10 == 0) {
        Invocation inv = scan.begin(attrs("arg0.prefix", "k"));
        wholeRead(inv, "data", "iterator");
        wholeWrite(inv, "data", "removeIf", WriteKind.NONMONOTONE);
        inv.end();
      }
    }

    ServiceReport report = Classifier.classify(s);

    assertThat(report.compartments()).hasSize(2);
    assertThat(report.compartments().get(0))
        .satisfies(
            c -> {
              assertThat(c.id()).isEqualTo("Kv#1");
              assertThat(c.handlers()).containsExactly("onPut", "onScan");
              assertThat(c.plan()).isEqualTo(io.compartment.analyzer.report.Plan.KEEP);
              assertThat(c.routes()).isEmpty();
            });
    assertThat(report.compartments().get(1))
        .satisfies(
            c -> {
              assertThat(c.id()).isEqualTo("Kv#2");
              assertThat(c.handlers()).containsExactly("onIndex");
              assertThat(c.plan()).isEqualTo(io.compartment.analyzer.report.Plan.PARTITION);
            });
  }

  @Test
  void aFieldReachableOnlyOnUnexecutedPathsLowersTheVerdict() {
    ServiceTrace s =
        service("demo.Kv", field("data", StateKind.MAP), field("tombstones", StateKind.SET));
    HandlerTrace h = handler(s, "onPut");
    for (int i = 0; i < 50; i++) {
      keyedWrite(h.begin(attrs("arg0.key", "k" + i)), "data", WriteKind.GROW, "k" + i).end();
    }
    h.staticFacts(confirming(Map.of("data", "arg0.key"), "data", "tombstones"));

    HandlerReport r = only(Classifier.classify(s), "onPut");

    assertThat(r.handlerClass()).isEqualTo(HandlerClass.PARTITIONABLE);
    assertThat(r.confirmed()).isFalse();
    assertThat(r.reasons()).contains("state field tombstones reachable on paths never executed");
  }

  @Test
  void aKeyTheBytecodeTakesFromAnotherAttributeLowersTheVerdict() {
    ServiceTrace s = service("demo.paxos.Acceptor", field("log", StateKind.MAP));
    HandlerTrace h = handler(s, "onPhase2a");
    for (long i = 0; i < 50; i++) {
      keyedWrite(h.begin(attrs("arg0.slot", i, "arg0.ballot", 7L)), "log", WriteKind.GROW, i).end();
    }
    Map<String, Set<String>> keys = new LinkedHashMap<>();
    keys.put("log", new LinkedHashSet<>(List.of("arg0.slot", "arg0.ballot")));
    h.staticFacts(
        new StaticFacts(true, Set.of("log"), keys, Set.of(), Set.of(), Set.of(), List.of()));

    HandlerReport r = only(Classifier.classify(s), "onPhase2a");

    assertThat(r.handlerClass()).isEqualTo(HandlerClass.PARTITIONABLE);
    assertThat(r.partitionKey()).isEqualTo("arg0.slot");
    assertThat(r.confirmed()).isFalse();
    assertThat(r.reasons()).contains("bytecode derives the key of log from arg0.ballot");
  }

  @Test
  void anIncompleteStaticPassOrAnEscapeLowersTheVerdict() {
    ServiceTrace s = service("demo.Kv", field("data", StateKind.MAP));
    HandlerTrace h = handler(s, "onPut");
    for (int i = 0; i < 50; i++) {
      keyedWrite(h.begin(attrs("arg0.key", "k" + i)), "data", WriteKind.GROW, "k" + i).end();
    }
    h.staticFacts(
        new StaticFacts(
            false,
            Set.of("data"),
            Map.of("data", Set.of("arg0.key")),
            Set.of(),
            Set.of(),
            Set.of("data -> demo.Audit.record"),
            List.of("cannot resolve demo.Store.save")));

    HandlerReport r = only(Classifier.classify(s), "onPut");

    assertThat(r.confirmed()).isFalse();
    assertThat(r.reasons())
        .contains(
            "static pass incomplete: cannot resolve demo.Store.save",
            "state escapes to code outside the service: data -> demo.Audit.record");
  }

  @Test
  void fewInvocationsLeaveAVerdictUnconfirmed() {
    ServiceTrace s = service("demo.Kv", field("data", StateKind.MAP));
    HandlerTrace h = handler(s, "onPut");
    for (int i = 0; i < 5; i++) {
      keyedWrite(h.begin(attrs("arg0.key", "k" + i)), "data", WriteKind.GROW, "k" + i).end();
    }
    h.staticFacts(confirming(Map.of("data", "arg0.key"), "data"));

    HandlerReport r = only(Classifier.classify(s), "onPut");

    assertThat(r.handlerClass()).isEqualTo(HandlerClass.PARTITIONABLE);
    assertThat(r.confirmed()).isFalse();
    assertThat(r.reasons()).contains("only 5 invocations observed");
  }

  @Test
  void aRareAllocationIsOnlyANote() {
    ServiceTrace s = service("demo.Stats", field("hits", StateKind.SCALAR));
    HandlerTrace h = handler(s, "onHit");
    for (long i = 0; i < 100; i++) {
      Invocation inv = h.begin(attrs("arg0", "page" + i));
      scalarRead(inv, "hits", i);
      scalarWrite(inv, "hits", WriteKind.INFLATE, i, i + 1);
      if (i == 50) inv.emit("log", List.of(i + 1));
      inv.end();
    }
    h.staticFacts(confirming(Map.of(), "hits"));

    HandlerReport r = only(Classifier.classify(s), "onHit");

    assertThat(r.handlerClass()).isEqualTo(HandlerClass.MONOTONIC);
    assertThat(r.reasons())
        .anyMatch(
            x -> x.startsWith("note: hits was advanced by itself and handed out in 1 of 100"));
  }

  @Test
  void aScalarThatIsOverwrittenArbitrarilyIsSequentialWithItsValues() {
    ServiceTrace s = service("demo.Leader", field("leader", StateKind.SCALAR));
    HandlerTrace h = handler(s, "onElect");
    String[] names = {"a", "b", "c"};
    for (int i = 0; i < 30; i++) {
      Invocation inv = h.begin(attrs("arg0", "Elect#" + i));
      scalarWrite(inv, "leader", WriteKind.NONMONOTONE, names[i % 3], names[(i + 1) % 3]);
      inv.end();
    }

    HandlerReport r = only(Classifier.classify(s), "onElect");

    assertThat(r.handlerClass()).isEqualTo(HandlerClass.SEQUENTIAL);
    assertThat(r.firstReason())
        .startsWith("leader: read or written as one value in 30/30 invocations");
    assertThat(r.reasons().get(1)).startsWith("not MONOTONIC: leader: 30 non-monotone writes");
    assertThat(r.counterexample()).containsEntry("old", "\"a\"").containsEntry("new", "\"b\"");
  }

  @Test
  void aThresholdTestOnAGrowOnlySetSizeIsMonotonicWhenTheBytecodeConfirmsIt() {
    ServiceTrace s = service("demo.Voting", field("votes", StateKind.SET));
    HandlerTrace h = handler(s, "onVote");
    for (long i = 0; i < 60; i++) {
      Invocation inv = h.begin(attrs("arg0", "Vote#" + i, "arg0.voter", "v" + (i % 13)));
      keyedWrite(inv, "votes", WriteKind.GROW, "v" + i);
      wholeRead(inv, "votes", "size");
      inv.end();
    }
    StaticFacts facts =
        Traces.withThresholdOnly(confirming(Map.of("votes", "?"), "votes"), "votes");
    h.staticFacts(facts);

    HandlerReport r = only(Classifier.classify(s), "onVote");
    assertThat(r.handlerClass()).isEqualTo(HandlerClass.MONOTONIC);

    h.staticFacts(confirming(Map.of("votes", "?"), "votes"));
    HandlerReport unconfirmed = only(Classifier.classify(s), "onVote");
    assertThat(unconfirmed.handlerClass()).isEqualTo(HandlerClass.SEQUENTIAL);
    assertThat(unconfirmed.reasons().get(1))
        .contains("not confirmed by the bytecode as a threshold test");
  }

  @Test
  void aThresholdTestOfAFieldThatAnotherHandlerLowersIsNotMonotonic() {
    ServiceTrace s = service("demo.Leases", field("epoch", StateKind.SCALAR));
    HandlerTrace check = handler(s, "onRenew");
    HandlerTrace reset = handler(s, "onReset");
    for (long i = 0; i < 60; i++) {
      Invocation inv = check.begin(attrs("arg0", "Renew#" + i, "arg0.epoch", i));
      scalarRead(inv, "epoch", i / 2);
      inv.end();
      Invocation r = reset.begin(attrs("arg0", "Reset#" + i));
      scalarWrite(r, "epoch", WriteKind.NONMONOTONE, i, 0L);
      r.end();
    }
    check.staticFacts(Traces.withThresholdOnly(confirming(Map.of(), "epoch"), "epoch"));

    HandlerReport r = only(Classifier.classify(s), "onRenew");

    assertThat(r.handlerClass()).isEqualTo(HandlerClass.SEQUENTIAL);
    assertThat(String.join(" ", r.reasons()))
        .contains("epoch: read here, and written non-monotonically by onReset");
  }

  @Test
  void aPartitionedHandlerThatCanRaiseAReplicatedFieldOnAnUnrunPathNeedsConfirmation() {
    ServiceTrace s =
        service(
            "demo.paxos.Acceptor", field("ballot", StateKind.SCALAR), field("log", StateKind.MAP));
    HandlerTrace phase1 = handler(s, "onPhase1a");
    HandlerTrace phase2 = handler(s, "onPhase2a");
    for (long round = 1; round <= 3; round++) {
      Invocation p1 = phase1.begin(attrs("arg0.ballot", round));
      scalarWrite(p1, "ballot", WriteKind.INFLATE, round - 1, round);
      p1.end();
    }
    for (long slot = 0; slot < 100; slot++) {
      Invocation p2 = phase2.begin(attrs("arg0.slot", slot, "arg0.ballot", 3L));
      scalarRead(p2, "ballot", 3L);
      keyedWrite(p2, "log", WriteKind.GROW, slot);
      p2.end();
    }
    StaticFacts base = confirming(Map.of("log", "arg0.slot"), "ballot", "log");
    phase2.staticFacts(base);
    assertThat(only(Classifier.classify(s), "onPhase2a").confirmed()).isTrue();

    phase2.staticFacts(
        new StaticFacts(
            true,
            base.stateFieldsReached(),
            base.keySources(),
            base.thresholdOnly(),
            base.selfAdvanced(),
            base.escapes(),
            base.notes(),
            Set.of("ballot", "log")));
    HandlerReport r = only(Classifier.classify(s), "onPhase2a");

    assertThat(r.handlerClass()).isEqualTo(HandlerClass.PARTITIONABLE);
    assertThat(r.confirmed()).isFalse();
    assertThat(String.join(" ", r.reasons()))
        .contains("may raise replicated field ballot (on a path the bytecode has, not seen run)");
  }

  @Test
  void handlersAreNumberedIntoCompartmentsInDeclarationOrder() {
    ServiceTrace s =
        service("demo.Multi$Inner", field("a", StateKind.MAP), field("b", StateKind.MAP));
    HandlerTrace first = handler(s, "first");
    HandlerTrace stateless = handler(s, "ping");
    HandlerTrace second = handler(s, "second");
    HandlerTrace third = handler(s, "third");
    for (int i = 0; i < 30; i++) {
      keyedWrite(first.begin(attrs("arg0", "k" + i)), "b", WriteKind.GROW, "k" + i).end();
      stateless.begin(attrs("arg0", i)).end();
      keyedWrite(second.begin(attrs("arg0", "k" + i)), "a", WriteKind.GROW, "k" + i).end();
      keyedRead(third.begin(attrs("arg0", "k" + i)), "b", "k" + i).end();
    }

    ServiceReport report = Classifier.classify(s);

    List<String> ids = new ArrayList<>();
    report.compartments().forEach(c -> ids.add(c.id() + "=" + String.join("+", c.handlers())));
    assertThat(ids).containsExactly("Inner#1=first+third", "Inner#2=ping", "Inner#3=second");
  }
}
