package io.compartment.demo.bft;

import io.compartment.demo.Budget;
import io.compartment.demo.ClosedLoopClient;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.NodeId;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * A closed-loop client that signs each request and accepts an answer only with {@code f + 1}
 * authentic, matching replies from distinct replicas.
 */
public final class BftClient extends ClosedLoopClient {
  private final NodeId primary;
  private final int clientNo;
  private final int keys;
  private final int quorum;
  private final Macs macs;
  private final Random random;
  private final BftChecker checker;
  private long sequence;

  public BftClient(
      NodeId id,
      Network network,
      NodeId primary,
      int clientNo,
      int keys,
      int quorum,
      Macs macs,
      int window,
      long seed,
      Budget budget,
      BftChecker checker) {
    super(id, network, window, budget);
    this.primary = primary;
    this.clientNo = clientNo;
    this.keys = keys;
    this.quorum = quorum;
    this.macs = macs;
    this.random = new Random(seed);
    this.checker = checker;
  }

  @Override
  protected boolean answered(Object message) {
    if (!(message instanceof CertifiedReply reply)) {
      return false;
    }
    Set<NodeId> signers = new HashSet<>();
    for (SignedReply r : reply.replies()) {
      if (r.requestId() == reply.requestId()
          && r.seq() == reply.seq()
          && r.result() == reply.result()
          && macs.verify(r.replica(), r.text(), r.mac())) {
        signers.add(r.replica());
      }
    }
    if (signers.size() < quorum) {
      throw new IllegalStateException(
          "request " + reply.requestId() + " certified by only " + signers.size() + " replicas");
    }
    checker.answered(reply);
    return true;
  }

  @Override
  protected long requestIdOf(Object answer) {
    return ((CertifiedReply) answer).requestId();
  }

  @Override
  protected boolean answerDependsOnOtherClients() {
    return true; // results depend on how the clients' additions to shared counters interleave
  }

  @Override
  protected long sendRequest() {
    long requestId = ((long) clientNo << 40) | sequence++;
    String key = "c" + random.nextInt(keys);
    long delta = 1 + random.nextInt(100);
    SignedRequest unsigned = new SignedRequest(requestId, id, key, delta, null);
    SignedRequest request =
        new SignedRequest(requestId, id, key, delta, macs.sign(id, unsigned.text()));
    checker.issued(request);
    network.send(id, primary, request);
    return requestId;
  }
}
