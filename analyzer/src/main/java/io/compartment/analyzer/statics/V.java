package io.compartment.analyzer.statics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.analysis.Value;

/**
 * The abstract value of one stack slot or local: where it came from. Immutable; sets are sorted so
 * that a value has one canonical text form, used as a memo key.
 */
final class V implements Value {
  private static final Set<String> NONE = Collections.emptySet();

  /** An uninitialized slot (the second half of a long, an unset local). */
  static final V UNINIT =
      new V(1, NONE, false, NONE, NONE, NONE, NONE, NONE, NONE, NONE, false, null);

  final int size;

  /** Message attribute paths ({@code arg0.slot}) this value equals. */
  final Set<String> paths;

  /** True if the value may also come from something that is no message attribute. */
  final boolean other;

  /** State fields whose content object (the collection, the scalar) this value is. */
  final Set<String> state;

  /** State fields of which this is a view, iterator, stream or copy of the whole. */
  final Set<String> views;

  /** State fields this value was computed from in any way. */
  final Set<String> derived;

  /** State fields whose read value this is, unprocessed (for threshold tests). */
  final Set<String> origins;

  /** State fields whose read value was compared into this (an LCMP result). */
  final Set<String> cmpOf;

  /** State fields whose read value flowed into this through arithmetic or max/min. */
  final Set<String> rmwOf;

  /**
   * State fields whose read value flowed into this through arithmetic (not max/min): an advance.
   */
  final Set<String> advOf;

  /** The service instance itself. */
  final boolean service;

  /** A lambda made here, or null. */
  final Lambda lambda;

