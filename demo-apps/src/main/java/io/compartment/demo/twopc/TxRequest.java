package io.compartment.demo.twopc;

import java.util.List;

/** A client's transaction: a set of balance changes to apply atomically. */
public record TxRequest(TxHeader header, List<TxWrite> writes) {

  public TxRequest {
    writes = List.copyOf(writes);
  }

  /** A transfer of {@code amount} from one account to another. */
  public static TxRequest transfer(TxHeader header, String from, String to, long amount) {
    return new TxRequest(header, List.of(new TxWrite(from, -amount), new TxWrite(to, amount)));
  }
}
