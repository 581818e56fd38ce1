package io.compartment.demo.multipaxos;

import io.compartment.demo.Violations;
import io.compartment.demo.net.BoundaryTap;
import io.compartment.demo.net.DeliveryTap;
import io.compartment.demo.net.NodeId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * End-to-end check of MultiPaxos. It watches Phase2b and Chosen messages as they are delivered,
 * every execution on every replica, and the replies clients receive, and checks:
 *
 * <ul>
 *   <li>no slot has two chosen values (counting quorums of Phase2b itself, and in every Chosen);
 *   <li>every replica executes slots in order, each the command chosen for it, with the same result
 *       as a reference execution of the chosen log (so replicas agree);
 *   <li>every command is answered exactly once, with the slot and result it was executed with;
 *   <li>at the end, every replica has executed every chosen slot.
 * </ul>
 */
public final class MultiPaxosChecker implements DeliveryTap, ExecutionListener {

  private static final class SlotTally {
    long ballot = -1;
    Command value;
    final Set<NodeId> acceptors = new HashSet<>();
  }

  private record Executed(long slot, String result) {}

  private final int acceptorCount;
  private final int quorum;
  private final Map<NodeId, Integer> replicaIndex = new HashMap<>();
  private final Violations violations;

  private final Map<Long, SlotTally> tallies = new HashMap<>();
  private Command[] chosen = new Command[1024];
  private long chosenEnd;

  private final long[] executedUpTo;
  private final Map<String, String> referenceStore = new HashMap<>();
  private final Map<NodeId, Long> referenceClients = new HashMap<>();
  private String[] referenceResults = new String[1024];
  private boolean[] referenceApplied = new boolean[1024];
  private long referenceEnd;

  private final Map<Long, Executed> awaitingReply = new HashMap<>();
  private final Set<Long> unanswered = new HashSet<>();

  public MultiPaxosChecker(int acceptorCount, List<NodeId> replicas, Violations violations) {
    this.acceptorCount = acceptorCount;
    this.quorum = acceptorCount / 2 + 1;
    for (int i = 0; i < replicas.size(); i++) {
      replicaIndex.put(replicas.get(i), i);
    }
    this.executedUpTo = new long[replicas.size()];
    this.violations = violations;
  }

  /** A client sent {@code command}. */
  /**
   * The checker's view of clients placed in another process: their requests as they arrive at the
   * leader, their answers as a replica sends them.
   */
  public BoundaryTap atServiceEdge() {
    return BoundaryTap.of(
        (from, to, message) -> {
          if (message instanceof ClientRequest request) {
            issued(request.command());
          }
        },
        (from, to, message) -> {
          if (message instanceof ClientReply reply) {
            answered(reply);
          }
        });
  }

  public void issued(Command command) {
    if (!unanswered.add(command.commandId())) {
      violations.add("command id " + command.commandId() + " issued twice");
    }
  }

  @Override
  public void delivered(NodeId from, NodeId to, Object message) {
    if (message instanceof Phase2b p) {
      accepted(p);
    } else if (message instanceof Chosen c) {
      Command known = chosenAt(c.slot());
      if (known == null) {
        violations.add("Chosen(" + c.slot() + ") sent before a quorum of acceptors accepted it");
      }
      choose(c.slot(), c.command());
    }
  }

  @Override
  public void executed(NodeId replica, long slot, Command command, String result, boolean applied) {
    Integer r = replicaIndex.get(replica);
    if (r == null) {
      violations.add("execution on unknown replica " + replica);
      return;
    }
    if (slot != executedUpTo[r]) {
      violations.add(
          replica
              + " executed slot "
              + slot
              + " out of order: slot "
              + executedUpTo[r]
              + " was next");
    }
    executedUpTo[r] = Math.max(executedUpTo[r], slot + 1);
    advanceReference(slot);
    if (slot >= referenceEnd) {
      return;
    }
    Command expected = chosenAt(slot);
    if (!Objects.equals(expected, command)) {
      violations.add(
          replica
              + " executed "
              + command
              + " in slot "
              + slot
              + " but "
              + expected
              + " was chosen");
    } else if (referenceApplied[(int) slot] != applied
        || !Objects.equals(referenceResults[(int) slot], result)) {
      violations.add(
          replica
              + " diverged at slot "
              + slot
              + ": result "
              + result
              + " (applied="
              + applied
              + "), reference "
              + referenceResults[(int) slot]
              + " (applied="
              + referenceApplied[(int) slot]
              + ")");
    }
  }

