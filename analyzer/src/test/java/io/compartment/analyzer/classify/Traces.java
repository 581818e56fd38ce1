package io.compartment.analyzer.classify;

import io.compartment.analyzer.trace.AccessScope;
import io.compartment.analyzer.trace.HandlerTrace;
import io.compartment.analyzer.trace.Invocation;
import io.compartment.analyzer.trace.Invocation.Op;
import io.compartment.analyzer.trace.ServiceTrace;
import io.compartment.analyzer.trace.StateFieldInfo;
import io.compartment.analyzer.trace.StateKind;
import io.compartment.analyzer.trace.StaticFacts;
import io.compartment.analyzer.trace.WriteKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builders for traces in tests, through the agent's own recording API. */
final class Traces {
  private Traces() {}

  static ServiceTrace service(String name, StateFieldInfo... fields) {
    ServiceTrace s = new ServiceTrace(name);
    s.state().addAll(List.of(fields));
    s.instances(1);
    return s;
  }

  static StateFieldInfo field(String id, StateKind kind) {
    return new StateFieldInfo(id, "demo.Svc", id, "java.lang.Object", kind);
  }

  static HandlerTrace handler(ServiceTrace s, String name) {
    return s.handler(name, name, "(Ldemo/Msg;)V", s.service());
  }

  static Map<String, Object> attrs(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  static Invocation keyedRead(Invocation i, String field, Object key) {
    return i.access(field, AccessScope.KEYED, Op.READ, "get", null, key, null, null, "Svc.java:10");
  }

  static Invocation keyedWrite(Invocation i, String field, WriteKind kind, Object key) {
    return i.access(
        field, AccessScope.KEYED, Op.WRITE, "put", kind, key, null, null, "Svc.java:11");
  }

  static Invocation wholeRead(Invocation i, String field, String op) {
    return i.access(field, AccessScope.WHOLE, Op.READ, op, null, null, null, null, "Svc.java:12");
  }

  static Invocation wholeWrite(Invocation i, String field, String op, WriteKind kind) {
    return i.access(field, AccessScope.WHOLE, Op.WRITE, op, kind, null, null, null, "Svc.java:13");
  }

  static Invocation scalarRead(Invocation i, String field, Object value) {
    return i.access(
        field, AccessScope.SCALAR, Op.READ, "get", null, null, value, null, "Svc.java:14");
  }

  static Invocation scalarWrite(
      Invocation i, String field, WriteKind kind, Object old, Object now) {
    return i.access(
        field, AccessScope.SCALAR, Op.WRITE, "set", kind, null, old, now, "Svc.java:15");
  }

  /** Static facts that confirm: complete, the given fields reached, keys from the given paths. */
  static StaticFacts confirming(Map<String, String> keySources, String... reached) {
    Map<String, Set<String>> ks = new LinkedHashMap<>();
    keySources.forEach((f, p) -> ks.put(f, new LinkedHashSet<>(List.of(p))));
    return new StaticFacts(
        true,
        new LinkedHashSet<>(List.of(reached)),
        ks,
        new LinkedHashSet<>(),
        new LinkedHashSet<>(),
        new LinkedHashSet<>(),
        new ArrayList<>());
  }

  static StaticFacts withThresholdOnly(StaticFacts f, String... fields) {
    Set<String> t = new LinkedHashSet<>(f.thresholdOnly());
    t.addAll(List.of(fields));
    return new StaticFacts(
        f.complete(),
        f.stateFieldsReached(),
        f.keySources(),
        t,
        f.selfAdvanced(),
        f.escapes(),
        f.notes());
  }
}
