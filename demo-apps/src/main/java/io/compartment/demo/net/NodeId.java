package io.compartment.demo.net;

/**
 * The address of a node on a {@link Network}. Ids are handed out by {@link
 * Network#address(String)}; the index is the node's slot in that network and makes routing a pair
 * of array lookups.
 */
public record NodeId(int index, String name) {

  public NodeId {
    if (index < 0) {
      throw new IllegalArgumentException("negative node index " + index);
    }
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("node name must not be empty");
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
