package io.compartment.demo.kv;

/** Answer to a {@link Put}; {@code created} is true when the key held nothing before. */
public record PutAck(long requestId, String key, boolean created) {}
