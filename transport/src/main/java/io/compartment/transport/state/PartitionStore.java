package io.compartment.transport.state;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import net.openhft.chronicle.hash.impl.VanillaChronicleHash;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

/**
 * The persisted state of one partition of one service instance: a Chronicle Map file of opaque
 * {@code byte[]} keys and values, plus the sequence number of the last message applied to it.
 *
 * <h2>Files</h2>
 *
 * For a map file {@code F} ({@link #path(Path, String, int)} names one per service instance and
 * partition) the store also keeps {@code F.lock} (OS lock plus clean-close marker) and {@code
 * F.j0}, {@code F.j1} (redo journal of the last batch). While it opens, {@code F.creating} (a new
 * map being created) or {@code F.recovering} (a copy being recovered) may exist for a moment; a
 * process death leaves them behind and the next open deletes them. {@link #delete()} removes them
 * all.
 *
 * <h2>Atomic apply</h2>
 *
 * {@link #apply(long, StateBatch)} writes a batch of changes and the new last-applied sequence
 * number. Chronicle Map has no multi-key transaction, so the store makes it atomic with respect to
 * <b>process death</b> (SIGKILL, crash, {@code halt}) as follows:
 *
 * <ol>
 *   <li>the batch and its sequence number are written as one CRC-checked record to the journal slot
 *       that does not hold the previous batch (stores into a memory-mapped file, no system call);
 *   <li>the changes are written to the map, in batch order;
 *   <li>the sequence number is written last, in the same map, under a reserved key (the empty key,
 *       which is why keys must not be empty).
 * </ol>
 *
 * Every batch is journaled, empty ones included, so the newest journal record that passes its CRC
 * is always the last applied or the in-flight batch. On open, if its sequence number is higher than
 * the map's (the batch was in flight, or Chronicle's recovery dropped a torn sequence entry), its
 * changes are applied again (puts and removes of whole values are idempotent) and the sequence
 * number written. Chronicle's recovery drops entries torn by the kill (checksum mismatch; the kill
 * test sees one or two per recovery): those belong to the in-flight batch, so the replay restores
 * them (writes outside {@link #apply}, i.e. {@link #put}, {@link #putAll}, {@link #remove}, have no
 * such protection). Hence after any process death and reopen, the map holds exactly the state after
 * batch {@link #lastAppliedSeq()}: every change of that batch and of all earlier ones, and none of
 * a later one. A death during step 1 leaves a torn record whose CRC fails: the batch never touched
 * the map and is lost as a whole (the sender still holds it unacknowledged).
 *
 * <p>With the journal switched off ({@link Context#journal(boolean)}) steps 2 and 3 alone only
 * approximate this: the sequence number is written after the batch's changes, so it never claims a
 * batch whose writes did not happen, but changes of the next, unfinished batch may be partly
 * present (harmless if the sender redelivers it), and a put torn mid-write over an existing entry
 * is dropped by Chronicle's recovery, losing that key's older value from an already acknowledged
 * batch. Hence the journal is on by default.
 *
 * <p>What survives: everything written before a <b>process</b> death, because map and journal
 * writes go to the kernel's page cache, which outlives the process. Nothing is flushed to the
 * device unless {@link #sync()} is called, so a <b>power loss or kernel crash</b> can lose recent
 * writes in any order and leave the map inconsistent or corrupt; even with {@link #sync()}, writes
 * made after the last sync can reach the device partly and out of order. Recovering from that is
 * the job of the host, which re-ships the partition.
 *
 * <h2>Reopen after a process death</h2>
 *
 * A process killed inside a map operation can leave a segment lock held, so the next writer would
 * hang. The store holds an exclusive OS lock on {@code F.lock} while open (released by the OS when
 * the holder dies) and a marker that is set to "open" on open and "clean" on {@link #close()}. If
 * the marker is not "clean", the previous owner died, and because this process holds the lock no
 * other process has the map open, so {@code ChronicleMapBuilder.recoverPersistedTo(file, true)} is
 * safe: it resets the segment locks and drops entries whose checksum fails. (Without it, a write to
 * a segment whose lock a dead process held spins for 60 s and then throws {@code
 * InterProcessDeadLockException}; checked on Chronicle Map 2026.1.) The file is first opened
 * normally, so that a truncated file is reported rather than silently extended by recovery, and its
 * header is checked first, so that a file whose header was never completed fails at once instead of
 * after Chronicle's one-minute wait for another process to finish creating it.
 *
 * <p>Opening is itself safe against a process death at any moment. Chronicle's recovery is not: it
 * marks the header "not ready" while it runs and rebuilds each segment's hash lookup slot by slot,
 * clearing a slot before it has checked and re-inserted its entry, so a death part way leaves a
 * file that does not open, or one that has lost an entry. So recovery runs on a copy of the map
 * file ({@code F.recovering}), which then replaces {@code F} by an atomic rename; until the rename
 * {@code F} is untouched and the marker still says the owner died, so the next open recovers it
 * again. The copy costs a second file of the map's size, for the duration of the open, and the time
 * of copying it (the kernel copies; tens of ms for tens of MB in its page cache). Likewise a new
 * map is created as {@code F.creating} and renamed to {@code F} once complete, after any journal of
 * an earlier map of that name is deleted. A renamed file reaches the device only when the kernel
 * writes it back: like everything else here, this holds against process death, not power loss.
 *
 * <h2>Corrupt files</h2>
 *
 * A map file that Chronicle cannot open (garbage, truncated, wrong header) gives a {@link
 * StateStoreException} naming the file and the reason; no JVM-fatal path is taken. With {@link
 * Context#moveCorruptAside(boolean)} the file and its journal are renamed to {@code
 * F.corrupt-<millis>} (and {@code F.j0.corrupt-<millis>}, ...) and the store starts empty ({@link
 * #openOutcome()} says so). Only the header and the length are checked on a normal open: damage
 * inside a cleanly closed file is found (entry checksums) only by recovery, which {@link
 * Context#forceRecovery(boolean)} runs on every open.
 *
 * <h2>Threads</h2>
 *
 * Reads of entries ({@link #get}, {@link #containsKey}, {@link #forEach}, {@link #size}) may be
 * called from any thread. Writes ({@link #apply}, {@link #put}, {@link #putAll}, {@link #remove},
 * {@link #clear}), {@link #lastAppliedSeq()}, {@link #sync()} and {@link #close()} belong to one
 * writer thread at a time. Only one {@code PartitionStore} may have a given file open, across all
 * processes; anything that opens the map file without this class defeats the recovery check.
 */
