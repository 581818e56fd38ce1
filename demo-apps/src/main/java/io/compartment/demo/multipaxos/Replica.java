package io.compartment.demo.multipaxos;

import io.compartment.api.Emit;
import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.demo.net.Network;
import io.compartment.demo.net.Node;
import io.compartment.demo.net.NodeId;
import java.util.HashMap;
import java.util.Map;

/**
 * A replica: buffers chosen commands by slot and executes them in slot order against its state
 * machine, skipping no-ops and commands it already executed. Replica {@code i} of {@code n} answers
 * the client for the slots {@code s} with {@code s % n == i}, so every command is answered once.
 */
@ProtocolService
public class Replica implements Node {

  private final NodeId id;
  private final Network network;
  private final int index;
  private final int replicaCount;
  private final KvStateMachine stateMachine;
  private final ExecutionListener listener;

  @State private final Map<Long, Command> decided = new HashMap<>();
  @State private long nextToExecute;
  @State private final Map<NodeId, Long> clientTable = new HashMap<>();

  public Replica(
      NodeId id, Network network, int index, int replicaCount, ExecutionListener listener) {
    if (index < 0 || index >= replicaCount) {
      throw new IllegalArgumentException("replica index " + index + " of " + replicaCount);
    }
    this.id = id;
    this.network = network;
    this.index = index;
    this.replicaCount = replicaCount;
    this.stateMachine = new KvStateMachine();
    this.listener = listener;
  }

  @Override
  public NodeId id() {
    return id;
  }

  @Override
  public void onMessage(NodeId from, Object message) {
    if (message instanceof Chosen chosen) {
      onChosen(chosen);
    } else {
      throw new IllegalArgumentException("unexpected message " + message);
    }
  }

  @Handler
  public void onChosen(Chosen chosen) {
    if (chosen.slot() < nextToExecute) {
      return; // executed already
    }
    Command earlier = decided.putIfAbsent(chosen.slot(), chosen.command());
    if (earlier != null && !earlier.equals(chosen.command())) {
      throw new IllegalStateException(
          "slot " + chosen.slot() + " chosen twice: " + earlier + " and " + chosen.command());
    }
    executeReady();
  }

  /** Slots executed so far: the next slot to execute. */
  public long executedUpTo() {
    return nextToExecute;
  }

  private void executeReady() {
    Command command;
    while ((command = decided.remove(nextToExecute)) != null) {
      execute(nextToExecute, command);
      nextToExecute++;
    }
  }

  private void execute(long slot, Command command) {
    if (command.isNoop() || isDuplicate(command)) {
      listener.executed(id, slot, command, null, false);
      return;
    }
    String result = stateMachine.apply(command);
    clientTable.put(command.client(), command.commandId());
    listener.executed(id, slot, command, result, true);
    if (slot % replicaCount == index) {
      send(command.client(), new ClientReply(command.commandId(), slot, result));
    }
  }

  private boolean isDuplicate(Command command) {
    Long last = clientTable.get(command.client());
    return last != null && command.commandId() <= last;
  }

  @Emit
  protected void send(NodeId to, Object message) {
    network.send(id, to, message);
  }
}
