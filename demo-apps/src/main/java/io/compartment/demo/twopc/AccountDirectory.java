package io.compartment.demo.twopc;

import io.compartment.demo.net.NodeId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Which participant holds which account: accounts are placed by the hash of their name. */
public final class AccountDirectory {

  private final List<NodeId> participants;
  private final Set<String> accounts;

  public AccountDirectory(List<NodeId> participants, Set<String> accounts) {
    if (participants.isEmpty()) {
      throw new IllegalArgumentException("no participants");
    }
    this.participants = List.copyOf(participants);
    this.accounts = Collections.unmodifiableSet(new TreeSet<>(accounts));
  }

  /** {@code count} accounts named {@code acct-0 ... acct-(count-1)}. */
  public static Set<String> accountNames(int count) {
    Set<String> names = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      names.add("acct-" + i);
    }
    return names;
  }

  public NodeId ownerOf(String account) {
    int h = account.hashCode();
    h ^= h >>> 16;
    return participants.get(Math.floorMod(h, participants.size()));
  }

  public boolean exists(String account) {
    return accounts.contains(account);
  }

  /** Groups writes by owning participant, keeping their order within each group. */
  public Map<NodeId, List<TxWrite>> split(List<TxWrite> writes) {
    Map<NodeId, List<TxWrite>> branches = new LinkedHashMap<>();
    for (TxWrite write : writes) {
      branches.computeIfAbsent(ownerOf(write.account()), p -> new ArrayList<>()).add(write);
    }
    return branches;
  }

  /** The accounts each participant holds. */
  public Map<NodeId, List<String>> accountsByOwner() {
    Map<NodeId, List<String>> byOwner = new LinkedHashMap<>();
    for (NodeId p : participants) {
      byOwner.put(p, new ArrayList<>());
    }
    for (String account : accounts) {
      byOwner.get(ownerOf(account)).add(account);
    }
    return byOwner;
  }

  public Set<String> accounts() {
    return accounts;
  }

  public List<NodeId> participants() {
    return participants;
  }
}
