package io.compartment.analyzer.statics.samples;

import java.util.Map;

/** Code outside the service. */
public final class Audit {
  public void note(long value) {
    System.out.println(value);
  }

  public void record(Map<String, String> snapshot) {
    System.out.println(snapshot.size());
  }
}
