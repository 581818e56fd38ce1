package io.compartment.demo.kv;

/** Answer to a {@link Get}: {@code value} is null when the key holds nothing. */
public record GetReply(long requestId, String key, String value) {}
