package io.compartment.demo.voting;

import io.compartment.api.Emit;
import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.demo.net.Envelope;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;
import java.util.function.Consumer;

/** A council member: votes on each motion by its policy and puts the vote in its outbox. */
@ProtocolService
public class Voter implements Node {

  private final NodeId id;
  private final int seat;
  private final VotePolicy policy;

  @Emit private final Consumer<Envelope> outbox;

  public Voter(NodeId id, int seat, VotePolicy policy, Consumer<Envelope> outbox) {
    this.id = id;
    this.seat = seat;
    this.policy = policy;
    this.outbox = outbox;
  }

  @Override
  public NodeId id() {
    return id;
  }

  public int seat() {
    return seat;
  }

  @Override
  public void onMessage(NodeId from, Object message) {
    if (message instanceof VoteSolicitation solicitation) {
      onSolicitation(solicitation);
    } else {
      throw new IllegalArgumentException("unexpected message " + message);
    }
  }

  @Handler
  public void onSolicitation(VoteSolicitation solicitation) {
    boolean approve = policy.approves(seat, solicitation.getMotion());
    Vote vote = new Vote(solicitation.getRequestId(), solicitation.getClient(), id, approve);
    outbox.accept(new Envelope(id, solicitation.getLeader(), vote));
  }
}
