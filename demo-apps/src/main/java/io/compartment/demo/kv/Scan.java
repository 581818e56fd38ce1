package io.compartment.demo.kv;

import io.compartment.demo.net.NodeId;

/**
 * Counts the keys of one node that start with {@code prefix} and lists the first {@code limit} of
 * them in order; answered with a {@link ScanReply}.
 */
public record Scan(long requestId, NodeId client, String prefix, int limit) {}
