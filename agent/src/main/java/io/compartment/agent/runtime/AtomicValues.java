package io.compartment.agent.runtime;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/** Reads the current value of an atomic holder, so that its updates can be judged like fields. */
final class AtomicValues {
  private AtomicValues() {}

  static Object read(Object holder) {
    if (holder instanceof AtomicLong a) return a.get();
    if (holder instanceof AtomicInteger a) return a.get();
    if (holder instanceof AtomicBoolean a) return a.get();
    if (holder instanceof AtomicReference<?> a) return a.get();
    if (holder instanceof LongAdder a) return a.sum();
    if (holder instanceof LongAccumulator a) return a.get();
    return holder;
  }
}
