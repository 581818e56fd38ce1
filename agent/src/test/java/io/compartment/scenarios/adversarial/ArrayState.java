package io.compartment.scenarios.adversarial;

import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.scenarios.adversarial.Msgs.Bump;

/** Primitive arrays as state: element writes and reads. */
@ProtocolService
class ArrayState {
  @State private final long[] counters = new long[16];
  @State private int[] marks = new int[16];

  @Handler
  void bump(Bump b) {
    counters[b.idx()] += b.by();
  }

  @Handler
  void reset(Bump b) {
    counters[b.idx()] = 0;
    mark(marks, b.idx());
  }

  private static void mark(int[] a, int i) {
    a[i] = a[i] == 0 ? 1 : 0;
  }

  @Handler
  long peek(Bump b) {
    return counters[b.idx()];
  }

  long digest() {
    long h = 0;
    for (long c : counters) h = h * 31 + c;
    for (int m : marks) h = h * 31 + m;
    return h;
  }
}
