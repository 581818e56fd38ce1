package io.compartment.transport.worker;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.agrona.ErrorHandler;

/**
 * Names Compartment's Aeron directories after the process that owns them and removes those whose
 * owner is gone (a SIGKILLed worker leaves its {@code cnc.dat} and log buffers, tens of MiB, in
 * {@code /dev/shm}).
 *
 * <p>Naming convention: {@code <base>/<prefix><pid>} or {@code <base>/<prefix><pid>-<name>}, e.g.
 * {@code /dev/shm/compartment-aeron-4711-kv-p2}, where {@code pid} is the process whose lifetime
 * bounds the directory (the worker that runs the media driver, or the host if the host runs it).
 * {@link #dirFor(long, String)} builds such names. {@link #removeStale()} deletes only directories
 * that match this pattern exactly and whose pid is not a live process; nothing else is touched (not
 * Aeron's own {@code aeron-<user>} directories, not files, not symbolic links).
 *
 * <p>Defaults: base {@value #BASE_DIR_PROP_NAME}, else {@code /dev/shm} where it exists, else
 * {@code java.io.tmpdir}; prefix {@value #PREFIX_PROP_NAME}, default {@value #PREFIX_DEFAULT}. A
 * prefix must start with {@value #REQUIRED_PREFIX_START} so that nothing that Compartment did not
 * create can ever match.
 */
public final class AeronDirCleaner {
  /** System property: folder that holds Compartment's Aeron directories. */
  public static final String BASE_DIR_PROP_NAME = "compartment.worker.aeron.dir.base";

  /** System property: name prefix of Compartment's Aeron directories. */
  public static final String PREFIX_PROP_NAME = "compartment.worker.aeron.dir.prefix";

  /** Default name prefix. */
  public static final String PREFIX_DEFAULT = "compartment-aeron-";

  /** Every prefix must start with this. */
  public static final String REQUIRED_PREFIX_START = "compartment-";

  private static final Pattern NAME_SUFFIX = Pattern.compile("-[A-Za-z0-9._-]{1,100}");

  private final Path baseDir;
  private final String prefix;
  private final Pattern pattern;
  private final LongPredicate isLive;

  /**
   * @param baseDir folder holding the directories
   * @param prefix name prefix; must start with {@value #REQUIRED_PREFIX_START} and contain no path
   *     separator
   */
  public AeronDirCleaner(Path baseDir, String prefix) {
    this(baseDir, prefix, AeronDirCleaner::isLiveProcess);
  }

  AeronDirCleaner(Path baseDir, String prefix, LongPredicate isLive) {
    this.baseDir = Objects.requireNonNull(baseDir, "baseDir").toAbsolutePath();
    Objects.requireNonNull(prefix, "prefix");
    if (!prefix.startsWith(REQUIRED_PREFIX_START)
        || prefix.length() <= REQUIRED_PREFIX_START.length()
        || !prefix.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "Aeron directory prefix must start with '"
              + REQUIRED_PREFIX_START
              + "', be longer than that and use only letters, digits, '.', '_' and '-': '"
              + prefix
              + "'");
    }
    this.prefix = prefix;
    this.pattern = Pattern.compile(Pattern.quote(prefix) + "([1-9][0-9]{0,18})(-[A-Za-z0-9._-]+)?");
    this.isLive = isLive;
  }

  /**
   * @return a cleaner for the base folder and prefix from system properties (see class doc)
   */
  public static AeronDirCleaner fromSystemProperties() {
    return new AeronDirCleaner(
        defaultBaseDir(), System.getProperty(PREFIX_PROP_NAME, PREFIX_DEFAULT));
  }

  /**
   * @return {@value #BASE_DIR_PROP_NAME} if set, else {@code /dev/shm} if it is a folder, else
   *     {@code java.io.tmpdir}
   */
  public static Path defaultBaseDir() {
    String base = System.getProperty(BASE_DIR_PROP_NAME);
    if (base != null && !base.isBlank()) {
      return Paths.get(base);
    }
    Path shm = Paths.get("/dev/shm");
    return Files.isDirectory(shm) ? shm : Paths.get(System.getProperty("java.io.tmpdir"));
  }

  /**
   * @return the base folder
   */
  public Path baseDir() {
    return baseDir;
  }

  /**
   * @return the name prefix
   */
  public String prefix() {
    return prefix;
  }

  /**
   * The Aeron directory for an owner process, following the naming convention.
   *
   * @param ownerPid process whose death makes the directory stale
   * @param name optional distinguishing name (letters, digits, '.', '_', '-'), or null
   * @return {@code <base>/<prefix><ownerPid>[-<name>]}
   */
  public Path dirFor(long ownerPid, String name) {
    if (ownerPid <= 0) {
      throw new IllegalArgumentException("owner pid must be positive: " + ownerPid);
    }
    if (name == null || name.isEmpty()) {
      return baseDir.resolve(prefix + ownerPid);
    }
    if (!NAME_SUFFIX.matcher("-" + name).matches()) {
      throw new IllegalArgumentException("bad Aeron directory name part: '" + name + "'");
    }
    return baseDir.resolve(prefix + ownerPid + "-" + name);
  }

  /**
   * @param dirName a file name (no folder)
   * @return the owner pid if the name follows this cleaner's convention, else empty
   */
  public OptionalLong ownerPid(String dirName) {
    Matcher m = pattern.matcher(dirName);
    if (!m.matches()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(m.group(1)));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * Removes stale directories, reporting failures by exception.
   *
   * @return the directories removed
   */
  public List<Path> removeStale() {
    return removeStale(
        e -> {
          throw e instanceof RuntimeException ? (RuntimeException) e : new IllegalStateException(e);
        });
  }

  /**
   * Removes every directory directly under the base folder whose name follows the convention and
   * whose owner pid is not a live process. Symbolic links and files are never touched; inside a
   * removed directory, links are deleted, not followed.
   *
   * @param errorHandler receives a failure to list or delete; the others are still tried
   * @return the directories removed
   */
  public List<Path> removeStale(ErrorHandler errorHandler) {
    List<Path> removed = new ArrayList<>();
    if (!Files.isDirectory(baseDir)) {
      return removed;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(baseDir, prefix + "*")) {
      for (Path dir : entries) {
        OptionalLong pid = ownerPid(dir.getFileName().toString());
        if (pid.isEmpty()
            || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
            || isLive.test(pid.getAsLong())) {
          continue;
        }
        try {
          deleteTree(dir);
          removed.add(dir);
        } catch (IOException e) {
          errorHandler.onError(
              new IOException("cannot remove stale Aeron directory " + dir + ": " + e, e));
        }
      }
    } catch (IOException e) {
      errorHandler.onError(new IOException("cannot list " + baseDir + ": " + e, e));
    }
    return removed;
  }

  static boolean isLiveProcess(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static void deleteTree(Path dir) throws IOException {
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null && !(e instanceof NoSuchFileException)) {
              throw e;
            }
            Files.deleteIfExists(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  @Override
  public String toString() {
    return "AeronDirCleaner{" + baseDir.resolve(prefix + "<pid>[-<name>]") + "}";
  }
}
