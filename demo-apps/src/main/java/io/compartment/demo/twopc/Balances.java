package io.compartment.demo.twopc;

import java.util.Map;

/** Committed balances, answering {@link ReadBalances}; unknown accounts are left out. */
public record Balances(long requestId, Map<String, Long> balances) {

  public Balances {
    balances = Map.copyOf(balances);
  }
}
