package io.compartment.demo.bft;

import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.demo.DemoOptions;
import io.compartment.demo.DemoResult;
import io.compartment.demo.Violations;
import io.compartment.demo.net.NodeId;
import io.compartment.transport.codec.MessageCodec;
import io.compartment.transport.codec.TypeRegistry;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

class BftDemoTest {
  private static final NodeId CLIENT = new NodeId(0, "bft-client-0");
  private static final NodeId REPLICA_0 = new NodeId(1, "replica-0");
  private static final NodeId REPLICA_1 = new NodeId(2, "replica-1");
  private final Macs macs = new Macs("secret".getBytes(StandardCharsets.UTF_8));

  private SignedRequest request(long id, String key, long delta) {
    SignedRequest unsigned = new SignedRequest(id, CLIENT, key, delta, null);
    return new SignedRequest(id, CLIENT, key, delta, macs.sign(CLIENT, unsigned.text()));
  }

  @Test
  void seededWorkloadIsOrderedExecutedAndCertifiedConsistently() {
    DemoResult result =
        new BftDemo()
            .run(DemoOptions.ops(3000, 5), new PrintStream(OutputStream.nullOutputStream()));
    assertThat(result.violations()).isEmpty();
    assertThat(result.correct()).isTrue();
    assertThat(result.ops()).isEqualTo(3000);
  }

  @Test
  void aCodeChecksOnlyForItsSignerAndItsText() {
    SignedRequest r = request(1, "c1", 5);
    assertThat(macs.verify(CLIENT, r.text(), r.mac())).isTrue();
    assertThat(macs.verify(REPLICA_0, r.text(), r.mac())).as("another signer").isFalse();
    assertThat(macs.verify(CLIENT, r.text().replace("|5", "|6"), r.mac())).as("tampered").isFalse();
    assertThat(macs.verify(CLIENT, r.text(), null)).isFalse();
  }

  @Test
  void codesStillCheckAfterTheKeysTravelToAnotherProcess() {
    TypeRegistry registry = TypeRegistry.of(Macs.class);
    MessageCodec codec = new MessageCodec(registry);
    ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
    SignedRequest r = request(2, "c2", 7);
    int length = codec.encode(macs, buffer, 0);
    Macs copy = (Macs) codec.decode(buffer, 0, length);
    assertThat(copy.verify(CLIENT, r.text(), r.mac())).isTrue();
  }

  @Test
  void replicasDisagreeingAtOneSequenceNumberIsAViolation() {
    Violations violations = new Violations();
    BftChecker checker = new BftChecker(2, violations);
    SignedRequest a = request(1, "c1", 5);
    SignedRequest b = request(2, "c1", 9);
    checker.issued(a);
    checker.issued(b);
    checker.executed(REPLICA_0, 0, a, 5);
    checker.executed(REPLICA_1, 0, b, 9);
    assertThat(violations.examples()).anyMatch(v -> v.contains("executed request 2"));
  }

  @Test
  void anAnswerWithAResultNoReplicaComputedIsAViolation() {
    Violations violations = new Violations();
    BftChecker checker = new BftChecker(1, violations);
    SignedRequest a = request(1, "c1", 5);
    checker.issued(a);
    checker.executed(REPLICA_0, 0, a, 5);
    checker.answered(new CertifiedReply(1, 0, 6, List.of()));
    checker.finish(List.of(Map.of("c1", 5L)));
    assertThat(violations.examples()).singleElement().asString().contains("answered with result 6");
  }
}
