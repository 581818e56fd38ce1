package io.compartment.scenarios.adversarial;

import io.compartment.api.Handler;
import io.compartment.api.ProtocolService;
import io.compartment.api.State;
import io.compartment.scenarios.adversarial.Msgs.Decay;
import io.compartment.scenarios.adversarial.Msgs.Entry;
import io.compartment.scenarios.adversarial.Msgs.Lookup;
import io.compartment.scenarios.adversarial.Msgs.Phase;
import io.compartment.scenarios.adversarial.Msgs.Query;
import io.compartment.scenarios.adversarial.Msgs.Row;
import io.compartment.scenarios.adversarial.Msgs.RowKey;
import io.compartment.scenarios.adversarial.Msgs.Tick;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Composite and enum keys, Optional, streams, Entry.setValue, a view handed out. */
@ProtocolService
class Keys {
  @State private final Map<RowKey, String> rows = new HashMap<>();
  @State private final EnumMap<Phase, Long> phases = new EnumMap<>(Phase.class);
  @State private final Map<String, Entry> directory = new HashMap<>();
  @State private final Map<String, Long> scores = new HashMap<>();

  @Handler
  void upsert(Row r) {
    rows.put(new RowKey(r.tenant(), r.id()), r.value());
  }

  @Handler
  void tick(Tick t) {
    phases.merge(t.phase(), 1L, Long::sum);
  }

  @Handler
  void register(Entry e) {
    directory.put(e.owner(), e);
    scores.merge(e.owner(), e.version(), Long::sum);
  }

  @Handler
  long resolve(Lookup l) {
    return Optional.ofNullable(directory.get(l.name())).map(Entry::version).orElse(-1L);
  }

  @Handler
  long countPrefix(Query q) {
    return directory.values().stream().filter(e -> e.owner().startsWith(q.prefix())).count();
  }

  @Handler
  void decayAll(Decay d) {
    for (Map.Entry<String, Long> e : scores.entrySet()) {
      e.setValue(e.getValue() >> d.shift());
    }
  }

  @Handler
  Map<String, Long> snapshot(Query q) {
    return Collections.unmodifiableMap(scores);
  }

  long digest() {
    long p = 0;
    for (Map.Entry<Phase, Long> e : phases.entrySet())
      p = p * 31 + e.getKey().ordinal() * 7L + e.getValue();
    return rows.hashCode() * 31L + p + directory.hashCode() + scores.hashCode();
  }
}
