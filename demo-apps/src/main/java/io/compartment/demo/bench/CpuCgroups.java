package io.compartment.demo.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Caps processes at a share of one CPU with Linux cgroups, so that several processes on one machine
 * behave like as many small machines. Uses cgroup v2 where its {@code cpu} controller can be
 * enabled at the hierarchy's root, else cgroup v1's {@code cpu} hierarchy; {@link #open} says
 * precisely why neither could be used.
 *
 * <p>Each group gets a CFS bandwidth limit: {@code quota = cpus x period} with a period of 100 ms.
 * Groups are named {@code compartment-<pid>-<n>} under the hierarchy's root and removed by {@link
 * #close()} once their processes are gone (a group with a live process stays, and is named in the
 * warning).
 */
final class CpuCgroups implements AutoCloseable {
  private static final long PERIOD_US = 100_000;

  private final Path root;
  private final boolean v2;
  private final String prefix = "compartment-" + ProcessHandle.current().pid() + "-";
  private final List<Path> groups = new ArrayList<>();

  private CpuCgroups(Path root, boolean v2) {
    this.root = root;
    this.v2 = v2;
  }

  /**
   * Finds a cgroup hierarchy with a writable {@code cpu} controller.
   *
   * @throws IllegalStateException naming what was tried and why each failed
   */
  static CpuCgroups open() {
    List<String> tried = new ArrayList<>();
    List<String[]> mounts = mounts();
    for (String[] m : mounts) {
      if (m[2].equals("cgroup2")) {
        Path root = Path.of(m[1]);
        String why = v2Problem(root);
        if (why == null) {
          return new CpuCgroups(root, true);
        }
        tried.add("cgroup v2 at " + root + ": " + why);
      }
    }
    for (String[] m : mounts) {
      if (m[2].equals("cgroup") && List.of(m[3].split(",")).contains("cpu")) {
        Path root = Path.of(m[1]);
        String why = writableProblem(root, "cpu.cfs_quota_us");
        if (why == null) {
          return new CpuCgroups(root, false);
        }
        tried.add("cgroup v1 at " + root + ": " + why);
      }
    }
    if (tried.isEmpty()) {
      tried.add("no cgroup hierarchy with a cpu controller is mounted (see /proc/mounts)");
    }
    throw new IllegalStateException(
        "the emulated cluster needs to cap processes with cgroups, and cannot: "
            + String.join("; ", tried)
            + ". Run as root, or in a container given its own cgroup (for example docker"
            + " --privileged or --cgroupns=private with a writable /sys/fs/cgroup)");
  }

  private static List<String[]> mounts() {
    List<String[]> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/mounts"), StandardCharsets.UTF_8)) {
        String[] f = line.split(" ");
        if (f.length >= 4) out.add(f);
      }
    } catch (IOException e) {
      // not Linux, or no /proc: nothing found
    }
    return out;
  }

  private static String v2Problem(Path root) {
    try {
      String controllers = Files.readString(root.resolve("cgroup.controllers")).trim();
      if (!List.of(controllers.split(" ")).contains("cpu")) {
        return "the cpu controller is not available (cgroup.controllers: '" + controllers + "')";
      }
      Path subtree = root.resolve("cgroup.subtree_control");
      if (!Files.readString(subtree).contains("cpu")) {
        Files.writeString(subtree, "+cpu");
      }
      return writableProblem(root, "cgroup.procs");
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static String writableProblem(Path root, String probe) {
    Path test = root.resolve("compartment-probe-" + ProcessHandle.current().pid());
    try {
      Files.createDirectories(test);
      if (!Files.exists(test.resolve(probe))) {
        return "a new group has no " + probe;
      }
      return null;
    } catch (IOException e) {
      return "cannot create a group (" + e + ")";
    } finally {
      try {
        Files.deleteIfExists(test);
      } catch (IOException e) {
        // left behind: harmless, empty
      }
    }
  }

  /** Which cgroup version is in use, for output. */
  String describe() {
    return (v2 ? "cgroup v2 at " : "cgroup v1 at ") + root;
  }

  /**
   * A new group capped at {@code cpus} CPUs (for example 0.25).
   *
   * @return the group's directory, for {@link #place}
   */
  Path create(double cpus) {
    if (!(cpus > 0)) throw new IllegalArgumentException("cpus must be positive: " + cpus);
    Path group = root.resolve(prefix + groups.size());
    long quota = Math.max(1000, Math.round(cpus * PERIOD_US));
    try {
      Files.createDirectories(group);
      if (v2) {
        Files.writeString(group.resolve("cpu.max"), quota + " " + PERIOD_US);
      } else {
        Files.writeString(group.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
        Files.writeString(group.resolve("cpu.cfs_quota_us"), Long.toString(quota));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create cgroup " + group, e);
    }
    groups.add(group);
    return group;
  }

  /**
   * CPU time {@code group} used and the time it was throttled (held back for having used its quota
   * within a 100 ms period), in microseconds: {@code {usage, throttled}}; -1 where the kernel does
   * not say (cgroup v1 keeps usage in {@code cpuacct}, which may be mounted elsewhere).
   */
  long[] usage(Path group) {
    long usage = -1;
    long throttled = -1;
    try {
      if (v2) {
        for (String line : Files.readAllLines(group.resolve("cpu.stat"), StandardCharsets.UTF_8)) {
          String[] kv = line.trim().split("\\s+");
          if (kv.length != 2) continue;
          if (kv[0].equals("usage_usec")) usage = Long.parseLong(kv[1]);
          if (kv[0].equals("throttled_usec")) throttled = Long.parseLong(kv[1]);
        }
      } else {
        for (String line : Files.readAllLines(group.resolve("cpu.stat"), StandardCharsets.UTF_8)) {
          String[] kv = line.trim().split("\\s+");
          if (kv.length == 2 && kv[0].equals("throttled_time")) {
            throttled = Long.parseLong(kv[1]) / 1000;
          }
        }
        Path acct = group.resolve("cpuacct.usage");
        if (Files.exists(acct)) usage = Long.parseLong(Files.readString(acct).trim()) / 1000;
      }
    } catch (IOException | RuntimeException e) {
      // a group that is gone or unreadable counts as nothing
    }
    return new long[] {usage, throttled};
  }

  /** Moves process {@code pid} (all its threads) into {@code group}. */
  void place(long pid, Path group) {
    try {
      Files.writeString(group.resolve("cgroup.procs"), Long.toString(pid));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move process " + pid + " into " + group, e);
    }
  }

  /** Removes the groups; ones that still hold a process are left and returned. */
  @Override
  public void close() {
    List<String> left = new ArrayList<>();
    for (Path g : groups) {
      try {
        Files.deleteIfExists(g);
      } catch (IOException e) {
        left.add(g.toString());
      }
    }
    if (!left.isEmpty()) {
      System.err.println(
          String.format(
              Locale.ROOT,
              "warning: cgroups still in use, not removed: %s",
              String.join(", ", left)));
    }
  }
}
