package io.compartment.demo.kv;

import io.compartment.demo.net.NodeId;
import java.util.Objects;

/**
 * Stores {@code value} at {@code key}, replacing any previous value; answered with a {@link
 * PutAck}.
 */
public final class Put {

  private final long requestId;
  private final NodeId client;
  private final String key;
  private final String value;

  public Put(long requestId, NodeId client, String key, String value) {
    this.requestId = requestId;
    this.client = Objects.requireNonNull(client, "client");
    this.key = Objects.requireNonNull(key, "key");
    this.value = Objects.requireNonNull(value, "value");
  }

  public long getRequestId() {
    return requestId;
  }

  public NodeId getClient() {
    return client;
  }

  public String getKey() {
    return key;
  }

  public String getValue() {
    return value;
  }

  @Override
  public String toString() {
    return "Put[" + requestId + " " + key + "=" + value + "]";
  }
}