public final class PartitionStore implements AutoCloseable {
  /** {@link #lastAppliedSeq()} of a store to which no batch has been applied. */
  public static final long NULL_SEQ = -1;

  /** Suffix of the map file name used by {@link #path(Path, String, int)}. */
  public static final String FILE_SUFFIX = ".cmap";

  /** Suffix of the file a new map is created in before it is renamed to the map file. */
  static final String CREATING_SUFFIX = ".creating";

  /** Suffix of the copy of the map file that is recovered and then renamed to the map file. */
  static final String RECOVERING_SUFFIX = ".recovering";

  private static final byte[] SEQ_KEY = new byte[0];
  private static final int HEADER_SIZE_WORD_OFFSET = 8;

  /**
   * Bytes Chronicle adds to key and value in an entry, at most: two stop-bit encoded sizes (5 bytes
   * each) and a 4-byte checksum.
   */
  private static final int ENTRY_FRAMING_BYTES = 14;

  /** How {@link #open(Path, Context)} found the file. */
  public enum OpenOutcome {
    /** No file (or an empty one) existed: a new, empty store was created. */
    CREATED,
    /**
     * The previous owner closed the store cleanly (recovery ran only if {@link
     * Context#forceRecovery()}).
     */
    REOPENED,
    /** The previous owner died with the store open: the map was recovered. */
    RECOVERED,
    /** The file was corrupt, was moved aside, and the store started empty. */
    CORRUPT_MOVED_ASIDE
  }

  private final Path file;
  private final Context ctx;
  private final StoreLock lock;
  private final ChronicleMap<byte[], byte[]> map;
  private final BatchJournal journal;
  private final OpenOutcome openOutcome;
  private final Path movedAsideTo;
  private final int recoveredCorruptions;
  private final boolean replayedJournal;
  private final long maxEntrySize;
  private long lastAppliedSeq;
  private boolean closed;

  private PartitionStore(
      final Path file,
      final Context ctx,
      final StoreLock lock,
      final ChronicleMap<byte[], byte[]> map,
      final BatchJournal journal,
      final OpenOutcome openOutcome,
      final Path movedAsideTo,
      final int recoveredCorruptions) {
    this.file = file;
    this.ctx = ctx;
    this.lock = lock;
    this.map = map;
    this.journal = journal;
    this.openOutcome = openOutcome;
    this.movedAsideTo = movedAsideTo;
    this.recoveredCorruptions = recoveredCorruptions;
    this.maxEntrySize =
        map instanceof VanillaChronicleHash<?, ?, ?, ?> hash
            ? hash.chunkSize * hash.maxChunksPerEntry - ENTRY_FRAMING_BYTES
            : Long.MAX_VALUE;
    final byte[] seq = map.get(SEQ_KEY);
    if (seq != null && seq.length != Long.BYTES) {
      throw new StateStoreException(file, "sequence entry has " + seq.length + " bytes, not 8");
    }
    this.lastAppliedSeq = seq == null ? NULL_SEQ : ByteBuffer.wrap(seq).getLong();
    final BatchJournal.Entry latest = journal.readLatest();
    if (latest != null && latest.seq() > lastAppliedSeq) {
      applyChanges(latest.batch());
      writeSeq(latest.seq());
      replayedJournal = true;
    } else {
      replayedJournal = false;
    }
    if (!ctx.journal()) {
      journal.reset();
    }
  }

