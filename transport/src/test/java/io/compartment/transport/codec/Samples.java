package io.compartment.transport.codec;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/** Message and state types used by the codec tests. */
final class Samples {
  private Samples() {}

  enum Color {
    RED,
    GREEN {
      @Override
      public String toString() {
        return "green!";
      }
    },
    BLUE
  }

  record Put(String key, long value, Color color, UUID id) {}

  record Batch(int epoch, List<Put> puts, Map<String, Integer> counts, int[] raw, Object extra) {
    @Override
    public boolean equals(final Object o) {
      return o instanceof Batch
          && ((Batch) o).epoch == epoch
          && Objects.equals(((Batch) o).puts, puts)
          && Objects.equals(((Batch) o).counts, counts)
          && java.util.Arrays.equals(((Batch) o).raw, raw)
          && Objects.deepEquals(((Batch) o).extra, extra);
    }

    @Override
    public int hashCode() {
      return epoch;
    }
  }

  record Validated(int positive) {
    Validated {
      if (positive <= 0) {
        throw new IllegalArgumentException("not positive: " + positive);
      }
    }
  }

  record Everything(
      boolean z,
      byte b,
      short s,
      char c,
      int i,
      long l,
      float f,
      double d,
      Boolean bz,
      Character bc,
      String str,
      BigDecimal money,
      Instant at,
      Set<Color> colors) {}

  abstract static class Base {
    private final long baseId;
    protected String note;

    Base(final long baseId) {
      this.baseId = baseId;
    }

    long baseId() {
      return baseId;
    }
  }

  /** Plain class: private final fields, inherited fields, a transient field, no no-arg ctor. */
  static final class Account extends Base {
    static int constructed;

    private final String owner;
    private final Map<String, Long> balances;
    private int version;
    private transient Object cache = "cached";

    Account(final long id, final String owner, final Map<String, Long> balances) {
      super(id);
      constructed++;
      this.owner = owner;
      this.balances = balances;
    }

    void bump() {
      version++;
      note = "v" + version;
    }

    Object cache() {
      return cache;
    }

    @Override
    public boolean equals(final Object o) {
      return o instanceof Account
          && ((Account) o).baseId() == baseId()
          && Objects.equals(((Account) o).note, note)
          && Objects.equals(((Account) o).owner, owner)
          && Objects.equals(((Account) o).balances, balances)
          && ((Account) o).version == version;
    }

    @Override
    public int hashCode() {
      return Objects.hash(owner, version);
    }
  }

  /** A mutable node for cycle tests. */
  static final class Node {
    Object next;
  }

  /** A comparator that is a registered class. */
  static final class ByLength implements Comparator<String> {
    @Override
    public int compare(final String a, final String b) {
      final int c = Integer.compare(a.length(), b.length());
      return c != 0 ? c : a.compareTo(b);
    }
  }

  /** Registered in one registry only: bytes naming it must be rejected by the other. */
  static final class Secret {
    String payload = "rm -rf";
  }

  /** Not allowed: extends a JDK collection. */
  static final class MyList extends java.util.ArrayList<String> {
    private static final long serialVersionUID = 1L;
  }

  /** Not allowed: captures its enclosing instance. */
  final class Inner {
    int x;
  }

  static TypeRegistry registry() {
    return TypeRegistry.of(
        Color.class,
        Put.class,
        Batch.class,
        Validated.class,
        Everything.class,
        Base.class,
        Account.class,
        Node.class,
        ByLength.class);
  }
}
