package io.compartment.demo.kv;

import io.compartment.demo.net.NodeId;

/** Reads the value stored at {@code key}; answered with a {@link GetReply}. */
public record Get(long requestId, NodeId client, String key) {}