  /** A lambda object: its invokedynamic and the values it captured. */
  record Lambda(InvokeDynamicInsnNode insn, List<V> captured) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Lambda l && l.insn == insn && l.captured.equals(captured);
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(insn) * 31 + captured.hashCode();
    }
  }

  private V(
      int size,
      Set<String> paths,
      boolean other,
      Set<String> state,
      Set<String> views,
      Set<String> derived,
      Set<String> origins,
      Set<String> cmpOf,
      Set<String> rmwOf,
      Set<String> advOf,
      boolean service,
      Lambda lambda) {
    this.size = size;
    this.paths = paths;
    this.other = other;
    this.state = state;
    this.views = views;
    this.derived = derived;
    this.origins = origins;
    this.cmpOf = cmpOf;
    this.rmwOf = rmwOf;
    this.advOf = advOf;
    this.service = service;
    this.lambda = lambda;
  }

  static V other(int size) {
    return new V(size, NONE, true, NONE, NONE, NONE, NONE, NONE, NONE, NONE, false, null);
  }

  static V path(int size, String path) {
    return new V(size, Set.of(path), false, NONE, NONE, NONE, NONE, NONE, NONE, NONE, false, null);
  }

  static V serviceRef() {
    return new V(1, NONE, true, NONE, NONE, NONE, NONE, NONE, NONE, NONE, true, null);
  }

  /** The value of a state field just read: its content, tracked for threshold tests. */
  static V stateLoad(int size, String field) {
    Set<String> f = Set.of(field);
    return new V(size, NONE, true, f, NONE, f, f, NONE, NONE, NONE, false, null);
  }

  static V lambda(InvokeDynamicInsnNode insn, List<V> captured) {
    Set<String> derived = new TreeSet<>();
    for (V c : captured) derived.addAll(c.derived);
    return new V(
        1,
        NONE,
        true,
        NONE,
        NONE,
        freeze(derived),
        NONE,
        NONE,
        NONE,
        NONE,
        false,
        new Lambda(insn, List.copyOf(captured)));
  }

  V withSize(int newSize) {
    if (newSize == size) return this;
    return new V(
        newSize, paths, other, state, views, derived, origins, cmpOf, rmwOf, advOf, service,
        lambda);
  }

  /** The same value seen through a conversion (widening, narrowing, unboxing): provenance kept. */
  V converted(int newSize, boolean keepPaths) {
    return new V(
        newSize,
        keepPaths ? paths : NONE,
        other || (!keepPaths && !paths.isEmpty()),
        state,
        views,
        derived,
        origins,
        cmpOf,
        rmwOf,
        advOf,
        service,
        null);
  }

  /** A value that only carries the taint of {@code from}: something else computed from them. */
  static V derivedFrom(int size, V... from) {
    Set<String> d = new TreeSet<>();
    for (V v : from) if (v != null) d.addAll(v.derived);
    return new V(size, NONE, true, NONE, NONE, freeze(d), NONE, NONE, NONE, NONE, false, null);
  }

  static V derivedFrom(int size, List<V> from) {
    return derivedFrom(size, from.toArray(new V[0]));
  }

  /** The result of arithmetic on {@code from}: a read-modify-write candidate, an advance. */
  static V arithmetic(int size, boolean advance, V... from) {
    Set<String> d = new TreeSet<>();
    Set<String> rmw = new TreeSet<>();
    Set<String> adv = new TreeSet<>();
    for (V v : from) {
      if (v == null) continue;
      d.addAll(v.derived);
      rmw.addAll(v.origins);
      rmw.addAll(v.rmwOf);
      adv.addAll(v.advOf);
      if (advance) adv.addAll(v.origins);
    }
    return new V(
        size, NONE, true, NONE, NONE, freeze(d), NONE, NONE, freeze(rmw), freeze(adv), false, null);
  }

  /** The result of comparing {@code a} and {@code b} (LCMP and friends). */
  static V comparison(V a, V b) {
    Set<String> d = new TreeSet<>(a.derived);
    d.addAll(b.derived);
    Set<String> c = new TreeSet<>();
    for (V v : new V[] {a, b}) {
      c.addAll(v.origins);
      c.addAll(v.rmwOf);
    }
    return new V(1, NONE, true, NONE, NONE, freeze(d), NONE, freeze(c), NONE, NONE, false, null);
  }

  /** A view, iterator or copy of the whole of the given state fields. */
  static V view(Set<String> fields, Set<String> derived) {
    Set<String> d = new TreeSet<>(derived);
    d.addAll(fields);
    return new V(
        1,
        NONE,
        true,
        NONE,
        freeze(new TreeSet<>(fields)),
        freeze(d),
        NONE,
        NONE,
        NONE,
        NONE,
        false,
        null);
  }

  /** An element read from state fields (through a key, or of a view). */
  static V element(int size, Set<String> derived) {
    return new V(
        size,
        NONE,
        true,
        NONE,
        NONE,
        freeze(new TreeSet<>(derived)),
        NONE,
        NONE,
        NONE,
        NONE,
        false,
        null);
  }

  /** A value read from state in a way that is a threshold candidate (size(), isEmpty(), get()). */
  static V measured(int size, Set<String> fields, Set<String> derived) {
    Set<String> d = new TreeSet<>(derived);
    d.addAll(fields);
    Set<String> f = freeze(new TreeSet<>(fields));
    return new V(size, NONE, true, NONE, NONE, freeze(d), f, NONE, NONE, NONE, false, null);
  }

  /** An advanced scalar state object's new value ({@code incrementAndGet}). */
  static V advanced(int size, Set<String> fields) {
    Set<String> f = freeze(new TreeSet<>(fields));
    return new V(size, NONE, true, NONE, NONE, f, NONE, NONE, f, f, false, null);
  }

  /** The attribute one property below this value's paths, up to two levels below an argument. */
  V property(int newSize, String name) {
    Set<String> p = new TreeSet<>();
    boolean lost = other;
    for (String path : paths) {
      int dots = 0;
      for (int i = 0; i < path.length(); i++) if (path.charAt(i) == '.') dots++;
      if (dots < 2) p.add(path + "." + name);
      else lost = true;
    }
    return new V(
        newSize,
        freeze(p),
        lost || p.isEmpty(),
        NONE,
        NONE,
        derived,
        NONE,
        NONE,
        NONE,
        NONE,
        false,
        null);
  }

  /** Where a key equal to this value comes from: its paths, and "?" for anything else. */
  Set<String> keySources() {
    Set<String> s = new TreeSet<>(paths);
    if (other || paths.isEmpty()) s.add("?");
    return s;
  }

  boolean stateRef() {
    return !state.isEmpty() || !views.isEmpty();
  }

  boolean tracked() {
    return !origins.isEmpty() || !cmpOf.isEmpty() || !rmwOf.isEmpty();
  }

  static V merge(V a, V b) {
    if (a == null) return b;
    if (b == null) return a;
    if (a.equals(b)) return a;
    if (a.size != b.size) return UNINIT;
    if (a == UNINIT || b == UNINIT) return UNINIT;
    return new V(
        a.size,
        union(a.paths, b.paths),
        a.other || b.other,
        union(a.state, b.state),
        union(a.views, b.views),
        union(a.derived, b.derived),
        union(a.origins, b.origins),
        union(a.cmpOf, b.cmpOf),
        union(a.rmwOf, b.rmwOf),
        union(a.advOf, b.advOf),
        a.service || b.service,
        Objects.equals(a.lambda, b.lambda) ? a.lambda : null);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    if (b.isEmpty() || a.containsAll(b)) return a;
    if (a.isEmpty()) return b;
    Set<String> u = new TreeSet<>(a);
    u.addAll(b);
    return Collections.unmodifiableSet(u);
  }

  private static Set<String> freeze(Set<String> s) {
    return s.isEmpty() ? NONE : Collections.unmodifiableSet(s);
  }

  @Override
  public int getSize() {
    return size;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof V v)) return false;
    return size == v.size
        && other == v.other
        && service == v.service
        && paths.equals(v.paths)
        && state.equals(v.state)
        && views.equals(v.views)
        && derived.equals(v.derived)
        && origins.equals(v.origins)
        && cmpOf.equals(v.cmpOf)
        && rmwOf.equals(v.rmwOf)
        && advOf.equals(v.advOf)
        && Objects.equals(lambda, v.lambda);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        size, paths, other, state, views, derived, origins, cmpOf, rmwOf, advOf, service, lambda);
  }

  /** A canonical text form (sets are sorted), used in memo keys. */
  @Override
  public String toString() {
    if (this == UNINIT) return "_";
    List<String> parts = new ArrayList<>();
    parts.add(Integer.toString(size));
    if (!paths.isEmpty()) parts.add("p" + new TreeSet<>(paths));
    if (other) parts.add("o");
    if (!state.isEmpty()) parts.add("s" + new TreeSet<>(state));
    if (!views.isEmpty()) parts.add("v" + new TreeSet<>(views));
    if (!derived.isEmpty()) parts.add("d" + new TreeSet<>(derived));
    if (!origins.isEmpty()) parts.add("g" + new TreeSet<>(origins));
    if (!cmpOf.isEmpty()) parts.add("c" + new TreeSet<>(cmpOf));
    if (!rmwOf.isEmpty()) parts.add("r" + new TreeSet<>(rmwOf));
    if (!advOf.isEmpty()) parts.add("a" + new TreeSet<>(advOf));
    if (service) parts.add("this");
    if (lambda != null) parts.add("L" + System.identityHashCode(lambda.insn()) + lambda.captured());
    return String.join(":", parts);
  }
}
