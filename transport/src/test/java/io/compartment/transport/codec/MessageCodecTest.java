package io.compartment.transport.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.compartment.transport.codec.Samples.Account;
import io.compartment.transport.codec.Samples.Batch;
import io.compartment.transport.codec.Samples.ByLength;
import io.compartment.transport.codec.Samples.Color;
import io.compartment.transport.codec.Samples.Everything;
import io.compartment.transport.codec.Samples.Node;
import io.compartment.transport.codec.Samples.Put;
import io.compartment.transport.codec.Samples.Secret;
import io.compartment.transport.codec.Samples.Validated;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
  private final TypeRegistry registry = Samples.registry();
  private final MessageCodec codec = new MessageCodec(registry);
  private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);

  private Object roundTrip(final Object value) {
    final int offset = 7; // not at zero, to catch offset bugs
    final int length = codec.encode(value, buffer, offset);
    return codec.decode(buffer, offset, length);
  }

  private byte[] encode(final Object value) {
    final int length = codec.encode(value, buffer, 0);
    final byte[] bytes = new byte[length];
    buffer.getBytes(0, bytes);
    return bytes;
  }

  @Test
  void roundTripsScalars() {
    final Object[] values = {
      null,
      true,
      false,
      (byte) -3,
      (short) 31_000,
      'x',
      '\u20ac',
      42,
      Integer.MIN_VALUE,
      Long.MAX_VALUE,
      1.5f,
      Float.NaN,
      -0.0d,
      Double.MAX_VALUE,
      "",
      "ascii",
      "ünïcødé €uro 😀",
      UUID.randomUUID(),
      new BigInteger("-123456789012345678901234567890"),
      new BigDecimal("3.14159265358979323846"),
      Instant.ofEpochSecond(1_700_000_000L, 123_456_789),
      Duration.ofMillis(-1500),
      Color.RED,
      Color.GREEN,
    };
    for (final Object value : values) {
      assertThat(roundTrip(value)).as("%s", value).isEqualTo(value);
    }
    assertThat(roundTrip(Color.GREEN)).isSameAs(Color.GREEN);
  }

  @Test
  void roundTripsRecordsWithNestedCollections() {
    final Put put = new Put("k1", 99L, Color.BLUE, UUID.randomUUID());
    final Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("z", 1);
    counts.put("a", 2);
    final Batch batch =
        new Batch(
            7, List.of(put, new Put("k2", -1L, null, null)), counts, new int[] {1, 2, 3}, null);
    final Batch back = (Batch) roundTrip(batch);
    assertThat(back).isEqualTo(batch);
    assertThat(back.counts()).isInstanceOf(LinkedHashMap.class);
    assertThat(back.counts().keySet()).containsExactly("z", "a");

    final Everything everything =
        new Everything(
            true,
            (byte) 1,
            (short) 2,
            'c',
            4,
            5L,
            6.5f,
            7.25d,
            null,
            'q',
            "s",
            new BigDecimal("-1.00"),
            Instant.EPOCH,
            Set.of(Color.RED, Color.BLUE));
    assertThat(roundTrip(everything)).isEqualTo(everything);
  }

  @Test
  void roundTripsPlainClassWithoutRunningConstructors() {
    final Map<String, Long> balances = new TreeMap<>(Map.of("eur", 10L, "usd", 20L));
    final Account account = new Account(5, "ann", balances);
    account.bump();
    account.bump();
    final int before = Account.constructed;
    final Account back = (Account) roundTrip(account);
    assertThat(Account.constructed).isEqualTo(before);
    assertThat(back).isEqualTo(account).isNotSameAs(account);
    assertThat(back.baseId()).isEqualTo(5);
    assertThat(back.cache()).as("transient field").isNull();
  }

  @Test
  void roundTripsArrays() {
    final Object[] arrays = {
      new byte[] {1, -2, 3},
      new boolean[] {true, false},
      new short[] {-1, 2},
      new char[] {'a', '\u00e9'},
      new int[0],
      new long[] {Long.MIN_VALUE, 0},
      new float[] {1.5f},
      new double[] {Math.PI},
      new String[] {"a", null, "c"},
      new long[][] {{1, 2}, {}, null},
      new Put[] {new Put("x", 1, Color.RED, null)},
      new Color[][] {{Color.GREEN}},
      new Samples.Base[] {new Account(1, "x", Map.of()), null},
      new Object[] {1, "two", 3.0, List.of(4)},
    };
    for (final Object array : arrays) {
      final Object back = roundTrip(array);
      assertThat(back.getClass()).isEqualTo(array.getClass());
      assertThat(Arrays.deepEquals(new Object[] {back}, new Object[] {array}))
          .as("%s", array.getClass().getTypeName())
          .isTrue();
    }
  }

  @Test
  void collectionsKeepTypeAndOrder() {
    final List<Object> collections =
        List.of(
            new ArrayList<>(List.of(3, 1, 2)),
            new LinkedList<>(List.of("b", "a")),
            new HashSet<>(List.of(1, 2, 3)),
            new LinkedHashSet<>(List.of("z", "y", "x")),
            new TreeSet<>(List.of("b", "c", "a")),
            new ArrayDeque<>(List.of(5, 4)),
            new CopyOnWriteArrayList<>(List.of(1)),
            new HashMap<>(Map.of(1, "a", 2, "b")),
            new TreeMap<>(Map.of("b", 1, "a", 2)),
            new ConcurrentHashMap<>(Map.of("k", List.of(1, 2))),
            new ConcurrentSkipListMap<>(Map.of(3, 3, 1, 1)),
            EnumSet.of(Color.GREEN, Color.BLUE),
            EnumSet.noneOf(Color.class));
    for (final Object collection : collections) {
      final Object back = roundTrip(collection);
      if (!(collection instanceof EnumSet)) {
        assertThat(back.getClass()).isEqualTo(collection.getClass());
      }
      if (collection instanceof java.util.Collection && !(collection instanceof Set)) {
        assertThat(order(back)).isEqualTo(order(collection));
      } else {
        assertThat(back).isEqualTo(collection);
      }
      if (collection instanceof EnumSet) {
        assertThat(back).isInstanceOf(EnumSet.class).isEqualTo(collection);
      } else if (collection instanceof TreeSet || collection instanceof LinkedHashSet) {
        assertThat(order(back)).isEqualTo(order(collection));
      }
      if (collection instanceof TreeMap || collection instanceof ConcurrentSkipListMap) {
        assertThat(order(((Map<?, ?>) back).keySet()))
            .isEqualTo(order(((Map<?, ?>) collection).keySet()));
      }
    }
  }

  private static List<Object> order(final Object collection) {
    return new ArrayList<>((java.util.Collection<?>) collection);
  }

  @Test
  @SuppressWarnings("unchecked")
  void sortedCollectionsKeepTheirComparator() {
    final TreeSet<String> reversed = new TreeSet<>(Collections.reverseOrder());
    reversed.addAll(List.of("a", "c", "b"));
    final TreeSet<String> backReversed = (TreeSet<String>) roundTrip(reversed);
    assertThat(backReversed).containsExactly("c", "b", "a");
    backReversed.add("d");
    assertThat(backReversed.first()).isEqualTo("d");

    final TreeMap<String, Integer> byLength = new TreeMap<>(new ByLength());
    byLength.put("ccc", 3);
    byLength.put("a", 1);
    byLength.put("bb", 2);
    final TreeMap<String, Integer> back = (TreeMap<String, Integer>) roundTrip(byLength);
    assertThat(back.keySet()).containsExactly("a", "bb", "ccc");
    assertThat(back.comparator()).isInstanceOf(ByLength.class);

    final PriorityQueue<Integer> queue = new PriorityQueue<>(List.of(5, 1, 3));
    final PriorityQueue<Integer> backQueue = (PriorityQueue<Integer>) roundTrip(queue);
    assertThat(backQueue.poll()).isEqualTo(1);
  }

  @Test
  void unmodifiableCollectionsStayUnmodifiable() {
    @SuppressWarnings("unchecked")
    final List<Object> list = (List<Object>) roundTrip(List.of(1, 2));
    assertThat(list).containsExactly(1, 2);
    assertThatThrownBy(() -> list.add(3)).isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    final Map<Object, Object> map =
        (Map<Object, Object>) roundTrip(Collections.unmodifiableMap(new HashMap<>(Map.of(1, 2))));
    assertThat(map).containsEntry(1, 2);
    assertThatThrownBy(() -> map.put(3, 4)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(roundTrip(Arrays.asList("x", "y"))).isEqualTo(List.of("x", "y"));
  }

  @Test
  void sharedReferencesAreCopiedNotRejected() {
    final Put shared = new Put("s", 1, Color.RED, null);
    final List<Put> twice = List.of(shared, shared);
    assertThat(roundTrip(twice)).isEqualTo(twice);
  }

  @Test
  void rejectsCyclesClearly() {
    final Node a = new Node();
    final Node b = new Node();
    a.next = b;
    b.next = a;
    assertThatThrownBy(() -> encode(a))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("cyclic")
        .hasMessageContaining(Node.class.getTypeName());

    final List<Object> self = new ArrayList<>();
    self.add(self);
    assertThatThrownBy(() -> encode(self))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("cyclic");
  }

  @Test
  void rejectsUnregisteredClassesWhenEncoding() {
    assertThatThrownBy(() -> encode(new Secret()))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining(Secret.class.getName())
        .hasMessageContaining("not registered");
    assertThatThrownBy(() -> encode(List.of(new Secret())))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining(Secret.class.getName());
    final Runnable lambda = () -> {};
    assertThatThrownBy(() -> encode(lambda)).isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> encode(new Thread()))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("java.lang.Thread");
    assertThatThrownBy(() -> encode(new Samples.MyList()))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("MyList");
  }

  @Test
  void rejectsBytesNamingAnUnregisteredClass() {
    final TypeRegistry withSecret = TypeRegistry.of(Secret.class, Put.class);
    final MessageCodec sender = new MessageCodec(withSecret);
    final int length = sender.encode(List.of("ok", new Secret()), buffer, 0);
    final int id = TypeRegistry.stableId(Secret.class.getName());
    assertThatThrownBy(() -> codec.decode(buffer, 0, length))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("0x" + Integer.toHexString(id))
        .hasMessageContaining("not registered")
        .hasMessageContaining("offset")
        .satisfies(e -> assertThat(((CodecException) e).offset()).isPositive());
  }

  @Test
  void bytesNamingAnAbstractOrEnumTypeAsObjectAreRejected() {
    final UnsafeBuffer bytes = new UnsafeBuffer(new byte[5]);
    bytes.putByte(0, MessageCodec.T_OBJECT);
    bytes.putInt(1, registry.idOf(Samples.Base.class), ByteOrder.LITTLE_ENDIAN);
    assertThatThrownBy(() -> codec.decode(bytes, 0, 5))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("abstract")
        .hasMessageContaining("offset 0");
    bytes.putInt(1, registry.idOf(Color.class), ByteOrder.LITTLE_ENDIAN);
    assertThatThrownBy(() -> codec.decode(bytes, 0, 5))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("an enum");
  }

  @Test
  void recordConstructorValidationBecomesCodecException() {
    final int length = codec.encode(new Validated(5), buffer, 0);
    // the int component follows tag (1) and id (4)
    buffer.putInt(5, -1, ByteOrder.LITTLE_ENDIAN);
    assertThatThrownBy(() -> codec.decode(buffer, 0, length))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("not positive");
  }

  @Test
  void hugeLengthsAreRejectedWithoutAllocating() {
    final UnsafeBuffer bytes = new UnsafeBuffer(new byte[16]);
    for (final byte tag :
        new byte[] {
          MessageCodec.T_BYTE_ARRAY,
          MessageCodec.T_LONG_ARRAY,
          MessageCodec.T_STRING,
          MessageCodec.T_BIG_INTEGER
        }) {
      bytes.putByte(0, tag);
      bytes.putInt(1, Integer.MAX_VALUE, ByteOrder.LITTLE_ENDIAN);
      assertThatThrownBy(() -> codec.decode(bytes, 0, 16))
          .isInstanceOf(CodecException.class)
          .hasMessageContaining("remain");
    }
  }

  @Test
  void deepNestingIsRejectedOnBothSides() {
    Object deep = "leaf";
    for (int i = 0; i < 300; i++) {
      deep = List.of(deep);
    }
    final Object tooDeep = deep;
    assertThatThrownBy(() -> encode(tooDeep))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("maxDepth");
    // hand-made: 100 000 nested single-element ArrayLists
    final int levels = 100_000;
    final ExpandableArrayBuffer nested = new ExpandableArrayBuffer(levels * 6 + 1);
    int pos = 0;
    for (int i = 0; i < levels; i++) {
      nested.putByte(pos++, MessageCodec.T_COLLECTION);
      nested.putByte(pos++, (byte) 0);
      nested.putInt(pos, 1, ByteOrder.LITTLE_ENDIAN);
      pos += 4;
    }
    nested.putByte(pos++, MessageCodec.T_NULL);
    final int total = pos;
    assertThatThrownBy(() -> codec.decode(nested, 0, total))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("maxDepth");
  }

  @Test
  void fixedBufferTooSmallFailsClearly() {
    final MutableDirectBuffer small = new UnsafeBuffer(new byte[8]);
    assertThatThrownBy(() -> codec.encode("a string longer than eight bytes", small, 0))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("buffer too small");
  }

  @Test
  void trailingBytesAreRejected() {
    final int length = codec.encode(42, buffer, 0);
    assertThatThrownBy(() -> codec.decode(buffer, 0, length + 1))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("trailing");
  }

  @Test
  void typedDecodeChecksTheType() {
    final int length = codec.encode("text", buffer, 0);
    assertThatThrownBy(() -> codec.decode(buffer, 0, length, Put.class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("expected");
    assertThat(codec.decode(buffer, 0, length, String.class)).isEqualTo("text");
  }

  private static Object complexMessage() {
    final Map<String, Long> balances = new TreeMap<>(Map.of("eur", 1L, "gbp", 2L));
    final Account account = new Account(9, "bob", balances);
    account.bump();
    final TreeMap<String, Object> state = new TreeMap<>();
    state.put("account", account);
    state.put("puts", new ArrayList<>(List.of(new Put("a", 1, Color.GREEN, new UUID(1, 2)))));
    state.put("arr", new Object[] {1, 2L, "three", new int[] {4}, null, Color.BLUE});
    state.put("set", new LinkedHashSet<>(List.of(new BigDecimal("1.5"), Duration.ofSeconds(3))));
    state.put("text", "héllo");
    return state;
  }

  @Test
  void truncationAtEveryOffsetFailsWithCodecException() {
    final byte[] valid = encode(complexMessage());
    final UnsafeBuffer bytes = new UnsafeBuffer(valid);
    // a decoded copy encodes to the same bytes (arrays inside defeat equals())
    assertThat(encode(codec.decode(bytes, 0, valid.length))).isEqualTo(valid);
    for (int length = 0; length < valid.length; length++) {
      final int cut = length;
      assertThatThrownBy(() -> codec.decode(bytes, 0, cut))
          .as("truncated to %d of %d bytes", cut, valid.length)
          .isInstanceOf(CodecException.class)
          .hasMessageContaining("offset");
    }
  }

  @Test
  void randomGarbageGivesOnlyCodecExceptions() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          final Random random = new Random(12345);
          final byte[] bytes = new byte[96];
          final UnsafeBuffer garbage = new UnsafeBuffer(bytes);
          int decoded = 0;
          for (int i = 0; i < 5_000; i++) {
            random.nextBytes(bytes);
            if (i % 2 == 0) {
              // start with a valid tag so that decoding gets past the first byte
              bytes[0] = (byte) random.nextInt(MessageCodec.T_REVERSE_ORDER + 1);
            }
            final int length = random.nextInt(bytes.length + 1);
            decoded += decodeOrCodecException(garbage, length);
          }
          assertThat(decoded).isLessThan(5_000);
        });
  }

  @Test
  void mutatedValidEncodingsGiveOnlyCodecExceptions() {
    final byte[] valid = encode(complexMessage());
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          final Random random = new Random(777);
          final byte[] bytes = new byte[valid.length];
          final UnsafeBuffer mutated = new UnsafeBuffer(bytes);
          for (int i = 0; i < 5_000; i++) {
            System.arraycopy(valid, 0, bytes, 0, valid.length);
            final int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
              final int at = random.nextInt(bytes.length);
              bytes[at] =
                  random.nextBoolean() ? (byte) random.nextInt() : (byte) (bytes[at] ^ 0x80);
            }
            decodeOrCodecException(mutated, bytes.length);
          }
        });
  }

  private int decodeOrCodecException(final UnsafeBuffer bytes, final int length) {
    try {
      final Object value = codec.decode(bytes, 0, length);
      if (value != null) {
        final String type = value.getClass().getName();
        assertThat(
                type.startsWith("java.")
                    || type.startsWith("[")
                    || registry.isRegistered(value.getClass())
                    || value instanceof Enum)
            .as("decoded type %s", type)
            .isTrue();
      }
      return 1;
    } catch (CodecException expected) {
      assertThat(expected.offset()).isGreaterThanOrEqualTo(0);
      return 0;
    }
  }
}