  /**
   * The map file for one partition of one service instance: {@code
   * dir/<serviceInstance>/partition-<partition>.cmap}, characters other than letters, digits,
   * {@code . _ -} in the instance id replaced by {@code _}.
   *
   * @param dir state directory.
   * @param serviceInstance id of the service instance.
   * @param partition partition number, 0 or more.
   * @return the map file path (not created).
   */
  public static Path path(final Path dir, final String serviceInstance, final int partition) {
    if (partition < 0) {
      throw new IllegalArgumentException("partition < 0: " + partition);
    }
    final String safe = serviceInstance.replaceAll("[^A-Za-z0-9._-]", "_");
    if (safe.isEmpty() || safe.equals(".") || safe.equals("..")) {
      throw new IllegalArgumentException("bad service instance id: '" + serviceInstance + "'");
    }
    return dir.resolve(safe).resolve(String.format("partition-%05d%s", partition, FILE_SUFFIX));
  }

  /**
   * Create or reopen the store in {@code file} with a default {@link Context}.
   *
   * @param file the map file; its parent directories are created.
   * @return the open store.
   * @throws StateStoreException if the file is corrupt, locked by another owner, or I/O fails.
   */
  public static PartitionStore open(final Path file) {
    return open(file, new Context());
  }

  /**
   * Create or reopen the store in {@code file}, recovering it if its previous owner died.
   *
   * @param file the map file; its parent directories are created.
   * @param ctx sizing and behaviour; concluded here. Sizes apply only when the file is created; an
   *     existing file keeps the configuration it was created with.
   * @return the open store.
   * @throws StateStoreException if the file is corrupt (and {@link Context#moveCorruptAside()} is
   *     off), locked by another owner, or I/O fails.
   */
  public static PartitionStore open(final Path file, final Context ctx) {
    ctx.conclude();
    final Path absolute = file.toAbsolutePath().normalize();
    try {
      Files.createDirectories(absolute.getParent());
    } catch (final IOException ex) {
      throw new StateStoreException(absolute, "cannot create directory", ex);
    }
    final StoreLock lock = StoreLock.acquire(absolute);
    ChronicleMap<byte[], byte[]> map = null;
    BatchJournal journal = null;
    try {
      deleteLeftovers(absolute);
      final boolean exists = Files.exists(absolute) && Files.size(absolute) > 0;
      OpenOutcome outcome;
      Path movedAside = null;
      final AtomicInteger corruptions = new AtomicInteger();
      if (!exists) {
        outcome = OpenOutcome.CREATED;
        map = createMap(absolute, ctx);
      } else {
        try {
          map =
              openExisting(
                  absolute,
                  ctx,
                  ctx.forceRecovery() || !lock.previousOwnerClosedCleanly(),
                  corruptions);
          outcome =
              lock.previousOwnerClosedCleanly() ? OpenOutcome.REOPENED : OpenOutcome.RECOVERED;
        } catch (final StateStoreException ex) {
          if (!ctx.moveCorruptAside()) {
            throw ex;
          }
          movedAside = moveAside(absolute);
          outcome = OpenOutcome.CORRUPT_MOVED_ASIDE;
          map = createMap(absolute, ctx);
        }
      }
      journal = new BatchJournal(absolute);
      if (outcome == OpenOutcome.CREATED) {
        journal.reset(); // records left by an earlier, deleted map must not be replayed
      }
      return new PartitionStore(
          absolute, ctx, lock, map, journal, outcome, movedAside, corruptions.get());
    } catch (final IOException | RuntimeException | Error ex) {
      if (journal != null) {
        journal.close();
      }
      if (map != null) {
        closeQuietly(map);
      }
      lock.close();
      if (ex instanceof StateStoreException sse) {
        throw sse;
      }
      if (ex instanceof VirtualMachineError && !(ex instanceof InternalError)) {
        throw (Error) ex; // out of memory, stack overflow: not about the file
      }
      throw new StateStoreException(absolute, "cannot open store", ex);
    }
  }

