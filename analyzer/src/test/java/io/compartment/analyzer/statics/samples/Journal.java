package io.compartment.analyzer.statics.samples;

import io.compartment.api.State;
import java.util.Map;
import java.util.TreeMap;

/** State held outside the service class. */
public final class Journal {
  @State final Map<Long, String> entries = new TreeMap<>();

  void append(long slot, String value) {
    entries.put(slot, value);
  }
}
