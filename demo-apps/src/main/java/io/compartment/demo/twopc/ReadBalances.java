package io.compartment.demo.twopc;

import io.compartment.demo.net.NodeId;
import java.util.List;

/** Asks a participant for the committed balances of some of its accounts. */
public record ReadBalances(long requestId, NodeId client, List<String> accounts) {

  public ReadBalances {
    accounts = List.copyOf(accounts);
  }
}