  private static ChronicleMapBuilder<byte[], byte[]> builder(final Path file, final Context ctx) {
    return ChronicleMapBuilder.of(byte[].class, byte[].class)
        .name(file.getFileName().toString())
        .entries(ctx.entries())
        .averageKeySize(ctx.averageKeySize())
        .averageValueSize(ctx.averageValueSize());
  }

  /**
   * Create a new map in {@code F.creating} and rename it to {@code F} once Chronicle has completed
   * it, so that {@code F} is never a half-created file, which would be indistinguishable from a
   * damaged one. Journal slots left by an earlier map of this name (a {@link #delete()} or a move
   * aside cut short by a process death) are deleted before the new map appears: their records must
   * never be replayed into it.
   */
  private static ChronicleMap<byte[], byte[]> createMap(final Path file, final Context ctx) {
    final Path temp = sibling(file, CREATING_SUFFIX);
    try {
      for (final Path slot : BatchJournal.slotPaths(file)) {
        Files.deleteIfExists(slot);
      }
      Files.deleteIfExists(temp);
      final ChronicleMapBuilder<byte[], byte[]> builder = builder(file, ctx);
      builder.createPersistedTo(temp.toFile()).close();
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return builder.createPersistedTo(file.toFile());
    } catch (final IOException | RuntimeException | InternalError | AssertionError ex) {
      deleteQuietly(temp);
      throw new StateStoreException(file, "cannot create map", ex);
    }
  }

