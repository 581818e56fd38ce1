package io.compartment.demo.bft;

import io.compartment.demo.Violations;
import io.compartment.demo.net.BoundaryTap;
import io.compartment.demo.net.NodeId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * End-to-end check of the BFT demo: every replica executes the same request at each sequence
 * number, each request at most once and each issued one exactly once; every answer is certified
 * with the result the replicas computed at that number, and equals a sequential model of the
 * counters; every issued request is answered exactly once.
 */
public final class BftChecker implements ReplicaExecutor.Listener {
  private final int replicas;
  private final Violations violations;
  private final Map<Long, SignedRequest> issued = new HashMap<>();
  private final Map<Long, Long> answered = new HashMap<>();
  private final Map<Long, Executed> bySeq = new HashMap<>();
  private final Map<Long, Long> seqOfRequest = new HashMap<>();
  private final Map<String, Long> model = new HashMap<>();
  private long modelSeq;

  private record Executed(long requestId, long result, int times) {}

  public BftChecker(int replicas, Violations violations) {
    this.replicas = replicas;
    this.violations = violations;
  }

  /** The checker's view of clients in another process, at the service's edge. */
  public BoundaryTap atServiceEdge() {
    return BoundaryTap.of(
        (from, to, message) -> {
          if (message instanceof SignedRequest request) {
            issued(request);
          }
        },
        (from, to, message) -> {
          if (message instanceof CertifiedReply reply) {
            answered(reply);
          }
        });
  }

  public void issued(SignedRequest request) {
    if (issued.put(request.requestId(), request) != null) {
      violations.add("request " + request.requestId() + " issued twice");
    }
  }

  @Override
  public void executed(NodeId replica, long seq, SignedRequest request, long result) {
    Executed first = bySeq.get(seq);
    if (first == null) {
      bySeq.put(seq, new Executed(request.requestId(), result, 1));
      Long earlier = seqOfRequest.putIfAbsent(request.requestId(), seq);
      if (earlier != null) {
        violations.add(
            "request " + request.requestId() + " ordered twice, at " + earlier + " and " + seq);
      }
      advanceModel();
      return;
    }
    if (first.requestId() != request.requestId() || first.result() != result) {
      violations.add(
          replica
              + " executed request "
              + request.requestId()
              + " (result "
              + result
              + ") at "
              + seq
              + " where another replica executed "
              + first.requestId()
              + " (result "
              + first.result()
              + ")");
    }
    bySeq.put(seq, new Executed(first.requestId(), first.result(), first.times() + 1));
    if (first.times() + 1 > replicas) {
      violations.add("sequence number " + seq + " executed more than once by a replica");
    }
  }

  private void advanceModel() {
    Executed next;
    while ((next = bySeq.get(modelSeq)) != null) {
      SignedRequest request = issued.get(next.requestId());
      if (request == null) {
        violations.add("request " + next.requestId() + " executed but never issued");
      } else {
        long expected = model.merge(request.key(), request.delta(), Long::sum);
        if (expected != next.result()) {
          violations.add(
              "at "
                  + modelSeq
                  + " counter "
                  + request.key()
                  + " became "
                  + next.result()
                  + ", the sequential model says "
                  + expected);
        }
      }
      modelSeq++;
    }
  }

  public void answered(CertifiedReply reply) {
    if (answered.put(reply.requestId(), reply.result()) != null) {
      violations.add("request " + reply.requestId() + " answered twice");
    }
    Executed at = bySeq.get(reply.seq());
    if (at == null || at.requestId() != reply.requestId() || at.result() != reply.result()) {
      violations.add(
          "request "
              + reply.requestId()
              + " answered with result "
              + reply.result()
              + " at "
              + reply.seq()
              + ", which no replica executed");
    }
  }

  /** Checks what only the end of the run can show. */
  public void finish(List<Map<String, Long>> replicaCounters) {
    for (Long requestId : issued.keySet()) {
      if (!answered.containsKey(requestId)) {
        violations.add("request " + requestId + " was never answered");
        break;
      }
    }
    for (Map.Entry<Long, Executed> e : bySeq.entrySet()) {
      if (e.getValue().times() != replicas) {
        violations.add(
            "sequence number "
                + e.getKey()
                + " executed by "
                + e.getValue().times()
                + " of "
                + replicas
                + " replicas");
        break;
      }
    }
    for (Map<String, Long> counters : replicaCounters) {
      if (!counters.equals(model)) {
        violations.add("a replica's counters differ from the sequential model at the end");
        break;
      }
    }
  }

  public long ordered() {
    return bySeq.size();
  }
}
