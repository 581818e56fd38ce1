package io.compartment.demo.kv;

import java.util.List;

/** Answer to a {@link Scan}: how many keys matched, and the first few of them in order. */
public record ScanReply(long requestId, int count, List<String> firstKeys) {

  public ScanReply {
    firstKeys = List.copyOf(firstKeys);
  }
}