  /**
   * Open an existing map file; if {@code recover}, recover it (the caller holds the lock, so no
   * other process has it open). Every failure becomes a {@link StateStoreException}.
   *
   * <p>Chronicle's recovery is not safe against a process death part way: it marks the header "not
   * ready" while it runs, and it rebuilds each segment's hash lookup slot by slot, clearing a slot
   * before it checks the entry and inserts it again, so a death in between loses that entry for
   * good (checked in {@code TierRecovery.recoverTier} of Chronicle Map 2026.1). Hence it runs on a
   * copy, {@code F.recovering}, which replaces {@code F} by a rename once recovered: a death before
   * the rename leaves {@code F} as it was (the next open recovers it again), a death after it
   * leaves the recovered map.
   */
  private static ChronicleMap<byte[], byte[]> openExisting(
      final Path file, final Context ctx, final boolean recover, final AtomicInteger corruptions) {
    checkHeaderComplete(file);
    final File f = file.toFile();
    final ChronicleMapBuilder<byte[], byte[]> builder = builder(file, ctx);
    final ChronicleMap<byte[], byte[]> checked;
    try {
      // opened normally first, so that a truncated file is reported rather than silently extended
      // by recovery
      checked = builder.createPersistedTo(f);
    } catch (final IOException | RuntimeException | InternalError | AssertionError ex) {
      throw new StateStoreException(file, "corrupt or truncated map file: " + reason(ex), ex);
    }
    if (!recover) {
      return checked;
    }
    closeQuietly(checked);
    final Path copy = sibling(file, RECOVERING_SUFFIX);
    try {
      copyFile(file, copy);
      builder
          .recoverPersistedTo(
              copy.toFile(),
              true,
              c -> {
                corruptions.incrementAndGet();
                if (ctx.corruptionListener() != null) {
                  ctx.corruptionListener().accept(c.message());
                }
              })
          .close();
      Files.move(copy, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (final IOException | RuntimeException | InternalError | AssertionError ex) {
      deleteQuietly(copy);
      throw new StateStoreException(file, "recovery after process death failed: " + reason(ex), ex);
    }
    try {
      return builder.createPersistedTo(f);
    } catch (final IOException | RuntimeException | InternalError | AssertionError ex) {
      throw new StateStoreException(file, "cannot open the recovered map: " + reason(ex), ex);
    }
  }

  /** Copy {@code from} to {@code to}, replacing it, with the kernel's copy (no Java buffer). */
  private static void copyFile(final Path from, final Path to) throws IOException {
    try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
        FileChannel out =
            FileChannel.open(
                to,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
      final long size = in.size();
      for (long position = 0; position < size; ) {
        position += in.transferTo(position, size - position, out);
      }
    }
  }

  private static Path sibling(final Path file, final String suffix) {
    return file.resolveSibling(file.getFileName() + suffix);
  }

  /**
   * Remove what an open cut short by a process death left: a map being created or a copy being
   * recovered. Neither is ever the only copy of anything (the caller holds the lock).
   */
  private static void deleteLeftovers(final Path file) throws IOException {
    Files.deleteIfExists(sibling(file, CREATING_SUFFIX));
    Files.deleteIfExists(sibling(file, RECOVERING_SUFFIX));
  }

  private static void deleteQuietly(final Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (final IOException ignore) {
      // reporting the failure that brought us here matters more; the next open removes it
    }
  }

  /**
   * Chronicle polls for up to a minute for the "header ready" size word (little-endian int at byte
   * {@value #HEADER_SIZE_WORD_OFFSET}, ready when positive) of a file another process may still be
   * creating. Under our lock nobody is creating it, so a missing or not-ready size word means the
   * creator died part way or the file is not a Chronicle Map: fail now instead of after a minute.
   */
  private static void checkHeaderComplete(final Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      final ByteBuffer word = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      while (word.hasRemaining()
          && channel.read(word, HEADER_SIZE_WORD_OFFSET + word.position()) > 0) {
        // read until full or end of file
      }
      if (word.hasRemaining()) {
        throw new StateStoreException(
            file,
            "corrupt or truncated map file: "
                + channel.size()
                + " bytes, shorter than a Chronicle Map header");
      }
      final int sizeWord = word.getInt(0);
      if (sizeWord <= 0) {
        throw new StateStoreException(
            file,
            "corrupt or truncated map file: header not marked ready (size word 0x"
                + Integer.toHexString(sizeWord)
                + "): its creator died while creating it, or it is not a Chronicle Map");
      }
    } catch (final IOException ex) {
      throw new StateStoreException(file, "cannot read map file header", ex);
    }
  }

  private static String reason(final Throwable ex) {
    final String message = ex.getMessage();
    return message == null ? ex.getClass().getName() : message;
  }

  private static Path moveAside(final Path file) {
    final String suffix = ".corrupt-" + System.currentTimeMillis();
    final Path target = file.resolveSibling(file.getFileName() + suffix);
    try {
      Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
      for (final Path slot : BatchJournal.slotPaths(file)) {
        if (Files.exists(slot)) {
          Files.move(
              slot,
              slot.resolveSibling(slot.getFileName() + suffix),
              StandardCopyOption.ATOMIC_MOVE);
        }
      }
    } catch (final IOException ex) {
      throw new StateStoreException(file, "cannot move corrupt file aside to " + target, ex);
    }
    return target;
  }

  private static void closeQuietly(final ChronicleMap<?, ?> map) {
    try {
      map.close();
    } catch (final RuntimeException ignore) {
      // closing after a failure: report the failure, not this
    }
  }

  static void checkKey(final byte[] key) {
    if (key.length == 0) {
      throw new IllegalArgumentException("empty key: reserved for the sequence number");
    }
  }

  /**
   * @return the map file.
   */
  public Path file() {
    return file;
  }

  /**
   * @return the context this store was opened with.
   */
  public Context context() {
    return ctx;
  }

  /**
   * @return how {@link #open} found the file.
   */
  public OpenOutcome openOutcome() {
    return openOutcome;
  }

  /**
   * @return where the corrupt file was moved, or null unless {@link #openOutcome()} is {@link
   *     OpenOutcome#CORRUPT_MOVED_ASIDE}.
   */
  public Path movedAsideTo() {
    return movedAsideTo;
  }

  /**
   * @return number of corruptions Chronicle reported (and repaired) while recovering, 0 if none or
   *     not recovered.
   */
  public int recoveredCorruptions() {
    return recoveredCorruptions;
  }

  /**
   * @return true if open found a complete journal record newer than the map and re-applied it.
   */
  public boolean replayedJournal() {
    return replayedJournal;
  }

  /**
   * The largest {@code key.length + value.length}, in bytes, that one entry may have. Chronicle
   * fixes it when the file is created, from the average key and value sizes (about 2.3 MB with the
   * defaults, 53 KB for 8-byte keys and 32-byte values). {@link #put}, {@link #putAll} and {@link
   * #apply} reject a larger entry with an {@link IllegalArgumentException} before writing anything
   * of it (for {@link #apply}: of the whole batch).
   *
   * @return the limit in bytes.
   */
  public long maxEntrySize() {
    return maxEntrySize;
  }

  /**
   * @return sequence number of the last batch applied, or {@link #NULL_SEQ}.
   */
  public long lastAppliedSeq() {
    ensureOpen();
    return lastAppliedSeq;
  }

  /**
   * @param key non-empty key.
   * @return a copy of the value, or null if absent.
   */
  public byte[] get(final byte[] key) {
    checkKey(key);
    ensureOpen();
    return map.get(key);
  }

  /**
   * @param key non-empty key.
   * @return true if the key is present.
   */
  public boolean containsKey(final byte[] key) {
    checkKey(key);
    ensureOpen();
    return map.containsKey(key);
  }

  /**
   * Put one entry, outside any batch: not journaled and does not change {@link #lastAppliedSeq()}.
   *
   * @param key non-empty key.
   * @param value the value.
   */
  public void put(final byte[] key, final byte[] value) {
    checkKey(key);
    ensureOpen();
    checkEntrySize(key, value);
    map.put(key, value);
  }

  /**
   * Remove one entry, outside any batch: not journaled and does not change {@link
   * #lastAppliedSeq()}.
   *
   * @param key non-empty key.
   * @return true if it was present.
   */
  public boolean remove(final byte[] key) {
    checkKey(key);
    ensureOpen();
    return map.remove(key) != null;
  }

  /**
   * Bulk load, e.g. a partition shipped to this worker: put every entry, outside any batch (not
   * journaled, {@link #lastAppliedSeq()} unchanged). A process death part way leaves part of them;
   * the caller should {@link #clear()} and load again, then {@link #apply} an empty batch to record
   * the sequence number the loaded state corresponds to.
   *
   * @param entries keys (non-empty) and values.
   */
  public void putAll(final Map<byte[], byte[]> entries) {
    ensureOpen();
    for (final Map.Entry<byte[], byte[]> e : entries.entrySet()) {
      checkKey(e.getKey());
      checkEntrySize(e.getKey(), e.getValue());
      map.put(e.getKey(), e.getValue());
    }
  }

  /**
   * Visit every entry (not the sequence number). Weakly consistent under concurrent writes.
   *
   * @param consumer receives copies of each key and value.
   */
  public void forEach(final BiConsumer<byte[], byte[]> consumer) {
    ensureOpen();
    for (final Map.Entry<byte[], byte[]> e : map.entrySet()) {
      if (e.getKey().length != 0) {
        consumer.accept(e.getKey(), e.getValue());
      }
    }
  }

  /**
   * @return number of entries, not counting the sequence number.
   */
  public long size() {
    ensureOpen();
    final long size = map.longSize();
    return map.containsKey(SEQ_KEY) ? size - 1 : size;
  }

  /**
   * Remove every entry and reset {@link #lastAppliedSeq()} to {@link #NULL_SEQ}. Not atomic: the
   * journal is reset first, then the sequence number removed, then the entries; a process death
   * part way leaves either the complete old state or {@link #NULL_SEQ} with some entries left,
   * never a sequence number with entries missing. Clear again after such a death.
   */
  public void clear() {
    ensureOpen();
    journal.reset();
    map.remove(SEQ_KEY);
    lastAppliedSeq = NULL_SEQ;
    map.clear();
  }

  /**
   * Write {@code batch} and {@code seq} atomically with respect to process death (see the class
   * description): after a reopen either all of the batch and {@code seq} are there, or neither.
   * Returns once the map holds both; nothing is flushed to the device.
   *
   * @param seq sequence number of the message the batch comes from; greater than {@link
   *     #lastAppliedSeq()}.
   * @param batch the changes, may be empty (then only {@code seq} is recorded).
   */
  public void apply(final long seq, final StateBatch batch) {
    ensureOpen();
    if (seq <= lastAppliedSeq) {
      throw new IllegalArgumentException(
          "seq " + seq + " not greater than last applied " + lastAppliedSeq);
    }
    for (int i = 0, n = batch.size(); i < n; i++) {
      if (batch.value(i) != null) {
        checkEntrySize(batch.key(i), batch.value(i));
      }
    }
    if (ctx.journal()) {
      // empty batches too: the newest record must always be the last (or in-flight) batch, so
      // that replaying it is safe even if recovery dropped a torn sequence entry
      journal.write(seq, batch);
    }
    applyChanges(batch);
    writeSeq(seq);
  }

  /**
   * Flush the journal and the whole mapped map file to the device ({@code msync}; the map's through
   * Chronicle's implementation class). Costs milliseconds or more, in proportion to the dirty
   * pages: for checkpoints, not for every batch. It makes what was written so far survive a power
   * loss; it does not make later writes atomic with respect to one (see the class description).
   */
  public void sync() {
    ensureOpen();
    journal.force();
    if (map instanceof VanillaChronicleHash<?, ?, ?, ?> hash) {
      hash.msync();
    } else {
      throw new UnsupportedOperationException("no msync for " + map.getClass().getName());
    }
  }

  /** Close the map and the journal, mark the store cleanly closed and release the lock. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      map.close();
      journal.close();
    } catch (final RuntimeException ex) {
      lock.close();
      throw new StateStoreException(file, "close failed", ex);
    }
    lock.releaseClean();
  }

  /** Close the store if open and delete its map, journal and lock files. */
  public void delete() {
    close();
    deleteFiles(file);
  }

  /**
   * Delete the files of a store that is not open: the map file {@code file}, its journal, lock and
   * any leftover of an open cut short. Missing files are skipped.
   *
   * @param file the map file.
   * @throws StateStoreException if a file exists and cannot be deleted.
   */
  public static void deleteFiles(final Path file) {
    final Path[] slots = BatchJournal.slotPaths(file);
    // the map first: journal records without their map are never replayed (a new map of this name
    // deletes them before it appears)
    for (final Path path :
        new Path[] {
          file,
          slots[0],
          slots[1],
          sibling(file, CREATING_SUFFIX),
          sibling(file, RECOVERING_SUFFIX),
          StoreLock.lockPath(file)
        }) {
      try {
        Files.deleteIfExists(path);
      } catch (final IOException ex) {
        throw new StateStoreException(path, "cannot delete", ex);
      }
    }
  }

  /**
   * @return true once {@link #close()} or {@link #delete()} has been called.
   */
  public boolean isClosed() {
    return closed;
  }

  @Override
  public String toString() {
    return "PartitionStore{file=" + file + ", lastAppliedSeq=" + lastAppliedSeq + "}";
  }

  private void applyChanges(final StateBatch batch) {
    for (int i = 0, n = batch.size(); i < n; i++) {
      final byte[] value = batch.value(i);
      if (value == null) {
        map.remove(batch.key(i));
      } else {
        map.put(batch.key(i), value);
      }
    }
  }

  /** The underlying map, for tests in this package. */
  ChronicleMap<byte[], byte[]> map() {
    return map;
  }

  private void checkEntrySize(final byte[] key, final byte[] value) {
    if ((long) key.length + value.length > maxEntrySize) {
      throw new IllegalArgumentException(
          file
              + ": entry of "
              + key.length
              + " + "
              + value.length
              + " bytes exceeds this map's maximum of "
              + maxEntrySize
              + " (fixed at creation from the average key and value sizes: create the store with"
              + " a larger averageValueSize)");
    }
  }

  private void writeSeq(final long seq) {
    map.put(SEQ_KEY, ByteBuffer.allocate(Long.BYTES).putLong(seq).array());
    lastAppliedSeq = seq;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("store is closed: " + file);
    }
  }

