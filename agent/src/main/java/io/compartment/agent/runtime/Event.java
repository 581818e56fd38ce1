package io.compartment.agent.runtime;

import io.compartment.analyzer.trace.AccessScope;
import io.compartment.analyzer.trace.Invocation.Op;
import io.compartment.analyzer.trace.WriteKind;

/** One thing a recorded invocation did, kept by reference until aggregation. */
public final class Event {
  /** What kind of event. */
  public enum Kind {
    ACCESS,
    EMIT,
    CONFIG_WRITE
  }

  public final Kind kind;
  public final FieldSite field;
  public final AccessScope scope;
  public final Op op;
  public final String method;
  public final WriteKind writeKind;
  public final Object key;
  public final Object oldValue;
  public final Object newValue;
  public final String where;
  public final Object[] emitted;

  private Event(
      Kind kind,
      FieldSite field,
      AccessScope scope,
      Op op,
      String method,
      WriteKind writeKind,
      Object key,
      Object oldValue,
      Object newValue,
      String where,
      Object[] emitted) {
    this.kind = kind;
    this.field = field;
    this.scope = scope;
    this.op = op;
    this.method = method;
    this.writeKind = writeKind;
    this.key = key;
    this.oldValue = oldValue;
    this.newValue = newValue;
    this.where = where;
    this.emitted = emitted;
  }

  static Event access(
      FieldSite field,
      AccessScope scope,
      Op op,
      String method,
      WriteKind kind,
      Object key,
      Object oldValue,
      Object newValue,
      String where) {
    return new Event(
        Kind.ACCESS, field, scope, op, method, kind, key, oldValue, newValue, where, null);
  }

  static Event emit(String target, Object[] args, String where) {
    return new Event(Kind.EMIT, null, null, null, target, null, null, null, null, where, args);
  }

  static Event configWrite(FieldSite field) {
    return new Event(
        Kind.CONFIG_WRITE,
        field,
        null,
        null,
        field.name(),
        null,
        null,
        null,
        null,
        field.where(),
        null);
  }
}
