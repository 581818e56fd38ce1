package io.compartment.transport.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Exclusive OS lock on a {@code <map file>.lock} file, held while a {@link PartitionStore} is open,
 * plus a one-byte marker in it that says whether the last owner closed the store cleanly.
 *
 * <p>The OS releases the lock when its holder dies (SIGKILL included), so holding it proves that no
 * other process (going through {@link PartitionStore}) has the map open, which is what {@code
 * ChronicleMapBuilder.recoverPersistedTo} requires. The marker is still {@link #OPEN} after a
 * process death, which tells the next owner to recover the map.
 */
final class StoreLock implements AutoCloseable {
  static final byte CLEAN = 'C';
  static final byte OPEN = 'O';

  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;
  private final boolean previousOwnerClosedCleanly;

  private StoreLock(
      final Path path, final FileChannel channel, final FileLock lock, final boolean clean) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
    this.previousOwnerClosedCleanly = clean;
  }

  static Path lockPath(final Path mapFile) {
    return mapFile.resolveSibling(mapFile.getFileName() + ".lock");
  }

  /**
   * Take the lock without waiting and mark the store open.
   *
   * @throws StateStoreException if another process or this JVM holds it.
   */
  static StoreLock acquire(final Path mapFile) {
    final Path path = lockPath(mapFile);
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      final FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (final OverlappingFileLockException ex) {
        throw new StateStoreException(mapFile, "store is already open in this JVM");
      }
      if (lock == null) {
        throw new StateStoreException(mapFile, "store is open in another process (" + path + ")");
      }
      final ByteBuffer marker = ByteBuffer.allocate(1);
      final boolean clean = channel.read(marker, 0) == 1 && marker.get(0) == CLEAN;
      channel.write(ByteBuffer.wrap(new byte[] {OPEN}), 0);
      return new StoreLock(path, channel, lock, clean);
    } catch (final IOException ex) {
      closeQuietly(channel);
      throw new StateStoreException(path, "cannot lock", ex);
    } catch (final RuntimeException ex) {
      closeQuietly(channel);
      throw ex;
    }
  }

  /**
   * @return true if the marker said the previous owner closed the store; false after a process
   *     death, and when there was no marker (new or lost lock file).
   */
  boolean previousOwnerClosedCleanly() {
    return previousOwnerClosedCleanly;
  }

  /** Mark the store cleanly closed and release the lock. */
  void releaseClean() {
    try {
      channel.write(ByteBuffer.wrap(new byte[] {CLEAN}), 0);
    } catch (final IOException ex) {
      close();
      throw new StateStoreException(path, "cannot write the clean-close marker", ex);
    }
    close();
  }

  /** Release the lock, leaving the marker as it is. */
  @Override
  public void close() {
    try {
      lock.release();
    } catch (final IOException ignore) {
      // the channel close below releases it too
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(final FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (final IOException ignore) {
        // closing: nothing more to do
      }
    }
  }
}