  /**
   * Configuration of a {@link PartitionStore}. Defaults come from system properties read when the
   * context is created. Sizes are used only when a map file is created.
   */
  public static final class Context {
    /** Expected number of entries (creation only): {@value}. */
    public static final String ENTRIES_PROP_NAME = "compartment.state.entries";

    /** Default expected number of entries. */
    public static final long ENTRIES_DEFAULT = 100_000;

    /** Average key size in bytes (creation only): {@value}. */
    public static final String AVERAGE_KEY_SIZE_PROP_NAME = "compartment.state.average.key.size";

    /** Default average key size in bytes. */
    public static final int AVERAGE_KEY_SIZE_DEFAULT = 32;

    /** Average value size in bytes (creation only): {@value}. */
    public static final String AVERAGE_VALUE_SIZE_PROP_NAME =
        "compartment.state.average.value.size";

    /** Default average value size in bytes. */
    public static final int AVERAGE_VALUE_SIZE_DEFAULT = 256;

    /** Whether {@link PartitionStore#apply} journals batches: {@value}. */
    public static final String JOURNAL_PROP_NAME = "compartment.state.journal";

    /** Journal on by default. */
    public static final boolean JOURNAL_DEFAULT = true;

    /** Whether a corrupt map file is moved aside and replaced by an empty store: {@value}. */
    public static final String MOVE_CORRUPT_ASIDE_PROP_NAME =
        "compartment.state.move.corrupt.aside";

