package io.compartment.transport.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Redo journal for {@link PartitionStore#apply(long, StateBatch)}: the last batches, each with its
 * sequence number, written to one of two slot files in turn before the batch touches the map.
 *
 * <p>Record layout (little-endian): magic (int), payload length (int), sequence number (long),
 * CRC32C of sequence number and payload (int), payload ({@link StateBatch#encode}). A record torn
 * by a process death fails its CRC and is ignored; the other slot still holds the previous record,
 * whose batch is already fully in the map. Not thread-safe.
 */
final class BatchJournal implements AutoCloseable {
  static final int MAGIC = 0x4A425343; // "CSBJ"
  static final int HEADER_LENGTH = 20;
  private static final int LENGTH_OFFSET = 4;
  private static final int SEQ_OFFSET = 8;
  private static final int CRC_OFFSET = 16;

  /** A record read back from a slot. */
  record Entry(long seq, StateBatch batch) {}

  private final Path[] paths;
  private final FileChannel[] channels = new FileChannel[2];
  private final CRC32C crc = new CRC32C();
  private ByteBuffer buffer = ByteBuffer.allocateDirect(4096).order(ByteOrder.LITTLE_ENDIAN);
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
      }
    } catch (final IOException ex) {
      close();
      throw new StateStoreException(paths[0], "cannot open journal", ex);
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
    if (buffer.capacity() < total) {
      buffer =
          ByteBuffer.allocateDirect(Math.max((int) total, buffer.capacity() * 2))
              .order(ByteOrder.LITTLE_ENDIAN);
    }
    final ByteBuffer b = buffer.clear();
    b.putInt(MAGIC).putInt((int) batch.encodedLength()).putLong(seq).putInt(0);
    batch.encode(b);
    b.flip();
    b.putInt(CRC_OFFSET, checksum(b, (int) total));
    try {
      final FileChannel channel = channels[slot];
      long position = 0;
      while (b.hasRemaining()) {
        position += channel.write(b, position);
      }
    } catch (final IOException ex) {
      throw new StateStoreException(paths[slot], "journal write failed", ex);
    }
    lastSlot = slot;
  }

  /** Invalidate both slots (after the store is cleared, or when the journal is off). */
  void reset() {
    for (int i = 0; i < 2; i++) {
      try {
        channels[i].truncate(0);
      } catch (final IOException ex) {
        throw new StateStoreException(paths[i], "journal truncate failed", ex);
      }
    }
    lastSlot = 1;
  }

  /** {@code fsync} both slots. */
  void force() {
    for (int i = 0; i < 2; i++) {
      try {
        channels[i].force(false);
      } catch (final IOException ex) {
        throw new StateStoreException(paths[i], "journal fsync failed", ex);
      }
    }
  }

  @Override
  public void close() {
    for (final FileChannel channel : channels) {
      if (channel != null) {
        try {
          channel.close();
        } catch (final IOException ignore) {
          // closing: nothing more to do
        }
      }
    }
  }

  private Entry read(final int slot) {
    try {
      final FileChannel channel = channels[slot];
      final long size = channel.size();
      if (size < HEADER_LENGTH) {
        return null;
      }
      final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, header, 0);
      final int length = header.getInt(LENGTH_OFFSET);
      if (header.getInt(0) != MAGIC || length < Integer.BYTES || length > size - HEADER_LENGTH) {
        return null;
      }
      final ByteBuffer all =
          ByteBuffer.allocate(HEADER_LENGTH + length).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, all, 0);
      all.flip();
      if (checksum(all, all.limit()) != all.getInt(CRC_OFFSET)) {
        return null;
      }
      final StateBatch batch =
          StateBatch.decode(all.position(HEADER_LENGTH).slice().order(ByteOrder.LITTLE_ENDIAN));
      return batch == null ? null : new Entry(all.getLong(SEQ_OFFSET), batch);
    } catch (final IOException ex) {
      throw new StateStoreException(paths[slot], "journal read failed", ex);
    }
  }

  private static void readFully(final FileChannel channel, final ByteBuffer dst, final long at)
      throws IOException {
    long position = at;
    while (dst.hasRemaining()) {
      final int n = channel.read(dst, position);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      position += n;
    }
  }

  /** CRC32C of the sequence number and the payload of the record in {@code b[0, total)}. */
  private int checksum(final ByteBuffer b, final int total) {
    crc.reset();
    crc.update(b.duplicate().position(SEQ_OFFSET).limit(CRC_OFFSET));
    crc.update(b.duplicate().position(HEADER_LENGTH).limit(total));
    return (int) crc.getValue();
  }
}
