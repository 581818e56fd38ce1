package io.compartment.demo.twopc;

import io.compartment.demo.Violations;
import io.compartment.demo.net.BoundaryTap;
import io.compartment.demo.net.DeliveryTap;
import io.compartment.demo.net.NodeId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * End-to-end check of two-phase commit. It watches the protocol's messages as the network delivers
 * them (prepares, votes, decisions, acknowledgements) and the outcomes clients receive, and checks:
 *
 * <ul>
 *   <li>atomicity: every participant of a transaction is told the same decision and acknowledges
 *       applying it, and the client hears that same decision;
 *   <li>commit only if every participant voted yes;
 *   <li>each transaction is answered exactly once;
 *   <li>at the end, every account holds its initial balance plus the writes of exactly the
 *       acknowledged committed transactions (so each was applied once), and money is conserved.
 * </ul>
 */
public final class TwoPcChecker implements DeliveryTap {

  private static final class TxCheck {
    final TxRequest request;
    final Set<NodeId> prepared = new TreeSet<>(TwoPcChecker::compare);
    final Map<NodeId, Boolean> votes = new HashMap<>();
    final Map<NodeId, Boolean> decisions = new TreeMap<>(TwoPcChecker::compare);
    final Map<NodeId, Boolean> acks = new HashMap<>();

    TxCheck(TxRequest request) {
      this.request = request;
    }
  }

  private final Violations violations;
  private final Map<String, Long> initial;
  private final Map<String, Long> expected;
  private final Map<Long, TxCheck> inFlight = new HashMap<>();
  private long committed;
  private long aborted;

  /**
   * @param initialBalances every account's balance before the workload
   */
  public TwoPcChecker(Map<String, Long> initialBalances, Violations violations) {
    this.violations = violations;
    this.initial = new LinkedHashMap<>(initialBalances);
    this.expected = new LinkedHashMap<>(initialBalances);
  }

  /** A client sent {@code request}. */
  /**
   * The checker's view of clients placed in another process: their requests as they arrive at the
   * frontend, their outcomes as the service sends them.
   */
  public BoundaryTap atServiceEdge() {
    return BoundaryTap.of(
        (from, to, message) -> {
          if (message instanceof TxRequest request) {
            issued(request);
          }
        },
        (from, to, message) -> {
          if (message instanceof TxOutcome outcome) {
            answered(outcome);
          }
        });
  }

  public void issued(TxRequest request) {
    if (inFlight.put(request.header().txId(), new TxCheck(request)) != null) {
      violations.add("transaction id " + request.header().txId() + " issued twice");
    }
  }

  @Override
  public void delivered(NodeId from, NodeId to, Object message) {
    if (message instanceof Prepare p) {
      TxCheck tx = tx(p.header(), p);
      if (tx != null) {
        tx.prepared.add(to);
      }
    } else if (message instanceof PrepareVote v) {
      TxCheck tx = tx(v.getHeader(), v);
      if (tx != null) {
        Boolean before = tx.votes.put(v.getParticipant(), v.isPrepared());
        if (before != null && before != v.isPrepared()) {
          violations.add(v.getParticipant() + " changed its vote on tx " + v.getHeader().txId());
        }
      }
    } else if (message instanceof Commit c) {
      decision(c.header(), to, true, c);
    } else if (message instanceof Abort a) {
      decision(a.header(), to, false, a);
    } else if (message instanceof DecisionAck a) {
      TxCheck tx = tx(a.header(), a);
      if (tx != null) {
        tx.acks.put(a.participant(), a.committed());
      }
    }
  }

