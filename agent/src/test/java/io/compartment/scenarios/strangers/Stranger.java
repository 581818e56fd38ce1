package io.compartment.scenarios.strangers;

/**
 * A class no service declares and none has seen before a compartment is enabled, kept in a package
 * of its own so that no compartment's wire registry picks it up as a sibling of its messages.
 */
public final class Stranger {
  private final String name;

  public Stranger(String name) {
    this.name = name;
  }

  @Override
  public String toString() {
    return "Stranger(" + name + ")";
  }
}
