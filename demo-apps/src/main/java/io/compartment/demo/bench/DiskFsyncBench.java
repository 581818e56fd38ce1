package io.compartment.demo.bench;

import io.compartment.demo.LatencyHistogram;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code disk-fsync}: how many forced log appends per second this machine's disk takes from 1, 2,
 * 4, ... writers at once, each appending 64-byte records to a file of its own and forcing each one
 * (as {@link io.compartment.demo.DurableLog} does with {@code compartment.demo.wal.sync=true}).
 *
 * <p>The emulated cluster caps each process's CPU, but every process writes to the same disk: when
 * partitioned acceptors force their logs in parallel, this is the ceiling they share, and what a
 * cluster of real machines, each with a disk of its own, would not have. The files go to {@code
 * compartment.demo.wal.dir}, else the temporary directory, and are deleted afterwards.
 */
final class DiskFsyncBench {
  private final boolean quick;

  DiskFsyncBench(boolean quick) {
    this.quick = quick;
  }

  void run() throws Exception {
    String configured = System.getProperty("compartment.demo.wal.dir");
    Path dir =
        configured == null
            ? Files.createTempDirectory("compartment-fsync-")
            : Files.createTempDirectory(Path.of(configured), "compartment-fsync-");
    long seconds = quick ? 1 : 3;
    List<String> lines = new ArrayList<>();
    try {
      for (int writers : quick ? List.of(1, 4) : List.of(1, 2, 4, 8, 16)) {
        LatencyHistogram latency = new LatencyHistogram();
        AtomicLong appends = new AtomicLong();
        CountDownLatch done = new CountDownLatch(writers);
        List<Throwable> errors = new ArrayList<>();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        for (int w = 0; w < writers; w++) {
          Path file = dir.resolve("writer-" + writers + "-" + w + ".log");
          Thread t =
              new Thread(
                  () -> {
                    try {
                      append(file, deadline, latency, appends);
                    } catch (Throwable e) {
                      synchronized (errors) {
                        errors.add(e);
                      }
                    } finally {
                      done.countDown();
                    }
                  },
                  "fsync-writer-" + w);
          t.start();
        }
        done.await();
        if (!errors.isEmpty()) {
          throw new IOException("forcing a log file in " + dir + " failed", errors.get(0));
        }
        double perSecond = appends.get() / (double) seconds;
        System.out.printf(
            Locale.ROOT,
            "{\"benchmark\":\"disk-fsync\",\"writers\":%d,\"forced_appends_per_s\":%.0f,"
                + "\"p50_us\":%.1f,\"p99_us\":%.1f,\"dir\":\"%s\"}%n",
            writers,
            perSecond,
            latency.percentileNanos(50) / 1e3,
            latency.percentileNanos(99) / 1e3,
            dir.toString().replace("\\", "\\\\"));
        lines.add(
            String.format(
                Locale.ROOT,
                "RESULT name=disk-fsync-w%d ops_per_s=%.0f p50_us=%.1f p99_us=%.1f",
                writers,
                perSecond,
                latency.percentileNanos(50) / 1e3,
                latency.percentileNanos(99) / 1e3));
      }
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    }
    lines.forEach(System.out::println);
  }

  private static void append(Path file, long deadline, LatencyHistogram latency, AtomicLong count)
      throws IOException {
    ByteBuffer record = ByteBuffer.allocate(64);
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      while (System.nanoTime() - deadline < 0) {
        long t0 = System.nanoTime();
        record.clear();
        while (record.hasRemaining()) ch.write(record);
        ch.force(false);
        latency.record(System.nanoTime() - t0);
        count.incrementAndGet();
      }
    }
  }
}
