package io.compartment.demo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Collects the violations an end-to-end check finds: a count and the first few descriptions. */
public final class Violations {

  private static final int KEPT = 20;

  private final List<String> examples = new ArrayList<>();
  private long count;

  public void add(String description) {
    count++;
    if (examples.size() < KEPT) {
      examples.add(description);
    }
  }

  public boolean isEmpty() {
    return count == 0;
  }

  public long count() {
    return count;
  }

  /** The first violations found, in the order they were found. */
  public List<String> examples() {
    return Collections.unmodifiableList(examples);
  }

  @Override
  public String toString() {
    return count == 0 ? "no violations" : count + " violation(s), first: " + examples;
  }
}