  /** A client received {@code outcome}. */
  public void answered(TxOutcome outcome) {
    long txId = outcome.header().txId();
    TxCheck tx = inFlight.remove(txId);
    if (tx == null) {
      violations.add("tx " + txId + " answered twice or never issued: " + outcome);
      return;
    }
    if (tx.decisions.containsValue(Boolean.TRUE) && tx.decisions.containsValue(Boolean.FALSE)) {
      violations.add(
          "atomicity: participants of tx "
              + txId
              + " were told different decisions "
              + tx.decisions);
    }
    if (outcome.committed()) {
      checkCommitted(txId, tx);
      for (TxWrite write : tx.request.writes()) {
        if (expected.containsKey(write.account())) {
          expected.merge(write.account(), write.delta(), Long::sum);
        } else {
          violations.add("tx " + txId + " committed a write to unknown account " + write.account());
        }
      }
      committed++;
    } else {
      for (NodeId p : tx.prepared) {
        if (!Boolean.FALSE.equals(tx.decisions.get(p))) {
          violations.add(
              "tx " + txId + " reported aborted but " + p + " was told " + tx.decisions.get(p));
        }
        if (!Boolean.FALSE.equals(tx.acks.get(p))) {
          violations.add(
              "tx " + txId + " reported aborted but " + p + " acknowledged " + tx.acks.get(p));
        }
      }
      aborted++;
    }
  }

  /** Ends the history: {@code balances} holds every account's balance as read back now. */
  public void finish(Map<String, Long> balances) {
    if (!inFlight.isEmpty()) {
      violations.add(
          inFlight.size()
              + " transaction(s) never answered, e.g. "
              + inFlight.keySet().iterator().next());
    }
    long totalInitial = 0;
    long totalNow = 0;
    for (Map.Entry<String, Long> e : expected.entrySet()) {
      String account = e.getKey();
      totalInitial += initial.get(account);
      Long actual = balances.get(account);
      if (actual == null) {
        violations.add("account " + account + " was not read back");
        continue;
      }
      totalNow += actual;
      if (inFlight.isEmpty() && actual.longValue() != e.getValue().longValue()) {
        violations.add(
            "account "
                + account
                + " holds "
                + actual
                + " but its initial balance plus the acknowledged commits give "
                + e.getValue());
      }
    }
    if (balances.size() == expected.size() && totalNow != totalInitial) {
      violations.add("money not conserved: total " + totalNow + ", initially " + totalInitial);
    }
  }

  public long committed() {
    return committed;
  }

  public long aborted() {
    return aborted;
  }

  private void checkCommitted(long txId, TxCheck tx) {
    if (tx.prepared.isEmpty()) {
      violations.add("tx " + txId + " reported committed without any participant being prepared");
    }
    for (NodeId p : tx.prepared) {
      if (!Boolean.TRUE.equals(tx.votes.get(p))) {
        violations.add(
            "tx " + txId + " committed although " + p + " voted " + vote(tx.votes.get(p)));
      }
      if (!Boolean.TRUE.equals(tx.decisions.get(p))) {
        violations.add("tx " + txId + " committed but " + p + " was told " + tx.decisions.get(p));
      }
      if (!Boolean.TRUE.equals(tx.acks.get(p))) {
        violations.add("tx " + txId + " committed but " + p + " acknowledged " + tx.acks.get(p));
      }
    }
    for (NodeId p : tx.decisions.keySet()) {
      if (!tx.prepared.contains(p)) {
        violations.add(
            "tx " + txId + " sent a decision to " + p + ", which was never asked to prepare");
      }
    }
  }

  private void decision(TxHeader header, NodeId participant, boolean commit, Object message) {
    TxCheck tx = tx(header, message);
    if (tx == null) {
      return;
    }
    Boolean before = tx.decisions.put(participant, commit);
    if (before != null && before != commit) {
      violations.add(
          "atomicity: " + participant + " was told both commit and abort for tx " + header.txId());
    }
  }

  private TxCheck tx(TxHeader header, Object message) {
    TxCheck tx = inFlight.get(header.txId());
    if (tx == null) {
      violations.add("message for a transaction not in flight: " + message);
    }
    return tx;
  }

  private static String vote(Boolean vote) {
    return vote == null ? "nothing" : vote ? "yes" : "no";
  }

  private static int compare(NodeId a, NodeId b) {
    return Integer.compare(a.index(), b.index());
  }
}
