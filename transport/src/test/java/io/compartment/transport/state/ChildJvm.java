package io.compartment.transport.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A child JVM running a main class of this package, its output read by a daemon thread. */
final class ChildJvm {
  static final Duration LINE_TIMEOUT = Duration.ofSeconds(60);
  private static final String EOF = "\u0000EOF";

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> other = new ArrayList<>();
  private boolean ended;

  private ChildJvm(final Process process) {
    this.process = process;
    final Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (final IOException ignore) {
                // process gone
              }
              lines.add(EOF);
            },
            "child-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Start {@code main} with the flags of {@code compartment.jvm.flags}, a small heap and {@code
   * args}.
   */
  static ChildJvm start(final String classPath, final String main, final String... args)
      throws IOException {
    final List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    final String flags = System.getProperty("compartment.jvm.flags", "").trim();
    if (!flags.isEmpty()) {
      command.addAll(List.of(flags.split("\\s+")));
    }
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-cp", classPath, main));
    command.addAll(List.of(args));
    return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  /** Next line starting with {@code prefix}, skipping others (Chronicle's warnings). */
  String expectLine(final String prefix) throws InterruptedException {
    final long deadline = System.nanoTime() + LINE_TIMEOUT.toNanos();
    while (true) {
      final String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null || line.equals(EOF)) {
        ended |= line != null;
        throw new AssertionError(
            "child: no '"
                + prefix
                + "' line ("
                + (line == null ? "timeout" : "exited")
                + "); other output: "
                + other);
      }
      if (line.startsWith(prefix)) {
        return line;
      }
      keep(line);
    }
  }

  /**
   * @return whether the child is still running.
   */
  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL the child and wait for it to die. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("child died").isTrue();
  }

  /**
   * After the child died: every line it printed that was not read yet, up to the end of its output.
   */
  List<String> rest() throws InterruptedException {
    final List<String> rest = new ArrayList<>();
    while (!ended) {
      final String line = lines.poll(LINE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
      if (line == null || line.equals(EOF)) {
        ended = true;
      } else {
        rest.add(line);
        keep(line);
      }
    }
    return rest;
  }

  /** Lines that no {@link #expectLine} asked for (the first 50). */
  List<String> otherOutput() {
    return other;
  }

  private void keep(final String line) {
    if (other.size() < 50) {
      other.add(line);
    }
  }

  /**
   * {@code java.class.path} with a snapshot of this package's classes in front, so that a rebuild
   * of the module running beside a test (shared working tree) cannot pull them from under a child
   * JVM. Such a rebuild may have emptied the output folders for a moment: copy again until {@code
   * main} and {@link PartitionStore} are there.
   */
  static String snapshotClassPath(final Path classesDir, final String main)
      throws IOException, InterruptedException {
    final String pkg = PartitionStore.class.getPackageName().replace('.', '/');
    final Path target = classesDir.resolve(pkg);
    Files.createDirectories(target);
    final List<String> entries = new ArrayList<>();
    entries.add(classesDir.toString());
    entries.addAll(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      for (final String entry : entries.subList(1, entries.size())) {
        copyClasses(Path.of(entry).resolve(pkg), target);
      }
      if (Files.exists(target.resolve(main.substring(main.lastIndexOf('.') + 1) + ".class"))
          && Files.exists(target.resolve(PartitionStore.class.getSimpleName() + ".class"))) {
        break;
      }
      assertThat(System.nanoTime()).as("classes for the child JVM appeared").isLessThan(deadline);
      Thread.sleep(200); // waiting on a build outside this test, not on anything it started
    }
    return String.join(File.pathSeparator, entries);
  }

  private static void copyClasses(final Path from, final Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      return;
    }
    try (Stream<Path> files = Files.list(from)) {
      for (final Path f : (Iterable<Path>) files::iterator) {
        try {
          Files.copy(
              f, to.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
        } catch (final NoSuchFileException ignore) {
          // deleted by a rebuild while listing: the next round copies it again
        }
      }
    }
  }
}
