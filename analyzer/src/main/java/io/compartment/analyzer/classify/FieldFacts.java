package io.compartment.analyzer.classify;

import io.compartment.analyzer.report.FieldAccess;
import io.compartment.analyzer.report.StateFieldReport;
import io.compartment.analyzer.trace.FieldObservation;
import io.compartment.analyzer.trace.HandlerTrace;
import io.compartment.analyzer.trace.StateKind;
import io.compartment.analyzer.trace.WriteKind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Service-wide facts about one state field, summed over every handler that touched it. */
final class FieldFacts {
  final String id;
  final StateKind kind;
  final List<HandlerTrace> touching = new ArrayList<>();
  final Set<WriteKind> writes = EnumSet.noneOf(WriteKind.class);
  long keyed;
  long whole;
  long scalar;
  long recordedOfTouching;
  long changingWrites;
  final List<String> allocatingHandlers = new ArrayList<>();
  FieldAccess access = FieldAccess.NONE;
  boolean replicable;
  final List<String> reasons = new ArrayList<>();

  FieldFacts(String id, StateKind kind) {
    this.id = id;
    this.kind = kind;
  }

  void add(HandlerTrace h, FieldObservation o) {
    touching.add(h);
    keyed += o.keyedReads() + o.keyedWrites();
    whole += o.wholeReads() + o.wholeWrites();
    scalar += o.scalarReads() + o.scalarWrites();
    o.writeKinds()
        .forEach(
            (k, n) -> {
              if (n != null && n > 0) writes.add(k);
            });
    recordedOfTouching += h.recorded();
    changingWrites += o.changingWrites();
    if (Rules.allocates(o)) allocatingHandlers.add(h.handler());
  }

  /** Decides access and replicability once every handler has been added. */
  void conclude() {
    int scopes = (keyed > 0 ? 1 : 0) + (whole > 0 ? 1 : 0) + (scalar > 0 ? 1 : 0);
    if (scopes == 0) {
      access = FieldAccess.NONE;
    } else if (scopes > 1) {
      access = FieldAccess.MIXED;
    } else {
      access = keyed > 0 ? FieldAccess.KEYED : whole > 0 ? FieldAccess.WHOLE : FieldAccess.SCALAR;
    }
    if (touching.isEmpty()) {
      reasons.add("never touched while tracing");
      return;
    }
    if (access != FieldAccess.SCALAR) {
      reasons.add(
          "not replicable: accessed "
              + access.name().toLowerCase()
              + (access == FieldAccess.MIXED ? " (" + scopesText() + ")" : "")
              + ", not as one scalar value");
    } else if (writes.contains(WriteKind.NONMONOTONE)) {
      reasons.add("not replicable: written non-monotonically (NONMONOTONE writes seen)");
    } else if (!allocatingHandlers.isEmpty()) {
      reasons.add(
          "not replicable: allocated by "
              + String.join(", ", allocatingHandlers)
              + " (advanced by itself and handed out)");
    } else if (changingWrites * 5 > recordedOfTouching) {
      reasons.add(
          "not replicable: changed by "
              + changingWrites
              + " writes in "
              + recordedOfTouching
              + " invocations (more than 20%)");
    } else {
      replicable = true;
      reasons.add(
          "replicable lattice: one scalar, writes only "
              + writesText()
              + ", changed by "
              + changingWrites
              + " writes in "
              + recordedOfTouching
              + " invocations (at most 20%)");
    }
  }

  private String scopesText() {
    List<String> s = new ArrayList<>();
    if (keyed > 0) s.add("keyed " + keyed);
    if (whole > 0) s.add("whole " + whole);
    if (scalar > 0) s.add("scalar " + scalar);
    return String.join(", ", s);
  }

  String writesText() {
    if (writes.isEmpty()) return "none";
    List<String> s = new ArrayList<>();
    writes.forEach(w -> s.add(w.name()));
    return String.join("/", s);
  }

  StateFieldReport toReport() {
    List<String> names = new ArrayList<>();
    touching.forEach(h -> names.add(h.handler()));
    return new StateFieldReport(
        id, kind, new ArrayList<>(writes), access, replicable, names, reasons);
  }
}
