package io.compartment.demo.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * N small machines on one box: a process and every process it starts, each in a cgroup of its own
 * capped at the same CPU share. A watcher thread finds new descendants (worker JVMs, started
 * whenever the agent enables a compartment) within {@value #POLL_MS} ms and caps them too. The
 * demo's clients process, which stands for the users of the service, gets a group with its own
 * share, so that it is not what limits the service.
 */
final class EmulatedCluster implements AutoCloseable {
  static final long POLL_MS = 20;

  private final CpuCgroups cgroups;
  private final double cpusPerProcess;
  private final double clientCpus;
  private final Set<Long> placed = new HashSet<>();
  private final Map<Long, Path> groups = new LinkedHashMap<>();
  private final Map<Long, String> roles = new LinkedHashMap<>();
  private long servicePid = -1;
  private final List<String> log = new ArrayList<>();
  private volatile boolean running = true;
  private Thread watcher;

  /**
   * The shares of an emulated cluster.
   *
   * @param cgroups where the groups are made
   * @param cpusPerProcess CPUs of the service process and of each worker (e.g. 0.25)
   * @param clientCpus CPUs of the clients process
   */
  record Shares(CpuCgroups cgroups, double cpusPerProcess, double clientCpus) {
    /**
     * The shares the system properties set: {@code compartment.bench.cpus} (default 0.2) and {@code
     * compartment.bench.client.cpus} (default 0.6).
     */
    static Shares fromProperties(CpuCgroups cgroups) {
      return new Shares(
          cgroups,
          Double.parseDouble(System.getProperty("compartment.bench.cpus", "0.2")),
          Double.parseDouble(System.getProperty("compartment.bench.client.cpus", "0.6")));
    }
  }

  EmulatedCluster(Shares shares) {
    this(shares.cgroups(), shares.cpusPerProcess(), shares.clientCpus());
  }

  /**
   * @param cpusPerProcess CPU share of the service process and of each worker (e.g. 0.25)
   * @param clientCpus CPU share of the clients process
   */
  EmulatedCluster(CpuCgroups cgroups, double cpusPerProcess, double clientCpus) {
    this.cgroups = cgroups;
    this.cpusPerProcess = cpusPerProcess;
    this.clientCpus = clientCpus;
  }

  /** Caps {@code root} now, and each process it starts from now on until {@link #close()}. */
  void adopt(Process root) {
    place(root.toHandle());
    watcher =
        new Thread(
            () -> {
              while (running && root.isAlive()) {
                root.descendants().forEach(this::place);
                LockSupport.parkNanos(POLL_MS * 1_000_000);
              }
            },
            "emulated-cluster-watcher");
    watcher.setDaemon(true);
    watcher.start();
  }

  private void place(ProcessHandle p) {
    if (placed.contains(p.pid())) return;
    String command = p.info().commandLine().orElse("");
    if (!command.contains("java")) {
      // caught between fork and exec: its command line does not say yet whether it is the
      // clients process; the next poll places it
      return;
    }
    placed.add(p.pid());
    boolean clients = command.contains("compartment.demo.role=clients");
    double cpus = clients ? clientCpus : cpusPerProcess;
    try {
      Path group = cgroups.create(cpus);
      cgroups.place(p.pid(), group);
      synchronized (log) {
        if (servicePid < 0) servicePid = p.pid();
        groups.put(p.pid(), group);
        roles.put(p.pid(), clients ? "clients" : p.pid() == servicePid ? "service" : "workers");
      }
      synchronized (log) {
        log.add(p.pid() + (clients ? " (clients)" : "") + " capped at " + cpus + " CPU");
      }
    } catch (RuntimeException e) {
      synchronized (log) {
        log.add(p.pid() + " not capped: " + e.getMessage()); // it may have exited meanwhile
      }
    }
  }

  /** What was capped, one line per process. */
  List<String> log() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /**
   * CPU time used and time throttled so far, in ms, summed by role: {@code service}, {@code
   * clients} and {@code workers}, as {@code {used, throttled}}.
   */
  Map<String, long[]> cpuByRole() {
    Map<String, long[]> byRole = new LinkedHashMap<>();
    synchronized (log) {
      for (Map.Entry<Long, Path> e : groups.entrySet()) {
        long[] u = cgroups.usage(e.getValue());
        long[] sum = byRole.computeIfAbsent(roles.get(e.getKey()), r -> new long[2]);
        // a figure the kernel does not give stays -1 for the whole role
        sum[0] = u[0] < 0 || sum[0] < 0 ? -1 : sum[0] + u[0] / 1000;
        sum[1] = u[1] < 0 || sum[1] < 0 ? -1 : sum[1] + u[1] / 1000;
      }
    }
    return byRole;
  }

  /** Processes capped so far. */
  int processes() {
    synchronized (log) {
      return (int) log.stream().filter(l -> l.contains("capped at")).count();
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    if (watcher != null) watcher.join(1000);
  }
}
