package io.compartment.demo.twopc;

import io.compartment.demo.net.NodeId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The coordinator's memory of one transaction, from begin to the last acknowledgement. */
final class TxRecord {

  private final TxHeader header;
  private final List<NodeId> participants;
  private final Set<NodeId> prepared = new HashSet<>();
  private final Set<NodeId> acknowledged = new HashSet<>();
  private Boolean committed;
  private String reason;

  TxRecord(TxHeader header, List<NodeId> participants) {
    this.header = header;
    this.participants = List.copyOf(participants);
  }

  TxHeader header() {
    return header;
  }

  List<NodeId> participants() {
    return participants;
  }

  /** Records a yes vote; true once every participant has voted yes. */
  boolean prepared(NodeId participant) {
    prepared.add(participant);
    return prepared.containsAll(participants);
  }

  /** Records an acknowledgement; true once every participant has acknowledged. */
  boolean acknowledged(NodeId participant) {
    acknowledged.add(participant);
    return acknowledged.containsAll(participants);
  }

  boolean decided() {
    return committed != null;
  }

  void decide(boolean commit, String why) {
    committed = commit;
    reason = why;
  }

  boolean committed() {
    return Boolean.TRUE.equals(committed);
  }

  String reason() {
    return reason;
  }
}
