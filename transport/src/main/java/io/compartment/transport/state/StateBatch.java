package io.compartment.transport.state;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An ordered list of changes (puts and removes of opaque {@code byte[]} keys and values) that
 * {@link PartitionStore#apply(long, StateBatch)} writes together with a sequence number.
 *
 * <p>The batch keeps references to the arrays it is given, it does not copy them: do not modify
 * them until the batch has been applied. A batch is reusable: {@link #reset()} empties it. Not
 * thread-safe.
 */
public final class StateBatch {
  static final byte PUT = 1;
  static final byte REMOVE = 2;

  private byte[][] keys = new byte[16][];
  private byte[][] values = new byte[16][];
  private int count;
  private long payloadLength = Integer.BYTES;

  /**
   * Add a put.
   *
   * @param key non-empty key bytes.
   * @param value value bytes, may be empty.
   * @return this for a fluent API.
   */
  public StateBatch put(final byte[] key, final byte[] value) {
    PartitionStore.checkKey(key);
    if (value == null) {
      throw new NullPointerException("value");
    }
    add(key, value);
    payloadLength += 1 + Integer.BYTES + key.length + Integer.BYTES + value.length;
    return this;
  }

  /**
   * Add a remove; removing an absent key is not an error.
   *
   * @param key non-empty key bytes.
   * @return this for a fluent API.
   */
  public StateBatch remove(final byte[] key) {
    PartitionStore.checkKey(key);
    add(key, null);
    payloadLength += 1 + Integer.BYTES + key.length;
    return this;
  }

  /**
   * @return number of changes in the batch.
   */
  public int size() {
    return count;
  }

  /**
   * @return true if the batch holds no change.
   */
  public boolean isEmpty() {
    return count == 0;
  }

  /**
   * Empty the batch so it can be reused.
   *
   * @return this for a fluent API.
   */
  public StateBatch reset() {
    Arrays.fill(keys, 0, count, null);
    Arrays.fill(values, 0, count, null);
    count = 0;
    payloadLength = Integer.BYTES;
    return this;
  }

  /**
   * @param index of the change, 0 to {@link #size()} - 1.
   * @return its key.
   */
  public byte[] key(final int index) {
    checkIndex(index);
    return keys[index];
  }

  /**
   * @param index of the change, 0 to {@link #size()} - 1.
   * @return its value, or null if the change is a remove.
   */
  public byte[] value(final int index) {
    checkIndex(index);
    return values[index];
  }

  /** Length in bytes of {@link #encode(ByteBuffer)}'s output. */
  long encodedLength() {
    return payloadLength;
  }

  /**
   * Append the batch to {@code buffer}: count, then per change type, key length, key[, length,
   * value].
   */
  void encode(final ByteBuffer buffer) {
    buffer.putInt(count);
    for (int i = 0; i < count; i++) {
      final byte[] value = values[i];
      buffer.put(value == null ? REMOVE : PUT);
      buffer.putInt(keys[i].length).put(keys[i]);
      if (value != null) {
        buffer.putInt(value.length).put(value);
      }
    }
  }

  /**
   * Read a batch written by {@link #encode(ByteBuffer)} from the remaining bytes of {@code buffer}.
   *
   * @return null if the bytes are not a well-formed batch.
   */
  static StateBatch decode(final ByteBuffer buffer) {
    try {
      final StateBatch batch = new StateBatch();
      final int n = buffer.getInt();
      if (n < 0) {
        return null;
      }
      for (int i = 0; i < n; i++) {
        final byte type = buffer.get();
        final byte[] key = bytes(buffer);
        if (key == null || key.length == 0) {
          return null;
        }
        if (type == PUT) {
          final byte[] value = bytes(buffer);
          if (value == null) {
            return null;
          }
          batch.put(key, value);
        } else if (type == REMOVE) {
          batch.remove(key);
        } else {
          return null;
        }
      }
      return buffer.hasRemaining() ? null : batch;
    } catch (final BufferUnderflowException ex) {
      return null;
    }
  }

  private static byte[] bytes(final ByteBuffer buffer) {
    final int length = buffer.getInt();
    if (length < 0 || length > buffer.remaining()) {
      return null;
    }
    final byte[] bytes = new byte[length];
    buffer.get(bytes);
    return bytes;
  }

  private void add(final byte[] key, final byte[] value) {
    if (count == keys.length) {
      keys = Arrays.copyOf(keys, count * 2);
      values = Arrays.copyOf(values, count * 2);
    }
    keys[count] = key;
    values[count] = value;
    count++;
  }

  private void checkIndex(final int index) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException("index=" + index + " size=" + count);
    }
  }
}
