package io.compartment.demo.kv;

/** Sent instead of a normal answer when a request is malformed. */
public record KvError(long requestId, String reason) {}
