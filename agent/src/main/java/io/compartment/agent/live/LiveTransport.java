package io.compartment.agent.live;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How the host and its workers talk, from system properties read at each {@code enable}:
 *
 * <ul>
 *   <li>{@value #MODE_PROP} = {@code ipc} (default): both streams of a worker are {@code aeron:ipc}
 *       on the host's media driver, which the worker shares;
 *   <li>{@value #MODE_PROP} = {@code udp}: each worker runs a media driver of its own; the host
 *       sends a worker's calls to {@code aeron:udp?endpoint=<worker host>:<port>} and the worker
 *       sends its replies to {@code aeron:udp?endpoint=<host>:<port>}, two ports of the range
 *       {@value #PORTS_PROP} per worker. {@value #HOST_PROP} is the address the host listens on for
 *       replies, {@value #WORKER_HOST_PROP} the one workers listen on for calls.
 * </ul>
 *
 * Workers are started as child processes of the host in both modes, so both addresses must be
 * addresses of this machine: the host checks each port it hands out by binding it once.
 */
final class LiveTransport {
  static final String MODE_PROP = "compartment.live.transport";
  static final String HOST_PROP = "compartment.live.udp.host";
  static final String WORKER_HOST_PROP = "compartment.live.udp.worker.host";
  static final String PORTS_PROP = "compartment.live.udp.ports";
  static final String DEFAULT_HOST = "127.0.0.1";
  static final String DEFAULT_PORTS = "40500-40999";

  final boolean udp;
  final String host;
  final String workerHost;
  final int firstPort;
  final int lastPort;

  private LiveTransport(boolean udp, String host, String workerHost, int firstPort, int lastPort) {
    this.udp = udp;
    this.host = host;
    this.workerHost = workerHost;
    this.firstPort = firstPort;
    this.lastPort = lastPort;
  }

  /**
   * @throws IllegalArgumentException naming the property that is wrong.
   */
  static LiveTransport fromSystemProperties() {
    String mode = System.getProperty(MODE_PROP, "ipc").trim().toLowerCase(Locale.ROOT);
    if (!mode.equals("ipc") && !mode.equals("udp")) {
      throw new IllegalArgumentException(
          MODE_PROP + "=" + System.getProperty(MODE_PROP) + " is not one of ipc, udp");
    }
    String host = System.getProperty(HOST_PROP, DEFAULT_HOST).trim();
    String workerHost = System.getProperty(WORKER_HOST_PROP, host).trim();
    for (String[] h : new String[][] {{HOST_PROP, host}, {WORKER_HOST_PROP, workerHost}}) {
      if (!h[1].matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException(
            h[0] + "=" + h[1] + " is not an IPv4 address or host name");
      }
    }
    String ports = System.getProperty(PORTS_PROP, DEFAULT_PORTS).trim();
    int first;
    int last;
    try {
      int dash = ports.indexOf('-');
      first = Integer.parseInt(dash < 0 ? ports : ports.substring(0, dash).trim());
      last = dash < 0 ? first : Integer.parseInt(ports.substring(dash + 1).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          PORTS_PROP + "=" + ports + " is not a port range FIRST-LAST, such as " + DEFAULT_PORTS);
    }
    if (first < 1 || last > 65535 || first > last) {
      throw new IllegalArgumentException(
          PORTS_PROP + "=" + ports + ": ports from 1 to 65535, the first not above the last");
    }
    return new LiveTransport(mode.equals("udp"), host, workerHost, first, last);
  }

  String mode() {
    return udp ? "udp" : "ipc";
  }

  static String udpChannel(String address, int port) {
    return "aeron:udp?endpoint=" + address + ":" + port;
  }

  /**
   * The UDP ports this host has handed out: each is used by one worker's stream until the worker is
   * stopped. A port of the range that another process holds is skipped; when none is left, the
   * enable fails naming the ports that were taken.
   */
  static final class Ports {
    private final Set<Integer> inUse = new HashSet<>();

    /**
     * A free port of {@code t}'s range on {@code address}, for {@code what} (used in messages).
     *
     * @throws IllegalStateException when no port of the range is free.
     */
    synchronized int take(LiveTransport t, String address, String what) {
      List<String> taken = new ArrayList<>();
      int ours = 0;
      for (int port = t.firstPort; port <= t.lastPort; port++) {
        if (inUse.contains(port)) {
          ours++;
          continue;
        }
        String problem = probe(address, port);
        if (problem == null) {
          inUse.add(port);
          return port;
        }
        taken.add(port + " (" + problem + ")");
      }
      StringBuilder why = new StringBuilder();
      why.append("no free UDP port on ")
          .append(address)
          .append(" for ")
          .append(what)
          .append(" in ")
          .append(PORTS_PROP)
          .append('=')
          .append(t.firstPort)
          .append('-')
          .append(t.lastPort);
      if (!taken.isEmpty()) {
        why.append(": taken by another process: ")
            .append(String.join(", ", taken.subList(0, Math.min(5, taken.size()))));
        if (taken.size() > 5) why.append(" and ").append(taken.size() - 5).append(" more");
      }
      if (ours > 0)
        why.append(taken.isEmpty() ? ": " : "; ").append(ours).append(" used by workers");
      why.append("; give ").append(PORTS_PROP).append(" a free range");
      throw new IllegalStateException(why.toString());
    }

    synchronized void release(int port) {
      inUse.remove(port);
    }

    /** Null if {@code address:port} can be bound now, else why not. */
    private static String probe(String address, int port) {
      try (DatagramChannel channel = DatagramChannel.open()) {
        channel.bind(new InetSocketAddress(address, port));
        return null;
      } catch (BindException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.contains("in use")) return m;
        throw new IllegalStateException(
            "cannot listen on "
                + address
                + ":"
                + port
                + " ("
                + m
                + "): workers are started on this machine, so "
                + HOST_PROP
                + " and "
                + WORKER_HOST_PROP
                + " must be addresses of this machine");
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException(
            "cannot listen on " + address + ":" + port + ": " + e.getMessage(), e);
      }
    }
  }
}