    /** Off by default: a corrupt file is an error. */
    public static final boolean MOVE_CORRUPT_ASIDE_DEFAULT = false;

    /** Whether every open runs Chronicle's recovery, even after a clean close: {@value}. */
    public static final String FORCE_RECOVERY_PROP_NAME = "compartment.state.force.recovery";

    /** Off by default: recovery runs only after the previous owner died. */
    public static final boolean FORCE_RECOVERY_DEFAULT = false;

    private long entries = Long.getLong(ENTRIES_PROP_NAME, ENTRIES_DEFAULT);
    private int averageKeySize =
        Integer.getInteger(AVERAGE_KEY_SIZE_PROP_NAME, AVERAGE_KEY_SIZE_DEFAULT);
    private int averageValueSize =
        Integer.getInteger(AVERAGE_VALUE_SIZE_PROP_NAME, AVERAGE_VALUE_SIZE_DEFAULT);
    private boolean journal =
        Boolean.parseBoolean(
            System.getProperty(JOURNAL_PROP_NAME, String.valueOf(JOURNAL_DEFAULT)));
    private boolean forceRecovery =
        Boolean.parseBoolean(
            System.getProperty(FORCE_RECOVERY_PROP_NAME, String.valueOf(FORCE_RECOVERY_DEFAULT)));
    private boolean moveCorruptAside =
        Boolean.parseBoolean(
            System.getProperty(
                MOVE_CORRUPT_ASIDE_PROP_NAME, String.valueOf(MOVE_CORRUPT_ASIDE_DEFAULT)));
    private Consumer<String> corruptionListener;

