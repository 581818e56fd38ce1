package io.compartment.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A node's write-ahead log: what a protocol must make durable before it answers (an acceptor's
 * accepted proposal, a participant's vote). Each record is one line, written to the file with one
 * system call before the caller goes on, so it survives the death of the process; with {@value
 * #SYNC_PROP}{@code =true} each record is also forced to the device ({@code fsync}).
 *
 * <p>Each process writes its own file, {@code <dir>/<name>.<pid>.log}: a copy of this object in a
 * worker process (it carries only the directory, the name and the setting) logs there. The
 * directory is {@value #DIR_PROP}, or a temporary one that is deleted when the JVM that made it
 * exits. {@value #ENABLED_PROP}{@code =false} turns logging off (to compare with a protocol that
 * keeps its promises in memory only).
 */
public final class DurableLog {
  public static final String DIR_PROP = "compartment.demo.wal.dir";
  public static final String SYNC_PROP = "compartment.demo.wal.sync";
  public static final String ENABLED_PROP = "compartment.demo.wal";

  private static Path runDirectory;

  private final String dir;
  private final String name;
  private final boolean sync;
  private transient FileChannel channel;
  private transient long records;

  public DurableLog(String dir, String name, boolean sync) {
    this.dir = dir;
    this.name = name;
    this.sync = sync;
  }

  /**
   * A log for node {@code name} in this run's directory, with the run's sync setting; one that
   * writes nothing when {@value #ENABLED_PROP} is {@code false}.
   */
  public static DurableLog forNode(String name) {
    if (!Boolean.parseBoolean(System.getProperty(ENABLED_PROP, "true"))) {
      return new DurableLog(null, name, false);
    }
    return new DurableLog(runDirectory().toString(), name, Boolean.getBoolean(SYNC_PROP));
  }

  private static synchronized Path runDirectory() {
    if (runDirectory == null) {
      String configured = System.getProperty(DIR_PROP);
      try {
        if (configured != null) {
          runDirectory = Files.createDirectories(Path.of(configured));
        } else {
          Path made = Files.createTempDirectory("compartment-wal-");
          runDirectory = made;
          Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(made)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the write-ahead log directory", e);
      }
    }
    return runDirectory;
  }

  /** Writes {@code record} and a newline; returns once the write (and fsync, if set) is done. */
  public synchronized void append(String record) {
    if (dir == null) {
      return;
    }
    try {
      if (channel == null) {
        Path file = Path.of(dir, name + "." + ProcessHandle.current().pid() + ".log");
        Files.createDirectories(file.getParent());
        channel =
            FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
      }
      ByteBuffer bytes = ByteBuffer.wrap((record + "\n").getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      if (sync) {
        channel.force(false);
      }
      records++;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + name + "'s log in " + dir, e);
    }
  }

  /** Records this copy has written. */
  public synchronized long records() {
    return records;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: left behind at worst
    }
  }
}
