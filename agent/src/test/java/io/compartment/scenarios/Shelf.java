package io.compartment.scenarios;

import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import java.util.HashMap;
import java.util.Map;

/**
 * Items by key whose payload may be any object: the wire, not the handler's signature, decides
 * which payloads can travel to a worker.
 */
@ProtocolService
class Shelf {
  /** An item; its payload's class is whatever the caller put there. */
  record Item(String key, Object payload) {}

  @State private final Map<String, Object> items = new HashMap<>();

  @Handler
  void put(Item i) {
    items.put(i.key(), i.payload());
  }

  @Handler
  Object get(Messages.Read r) {
    return items.get(r.key());
  }
}
