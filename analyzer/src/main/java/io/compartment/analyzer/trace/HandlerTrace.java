package io.compartment.analyzer.trace;

import io.compartment.analyzer.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What was observed of one handler method: summaries only, bounded in size. */
public final class HandlerTrace {
  private final String handler;
  private final String method;
  private final String descriptor;
  private final String owner;
  long invocations;
  long recorded;
  long truncated;
  long costNs;
  long timedCalls;
  final Set<String> attributes = new LinkedHashSet<>();
  final Map<String, FieldObservation> fields = new LinkedHashMap<>();
  final Map<String, Long> emits = new LinkedHashMap<>();
  final Map<String, Long> configWrites = new LinkedHashMap<>();
  private StaticFacts staticFacts;

  /**
   * @param handler the report name: the method name, or {@code name(ParamType,...)} if overloaded
   * @param method the method name
   * @param descriptor the JVM method descriptor
   * @param owner binary name of the declaring class
   */
  public HandlerTrace(String handler, String method, String descriptor, String owner) {
    this.handler = handler;
    this.method = method;
    this.descriptor = descriptor;
    this.owner = owner;
  }

  /**
   * Starts a recorded invocation whose message attributes ({@code arg0.slot} -> value) are given.
   */
  public Invocation begin(Map<String, Object> attributes) {
    return new Invocation(this, recorded + 1, attributes);
  }

  /** Adds to the count of all invocations, recorded or not (sampling records only some). */
  public void countInvocations(long n) {
    invocations += n;
  }

  /** Sets the count of all invocations, recorded or not; returns this. */
  public HandlerTrace invocations(long total) {
    invocations = total;
    return this;
  }

  /**
   * Sets the measured cost of a call that is not recorded.
   *
   * @param nanos mean time per call, in ns (0: not measured)
   * @param timed calls timed
   */
  public HandlerTrace cost(long nanos, long timed) {
    costNs = nanos;
    timedCalls = timed;
    return this;
  }

  /** Mean time of an unrecorded call, in ns; 0 when not measured. */
  public long costNs() {
    return costNs;
  }

  /** Calls timed for {@link #costNs()}. */
  public long timedCalls() {
    return timedCalls;
  }

  public FieldObservation field(String id) {
    return fields.computeIfAbsent(id, FieldObservation::new);
  }

  public String handler() {
    return handler;
  }

  public String method() {
    return method;
  }

  public String descriptor() {
    return descriptor;
  }

  public String owner() {
    return owner;
  }

  /** All invocations seen, recorded or not. */
  public long invocations() {
    return Math.max(invocations, recorded);
  }

  /** Invocations whose accesses were recorded and folded in. */
  public long recorded() {
    return recorded;
  }

  /** Recorded invocations that lost events (their traces are incomplete). */
  public long truncated() {
    return truncated;
  }

  /** Attribute paths seen on the message ({@code arg0}, {@code arg0.slot}, ...). */
  public Set<String> attributes() {
    return attributes;
  }

  /** Per state field id, what this handler did to it. */
  public Map<String, FieldObservation> fields() {
    return fields;
  }

  /** Per emit target (method or outbox field), how many times it was called. */
  public Map<String, Long> emits() {
    return emits;
  }

  /** Per configuration field (not {@code @State}) this handler wrote, how many invocations did. */
  public Map<String, Long> configWrites() {
    return configWrites;
  }

  public StaticFacts staticFacts() {
    return staticFacts;
  }

  public void staticFacts(StaticFacts facts) {
    this.staticFacts = facts;
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("handler", handler);
    m.put("method", method);
    m.put("descriptor", descriptor);
    m.put("owner", owner);
    m.put("invocations", invocations());
    m.put("recorded", recorded);
    m.put("truncated", truncated);
    m.put("costNs", costNs);
    m.put("timedCalls", timedCalls);
    m.put("attributes", new ArrayList<>(attributes));
    List<Object> fs = new ArrayList<>();
    fields.values().forEach(f -> fs.add(f.toJson()));
    m.put("fields", fs);
    m.put("emits", new LinkedHashMap<>(emits));
    m.put("configWrites", new LinkedHashMap<>(configWrites));
    m.put("static", staticFacts == null ? null : staticFacts.toJson());
    return m;
  }

  public static HandlerTrace fromJson(JsonObject o) {
    HandlerTrace h =
        new HandlerTrace(
            o.string("handler"),
            o.string("method", o.string("handler")),
            o.string("descriptor", ""),
            o.string("owner", ""));
    h.invocations = o.number("invocations", 0);
    h.recorded = o.number("recorded", 0);
    h.truncated = o.number("truncated", 0);
    h.costNs = o.number("costNs", 0);
    h.timedCalls = o.number("timedCalls", 0);
    h.attributes.addAll(o.strings("attributes"));
    List<Object> fs = o.list("fields");
    for (int i = 0; i < fs.size(); i++) {
      FieldObservation f =
          FieldObservation.fromJson(new JsonObject(fs.get(i), o.where() + ".fields[" + i + "]"));
      h.fields.put(f.field(), f);
    }
    if (o.has("emits")) {
      JsonObject e = o.object("emits");
      e.raw().keySet().forEach(k -> h.emits.put(k, e.number(k, 0)));
    }
    if (o.has("configWrites")) {
      JsonObject c = o.object("configWrites");
      c.raw().keySet().forEach(k -> h.configWrites.put(k, c.number(k, 0)));
    }
    if (o.has("static")) h.staticFacts = StaticFacts.fromJson(o.object("static"));
    return h;
  }
}
