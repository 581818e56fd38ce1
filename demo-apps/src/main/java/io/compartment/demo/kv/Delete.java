package io.compartment.demo.kv;

import io.compartment.demo.net.NodeId;

/** Removes {@code key}; answered with a {@link DeleteAck}. */
public record Delete(long requestId, NodeId client, String key) {}