    /**
     * Check the settings.
     *
     * @return this for a fluent API.
     * @throws IllegalArgumentException if a size is not positive.
     */
    public Context conclude() {
      if (entries <= 0) {
        throw new IllegalArgumentException("entries must be > 0: " + entries);
      }
      if (averageKeySize <= 0) {
        throw new IllegalArgumentException("averageKeySize must be > 0: " + averageKeySize);
      }
      if (averageValueSize <= 0) {
        throw new IllegalArgumentException("averageValueSize must be > 0: " + averageValueSize);
      }
      return this;
    }

    /**
     * @param entries expected number of entries; Chronicle grows past it (more slowly). Default
     *     {@link #ENTRIES_DEFAULT}.
     * @return this for a fluent API.
     */
    public Context entries(final long entries) {
      this.entries = entries;
      return this;
    }

    /**
     * @return expected number of entries.
     */
    public long entries() {
      return entries;
    }

    /**
     * @param bytes average key size in bytes. Default {@link #AVERAGE_KEY_SIZE_DEFAULT}.
     * @return this for a fluent API.
     */
    public Context averageKeySize(final int bytes) {
      this.averageKeySize = bytes;
      return this;
    }

    /**
     * @return average key size in bytes.
     */
    public int averageKeySize() {
      return averageKeySize;
    }

    /**
     * @param bytes average value size in bytes. Default {@link #AVERAGE_VALUE_SIZE_DEFAULT}.
     * @return this for a fluent API.
     */
    public Context averageValueSize(final int bytes) {
      this.averageValueSize = bytes;
      return this;
    }

    /**
     * @return average value size in bytes.
     */
    public int averageValueSize() {
      return averageValueSize;
    }

    /**
     * @param journal true to journal each batch before applying it (atomic batches; the batch is
     *     copied once more, into a memory-mapped file); false for ordered writes only (see {@link
     *     PartitionStore}). Default {@link #JOURNAL_DEFAULT}.
     * @return this for a fluent API.
     */
    public Context journal(final boolean journal) {
      this.journal = journal;
      return this;
    }

    /**
     * @return whether batches are journaled.
     */
    public boolean journal() {
      return journal;
    }

    /**
     * @param moveCorruptAside true to rename a corrupt map file to {@code <file>.corrupt-<millis>}
     *     and start empty instead of failing. Default {@link #MOVE_CORRUPT_ASIDE_DEFAULT}.
     * @return this for a fluent API.
     */
    public Context moveCorruptAside(final boolean moveCorruptAside) {
      this.moveCorruptAside = moveCorruptAside;
      return this;
    }

    /**
     * @return whether a corrupt file is moved aside.
     */
    public boolean moveCorruptAside() {
      return moveCorruptAside;
    }

    /**
     * @param forceRecovery true to run Chronicle's recovery (segment lock reset, every entry's
     *     checksum verified, damaged entries dropped) on every open of an existing file; it reads
     *     the whole file. Default {@link #FORCE_RECOVERY_DEFAULT}.
     * @return this for a fluent API.
     */
    public Context forceRecovery(final boolean forceRecovery) {
      this.forceRecovery = forceRecovery;
      return this;
    }

    /**
     * @return whether every open recovers the map.
     */
    public boolean forceRecovery() {
      return forceRecovery;
    }

    /**
     * @param listener receives Chronicle's description of each corruption it finds (and repairs)
     *     while recovering a map, on the opening thread, before {@link PartitionStore#open}
     *     returns; null (the default) for none. {@link PartitionStore#recoveredCorruptions()}
     *     counts them either way.
     * @return this for a fluent API.
     */
    public Context corruptionListener(final Consumer<String> listener) {
      this.corruptionListener = listener;
      return this;
    }

    /**
     * @return the corruption listener, or null.
     */
    public Consumer<String> corruptionListener() {
      return corruptionListener;
    }

    @Override
    public String toString() {
      return "PartitionStore.Context{entries="
          + entries
          + ", averageKeySize="
          + averageKeySize
          + ", averageValueSize="
          + averageValueSize
          + ", journal="
          + journal
          + ", moveCorruptAside="
          + moveCorruptAside
          + ", forceRecovery="
          + forceRecovery
          + "}";
    }
  }
}