  /** A client received {@code reply}. */
  public void answered(ClientReply reply) {
    unanswered.remove(reply.commandId());
    Executed executed = awaitingReply.remove(reply.commandId());
    if (executed == null) {
      violations.add(
          "reply to command "
              + reply.commandId()
              + " that was not executed or was answered before");
      return;
    }
    if (executed.slot() != reply.slot() || !Objects.equals(executed.result(), reply.result())) {
      violations.add(
          "command "
              + reply.commandId()
              + " answered with slot "
              + reply.slot()
              + " result "
              + reply.result()
              + " but it executed in slot "
              + executed.slot()
              + " with result "
              + executed.result());
    }
  }

  /** Ends the history (after the network went quiet). */
  public void finish() {
    if (!unanswered.isEmpty()) {
      violations.add(
          unanswered.size() + " command(s) never answered, e.g. " + unanswered.iterator().next());
    }
    for (Map.Entry<NodeId, Integer> e : replicaIndex.entrySet()) {
      long upTo = executedUpTo[e.getValue()];
      if (upTo != chosenEnd) {
        violations.add(
            e.getKey() + " executed " + upTo + " slots but " + chosenEnd + " were chosen");
      }
    }
    for (long slot = 0; slot < chosenEnd; slot++) {
      if (chosenAt(slot) == null) {
        violations.add("slot " + slot + " was never chosen, but later slots were");
        break;
      }
    }
  }

  /** Slots chosen so far (one past the highest). */
  public long chosenSlots() {
    return chosenEnd;
  }

  private void accepted(Phase2b p) {
    SlotTally tally = tallies.computeIfAbsent(p.getSlot(), s -> new SlotTally());
    if (p.getBallot() > tally.ballot) {
      tally.ballot = p.getBallot();
      tally.value = p.getCommand();
      tally.acceptors.clear();
    } else if (p.getBallot() < tally.ballot) {
      return;
    } else if (!Objects.equals(tally.value, p.getCommand())) {
      violations.add(
          "slot "
              + p.getSlot()
              + " ballot "
              + p.getBallot()
              + " has two proposals: "
              + tally.value
              + " and "
              + p.getCommand());
    }
    tally.acceptors.add(p.getAcceptor());
    if (tally.acceptors.size() == quorum) {
      choose(p.getSlot(), p.getCommand());
    }
    if (tally.acceptors.size() >= acceptorCount) {
      tallies.remove(p.getSlot());
    }
  }

  private void choose(long slot, Command value) {
    Command before = chosenAt(slot);
    if (before == null) {
      int i = index(slot);
      if (i >= chosen.length) {
        chosen = Arrays.copyOf(chosen, Math.max(i + 1, chosen.length * 2));
      }
      chosen[i] = value;
      chosenEnd = Math.max(chosenEnd, slot + 1);
    } else if (!before.equals(value)) {
      violations.add("slot " + slot + " has two chosen values: " + before + " and " + value);
    }
  }

  private Command chosenAt(long slot) {
    int i = index(slot);
    return i < chosen.length ? chosen[i] : null;
  }

  private void advanceReference(long upTo) {
    while (referenceEnd <= upTo) {
      Command command = chosenAt(referenceEnd);
      if (command == null) {
        violations.add("slot " + referenceEnd + " executed before anything was chosen for it");
        return;
      }
      int i = index(referenceEnd);
      if (i >= referenceResults.length) {
        int size = Math.max(i + 1, referenceResults.length * 2);
        referenceResults = Arrays.copyOf(referenceResults, size);
        referenceApplied = Arrays.copyOf(referenceApplied, size);
      }
      Long last = command.isNoop() ? null : referenceClients.get(command.client());
      boolean applied = !command.isNoop() && (last == null || command.commandId() > last);
      if (applied) {
        String result = KvStateMachine.applyTo(referenceStore, command);
        referenceClients.put(command.client(), command.commandId());
        referenceResults[i] = result;
        awaitingReply.put(command.commandId(), new Executed(referenceEnd, result));
      }
      referenceApplied[i] = applied;
      referenceEnd++;
    }
  }

  private static int index(long slot) {
    if (slot < 0 || slot >= Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("slot out of range: " + slot);
    }
    return (int) slot;
  }
}
