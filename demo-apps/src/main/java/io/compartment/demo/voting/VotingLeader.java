package io.compartment.demo.voting;

import io.compartment.api.Emit;
import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The council's leader: relays each client request to every voter, tallies the votes as they come
 * back and, once every voter has voted, tells the client whether the motion passed by majority.
 */
@ProtocolService
public class VotingLeader implements Node {

  private final NodeId id;
  private final Network network;
  private final List<NodeId> voters;

  @State private final Map<Long, Tally> tallies = new HashMap<>();

  public VotingLeader(NodeId id, Network network, List<NodeId> voters) {
    if (voters.isEmpty()) {
      throw new IllegalArgumentException("a council needs voters");
    }
    this.id = id;
    this.network = network;
    this.voters = List.copyOf(voters);
  }

  @Override
  public NodeId id() {
    return id;
  }

  @Override
  public void onMessage(NodeId from, Object message) {
    if (message instanceof VoteRequest request) {
      onRequest(request);
    } else if (message instanceof Vote vote) {
      onVote(vote);
    } else {
      throw new IllegalArgumentException("unexpected message " + message);
    }
  }

  @Handler
  public void onRequest(VoteRequest request) {
    if (request.motion() == null || request.motion().isBlank()) {
      send(request.client(), new VoteOutcome(request.requestId(), false, 0, voters.size()));
      return;
    }
    for (NodeId voter : voters) {
      send(
          voter, new VoteSolicitation(request.requestId(), request.client(), request.motion(), id));
    }
  }

  @Handler
  public void onVote(Vote vote) {
    Tally tally = tallies.computeIfAbsent(vote.requestId(), requestId -> new Tally());
    tally.record(vote.voter(), vote.approve());
    if (tally.votes() < voters.size()) {
      return;
    }
    tallies.remove(vote.requestId());
    boolean approved = VotePolicy.passes(tally.approvals(), voters.size());
    send(
        vote.client(),
        new VoteOutcome(vote.requestId(), approved, tally.approvals(), tally.rejections()));
  }

  @Emit
  protected void send(NodeId to, Object message) {
    network.send(id, to, message);
  }
}
