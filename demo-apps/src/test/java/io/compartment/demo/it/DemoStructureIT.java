package io.compartment.demo.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demos, each run under the real agent jar, reproduce the published structure of their
 * protocols (Compartmentalized Paxos; rule-driven rewrites of 2PC and Voting).
 */
class DemoStructureIT {
  private static final String MP = "io.compartment.demo.multipaxos.";
  @TempDir Path dir;

  @Test
  void multiPaxosHasSequentialSlotAssignmentAndSlotPartitionedPhaseTwo() throws Exception {
    DemoRun run = DemoRun.run(dir, "multipaxos", 3);
    Map<String, Object> assign = run.handler(MP + "Proposer", "onRequest");
    assertThat(assign.get("class")).isEqualTo("SEQUENTIAL");
    assertThat(assign.get("reasons").toString()).contains("nextSlot");

    Map<String, Object> collect = run.handler(MP + "Proposer", "onPhase2b");
    assertThat(collect.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(collect.get("partitionKey")).isEqualTo("arg0.slot");

    Map<String, Object> phase2 = run.handler(MP + "Acceptor", "onPhase2a");
    assertThat(phase2.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(phase2.get("partitionKey")).isEqualTo("arg0.slot");

    Map<String, Object> acceptors = run.compartmentOf(MP + "Acceptor", "onPhase2a");
    assertThat(acceptors.get("plan")).isEqualTo("PARTITION");
    assertThat(acceptors.get("routes").toString()).contains("onPhase2a=arg0.slot");
    assertThat(acceptors.get("replicated").toString()).contains("ballot");
    assertThat(acceptors.get("broadcast").toString()).contains("onPhase1a");
    // raising the replicated ballot inside a partition is offered for a person to confirm
    assertThat(acceptors.get("confirmed")).isEqualTo(false);
  }

  @Test
  void bftChecksMacsStatelesslyCollectsRepliesPerRequestAndKeepsOrderingSequential()
      throws Exception {
    DemoRun run = DemoRun.run(dir, "bft", 3);
    String bft = "io.compartment.demo.bft.";
    assertThat(run.handler(bft + "Authenticator", "onRequest").get("class")).isEqualTo("STATELESS");
    assertThat(run.handler(bft + "ReplicaGate", "onOrder").get("class")).isEqualTo("STATELESS");
    assertThat(run.compartmentOf(bft + "ReplicaGate", "onOrder").get("plan"))
        .isEqualTo("REPLICATE");
    Map<String, Object> collect = run.handler(bft + "ReplyCollector", "onReply");
    assertThat(collect.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(collect.get("partitionKey")).isEqualTo("arg0.requestId");
    assertThat(run.handler(bft + "Sequencer", "onAuthentic").get("class")).isEqualTo("SEQUENTIAL");
    assertThat(run.handler(bft + "ReplicaExecutor", "onChecked").get("class"))
        .isEqualTo("SEQUENTIAL");

    // the profile measured the handlers' costs and names what to scale
    assertThat(((Number) collect.get("costNs")).longValue()).isPositive();
    @SuppressWarnings("unchecked")
    Map<String, Object> profile = (Map<String, Object>) run.report.get("profile");
    assertThat(profile).containsEntry("measured", true);
    @SuppressWarnings("unchecked")
    Map<String, Object> first = (Map<String, Object>) profile.get("scaleFirst");
    assertThat(first.get("plan")).isIn("REPLICATE", "PARTITION");
    assertThat(((Number) first.get("recommendedCount")).intValue()).isBetween(1, 16);
  }

  @Test
  void twoPhaseCommitCollectsVotesAndAcksPerTransactionAndRelaysStatelessly() throws Exception {
    DemoRun run = DemoRun.run(dir, "twopc", 3);
    for (String h : new String[] {"onVote", "onAck"}) {
      Map<String, Object> handler = run.handler("io.compartment.demo.twopc.Coordinator", h);
      assertThat(handler.get("class")).as(h).isEqualTo("PARTITIONABLE");
      assertThat(handler.get("partitionKey")).as(h).isEqualTo("arg0.header.txId");
    }
    assertThat(run.handler("io.compartment.demo.twopc.TxFrontend", "submit").get("class"))
        .isEqualTo("STATELESS");
  }

  @Test
  void votingCollectsPerRequestAndRelaysAndVotesStatelessly() throws Exception {
    DemoRun run = DemoRun.run(dir, "voting", 3);
    Map<String, Object> collect = run.handler("io.compartment.demo.voting.VotingLeader", "onVote");
    assertThat(collect.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(collect.get("partitionKey")).isEqualTo("arg0.requestId");
    assertThat(run.handler("io.compartment.demo.voting.VotingLeader", "onRequest").get("class"))
        .isEqualTo("STATELESS");
    assertThat(run.handler("io.compartment.demo.voting.Voter", "onSolicitation").get("class"))
        .isEqualTo("STATELESS");
  }

  @Test
  void keyValueGetAndPutArePartitionableOnTheKey() throws Exception {
    DemoRun run = DemoRun.run(dir, "kv", 3);
    for (String h : new String[] {"get", "put"}) {
      Map<String, Object> handler = run.handler("io.compartment.demo.kv.KvNode", h);
      assertThat(handler.get("class")).as(h).isEqualTo("PARTITIONABLE");
      assertThat(handler.get("partitionKey")).as(h).isEqualTo("arg0.key");
    }
    assertThat(run.handler("io.compartment.demo.kv.KvNode", "scan").get("class"))
        .isEqualTo("SEQUENTIAL");
  }
}
