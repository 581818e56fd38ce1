package io.compartment.agent.trace;

import io.compartment.agent.runtime.HandlerInfo;
import io.compartment.analyzer.trace.StateFieldInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The services the agent has seen loaded: their declared state, configuration fields, handlers and
 * the problems found in their annotations. Written by the transformer, read by the report writer.
 */
public final class ServiceCatalog {
  /** What is known of one service class. */
  public static final class Entry {
    public final String service;
    public final ClassLoader loader;
    public final List<StateFieldInfo> state = new ArrayList<>();
    public final List<String> config = new ArrayList<>();
    public final List<String> outboxes = new ArrayList<>();
    public final List<HandlerInfo> handlers = new ArrayList<>();
    public final List<String> warnings = new ArrayList<>();

    Entry(String service, ClassLoader loader) {
      this.service = service;
      this.loader = loader;
    }
  }

  private final Map<String, Entry> services = new LinkedHashMap<>();
  private final Map<String, StateFieldInfo> stateFields = new LinkedHashMap<>();

  public synchronized Entry service(String name, ClassLoader loader) {
    return services.computeIfAbsent(name, n -> new Entry(n, loader));
  }

  public synchronized boolean known(String name) {
    return services.containsKey(name);
  }

  /** Remembers a {@code @State} field of any class, by {@code owner#name}. */
  public synchronized void stateField(StateFieldInfo info) {
    stateFields.putIfAbsent(info.owner() + "#" + info.name(), info);
  }

  public synchronized StateFieldInfo stateField(String owner, String name) {
    return stateFields.get(owner + "#" + name);
  }

  /** Every {@code @State} field seen, of any class. */
  public synchronized List<StateFieldInfo> stateFields() {
    return new ArrayList<>(stateFields.values());
  }

  public synchronized List<Entry> services() {
    return new ArrayList<>(services.values());
  }

  public synchronized void warn(String service, ClassLoader loader, String message) {
    List<String> w = service(service, loader).warnings;
    if (!w.contains(message)) w.add(message);
  }
}
