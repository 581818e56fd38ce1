package io.compartment.demo.kv;

/** Answer to a {@link Delete}; {@code existed} is true when the key held a value. */
public record DeleteAck(long requestId, String key, boolean existed) {}
