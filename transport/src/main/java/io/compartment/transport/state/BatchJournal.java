package io.compartment.transport.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.agrona.IoUtil;

/**
 * Redo journal for {@link PartitionStore#apply(long, StateBatch)}: the last batches, each with its
 * sequence number, written to one of two memory-mapped slot files in turn before the batch touches
 * the map.
 *
 * <p>Record layout (little-endian): magic (int), payload length (int), sequence number (long),
 * CRC32C of sequence number and payload (int), payload ({@link StateBatch#encode}). A record torn
 * by a process death fails its CRC and is ignored; the other slot still holds the previous record,
 * whose batch is already fully in the map. Writes are plain stores into the mapping (no system
 * call): they reach the page cache, which outlives the process, and the device only on {@link
 * #force()} or when the kernel writes them back. A slot file is {@value #MIN_SLOT_CAPACITY} bytes
 * and doubles when a batch needs more. Not thread-safe.
 */
final class BatchJournal implements AutoCloseable {
  static final int MAGIC = 0x4A425343; // "CSBJ"
  static final int HEADER_LENGTH = 20;
  static final int MIN_SLOT_CAPACITY = 64 * 1024;
  private static final int LENGTH_OFFSET = 4;
  private static final int SEQ_OFFSET = 8;
  private static final int CRC_OFFSET = 16;

  /** A record read back from a slot. */
  record Entry(long seq, StateBatch batch) {}

  private final Path[] paths;
  private final FileChannel[] channels = new FileChannel[2];
  private final MappedByteBuffer[] slots = new MappedByteBuffer[2];
  private final CRC32C crc = new CRC32C();
  private int lastSlot = 1;

  BatchJournal(final Path mapFile) {
    paths = slotPaths(mapFile);
    try {
      for (int i = 0; i < 2; i++) {
        channels[i] =
            FileChannel.open(
                paths[i],
                StandardOpenOption.CREATE,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        map(i, capacityFor(channels[i].size()));
      }
    } catch (final IOException | RuntimeException ex) {
      close();
      throw ex instanceof StateStoreException sse
          ? sse
          : new StateStoreException(paths[0], "cannot open journal", ex);
    }
  }

  static Path[] slotPaths(final Path mapFile) {
    return new Path[] {
      mapFile.resolveSibling(mapFile.getFileName() + ".j0"),
      mapFile.resolveSibling(mapFile.getFileName() + ".j1")
    };
  }

  /**
   * @return the valid record with the highest sequence number, or null if neither slot holds one.
   */
  Entry readLatest() {
    Entry latest = null;
    for (int i = 0; i < 2; i++) {
      final Entry entry = read(i);
      if (entry != null && (latest == null || entry.seq() > latest.seq())) {
        latest = entry;
        lastSlot = i;
      }
    }
    return latest;
  }

  /** Write {@code batch} with {@code seq} to the slot not holding the latest record. */
  void write(final long seq, final StateBatch batch) {
    final int slot = 1 - lastSlot;
    final long total = HEADER_LENGTH + batch.encodedLength();
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("batch too large for the journal: " + total + " bytes");
    }
    if (slots[slot].capacity() < total) {
      map(slot, capacityFor(total));
    }
    final ByteBuffer b = slots[slot].duplicate().order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(MAGIC).putInt((int) batch.encodedLength()).putLong(seq).putInt(0);
    batch.encode(b);
    b.putInt(CRC_OFFSET, checksum(b, (int) total));
    lastSlot = slot;
  }

  /** Invalidate both slots (after the store is cleared, or when the journal is off). */
  void reset() {
    for (final MappedByteBuffer slot : slots) {
      slot.putInt(0, 0);
    }
    lastSlot = 1;
  }

  /** Flush both slots to the device ({@code msync}). */
  void force() {
    for (final MappedByteBuffer slot : slots) {
      slot.force();
    }
  }

  @Override
  public void close() {
    for (int i = 0; i < 2; i++) {
      if (slots[i] != null) {
        IoUtil.unmap(slots[i]);
        slots[i] = null;
      }
      if (channels[i] != null) {
        try {
          channels[i].close();
        } catch (final IOException ignore) {
          // closing: nothing more to do
        }
      }
    }
  }

  private static long capacityFor(final long bytes) {
    long capacity = MIN_SLOT_CAPACITY;
    while (capacity < bytes) {
      capacity <<= 1;
    }
    return capacity;
  }

  /**
   * (Re)map a slot with {@code capacity} bytes. The file is first filled with zeros up to {@code
   * capacity} by ordinary writes, so that a full disk fails here with an {@link IOException} rather
   * than later, as a fault on a store into a page of a sparse mapping.
   */
  private void map(final int slot, final long capacity) {
    if (capacity > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("journal slot too large: " + capacity + " bytes");
    }
    try {
      final FileChannel channel = channels[slot];
      final ByteBuffer zeros = ByteBuffer.allocate(8192);
      for (long position = channel.size(); position < capacity; ) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), capacity - position));
        position += channel.write(zeros, position);
      }
      final MappedByteBuffer mapped =
          channels[slot].map(FileChannel.MapMode.READ_WRITE, 0, capacity);
      if (slots[slot] != null) {
        IoUtil.unmap(slots[slot]);
      }
      slots[slot] = mapped;
    } catch (final IOException ex) {
      throw new StateStoreException(paths[slot], "cannot map journal slot", ex);
    }
  }

  private Entry read(final int slot) {
    final ByteBuffer b = slots[slot].duplicate().order(ByteOrder.LITTLE_ENDIAN);
    final int length = b.getInt(LENGTH_OFFSET);
    if (b.getInt(0) != MAGIC || length < Integer.BYTES || length > b.capacity() - HEADER_LENGTH) {
      return null;
    }
    final int total = HEADER_LENGTH + length;
    if (checksum(b, total) != b.getInt(CRC_OFFSET)) {
      return null;
    }
    final StateBatch batch =
        StateBatch.decode(
            b.limit(total).position(HEADER_LENGTH).slice().order(ByteOrder.LITTLE_ENDIAN));
    return batch == null ? null : new Entry(b.getLong(SEQ_OFFSET), batch);
  }

  /** CRC32C of the sequence number and the payload of the record in {@code b[0, total)}. */
  private int checksum(final ByteBuffer b, final int total) {
    crc.reset();
    crc.update(b.duplicate().clear().position(SEQ_OFFSET).limit(CRC_OFFSET));
    crc.update(b.duplicate().clear().limit(total).position(HEADER_LENGTH));
    return (int) crc.getValue();
  }
}
