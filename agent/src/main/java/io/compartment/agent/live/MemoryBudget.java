package io.compartment.agent.live;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether the workers of an enable would fit in this machine's memory: their state entries times
 * what one entry takes in a worker (its heap copy and its state file's pages), against the memory
 * the machine has available now. An enable that would not fit is refused before any worker starts:
 * moving it anyway has stalled a whole machine (the session-6 MultiPaxos run with 17 million
 * entries: workers of 1.7 to 1.9 GB each, the page cache evicted, no progress after the enable).
 *
 * <p>System properties: {@value #CHECK_PROP} ({@code true} by default; {@code false} skips the
 * check) and {@value #ENTRY_BYTES_PROP} (bytes per entry in a worker, default {@value
 * #DEFAULT_ENTRY_BYTES}: 1.7 to 1.9 GB of resident memory for 2.85 million entries per worker in
 * that run, less a JVM's own).
 */
final class MemoryBudget {
  static final String CHECK_PROP = "compartment.live.memory.check";
  static final String ENTRY_BYTES_PROP = "compartment.live.memory.entry.bytes";
  static final long DEFAULT_ENTRY_BYTES = 600;

  /** The share of the available memory the workers' state may take. */
  static final double SHARE = 0.8;

  private MemoryBudget() {}

  /**
   * Entries a state value holds in a worker: a map's or collection's size, else 1 (any other value,
   * an array too, moves and is stored whole).
   */
  static long entries(Object value) {
    if (value instanceof java.util.Map<?, ?> m) return m.size();
    if (value instanceof java.util.Collection<?> c) return c.size();
    return 1;
  }

  /**
   * Why an enable must be refused, or null when it fits, the memory is unknown, or the check is
   * off.
   *
   * @param entries state entries of every object of the compartment
   * @param copies how many workers hold each entry (1 when partitioned, the count when replicated)
   * @param availableBytes memory available now, or -1 when unknown
   */
  static String refusal(long entries, int copies, long availableBytes) {
    if (!Boolean.parseBoolean(System.getProperty(CHECK_PROP, "true").trim())) return null;
    if (availableBytes < 0) return null;
    long perEntry = entryBytes();
    double need = (double) entries * copies * perEntry;
    if (need <= availableBytes * SHARE) return null;
    return String.format(
        Locale.ROOT,
        "its workers would need about %.1f GB for %,d state entries (%d B each, %s%s), more than"
            + " %.0f%% of the %.1f GB this machine has available; free memory, set %s to what an"
            + " entry takes, or -D%s=false to enable it anyway",
        need / 1e9,
        entries,
        perEntry,
        ENTRY_BYTES_PROP,
        copies > 1 ? ", held by each of " + copies + " replicas" : "",
        SHARE * 100,
        availableBytes / 1e9,
        ENTRY_BYTES_PROP,
        CHECK_PROP);
  }

  private static long entryBytes() {
    String v = System.getProperty(ENTRY_BYTES_PROP);
    if (v == null || v.isBlank()) return DEFAULT_ENTRY_BYTES;
    try {
      long n = Long.parseLong(v.trim());
      if (n > 0) return n;
    } catch (NumberFormatException e) {
      // named below
    }
    throw new IllegalArgumentException(
        ENTRY_BYTES_PROP + "=" + v + " is not a whole number of bytes above 0");
  }

  /**
   * Memory available to new processes now, in bytes: Linux's {@code MemAvailable} (free memory and
   * the page cache it may reclaim); in a container whose limit is below the machine's memory, at
   * most the JVM's count of free memory under that limit; -1 when nothing can be read.
   */
  static long availableBytes() {
    long available = -1;
    long total = -1;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length < 2) continue;
        if (parts[0].equals("MemAvailable:")) available = Long.parseLong(parts[1]) * 1024;
        if (parts[0].equals("MemTotal:")) total = Long.parseLong(parts[1]) * 1024;
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or unreadable: ask the JVM
    }
    try {
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long jvmFree = os.getFreeMemorySize();
      if (available < 0) return jvmFree;
      if (total > 0 && os.getTotalMemorySize() < total) return Math.min(available, jvmFree);
    } catch (RuntimeException | LinkageError e) {
      // keep what /proc said
    }
    return available;
  }
}
