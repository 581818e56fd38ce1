package io.compartment.demo;

import io.compartment.demo.net.Network;
import io.compartment.demo.net.PeerControl;
import io.compartment.demo.net.PeerLink;
import io.compartment.transport.aeron.MessageChannel;
import io.compartment.transport.aeron.TransportContext;
import io.compartment.transport.codec.TypeRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Where a demo's nodes run. With transport {@code memory} every node is in this JVM and messages
 * are in-memory calls. With {@code ipc} (what {@code DemoMain} uses unless told otherwise) or
 * {@code udp}, the demo is deployed as two processes: this one, the <em>service</em> process, runs
 * the protocol nodes under whatever agent it was started with; a child JVM, the <em>clients</em>
 * process, runs the closed-loop clients. They exchange every request and answer over Aeron: IPC
 * through this process's embedded media driver, or UDP between two drivers (one per process) on
 * {@code compartment.demo.udp.host}.
 *
 * <p>System properties:
 *
 * <ul>
 *   <li>{@code compartment.demo.transport}: {@code memory}, {@code ipc} or {@code udp}, where
 *       {@link DemoOptions#transport()} does not say (default {@code memory} for a demo run from
 *       code; {@code DemoMain} defaults to {@code ipc});
 *   <li>{@code compartment.demo.udp.host}: address both UDP endpoints bind to (default {@code
 *       127.0.0.1});
 *   <li>{@code compartment.demo.clients.start.timeout.s}: how long to wait for the clients process
 *       to connect (default 60 s);
 *   <li>set by the service process for its child only: {@code compartment.demo.role=clients},
 *       {@code compartment.demo.peer.dir} (IPC: the service's Aeron directory), {@code
 *       compartment.demo.udp.service} and {@code compartment.demo.udp.clients} (UDP: ports).
 * </ul>
 */
public final class Deployment {
  public static final String TRANSPORT_PROP = "compartment.demo.transport";
  static final String ROLE_PROP = "compartment.demo.role";
  static final String PEER_DIR_PROP = "compartment.demo.peer.dir";
  static final String UDP_HOST_PROP = "compartment.demo.udp.host";
  static final String UDP_SERVICE_PROP = "compartment.demo.udp.service";
  static final String UDP_CLIENTS_PROP = "compartment.demo.udp.clients";
  static final String START_TIMEOUT_PROP = "compartment.demo.clients.start.timeout.s";

  /** Stream of messages from the service process to the clients process. */
  static final int TO_CLIENTS_STREAM = 2101;

  /** Stream of messages from the clients process to the service process. */
  static final int TO_SERVICE_STREAM = 2102;

  private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

  /** How the nodes of a demo are spread over processes. */
  public enum Transport {
    MEMORY,
    IPC,
    UDP
  }

  /** Which half of a deployed demo this process is. */
  public enum Role {
    SERVICE,
    CLIENTS
  }

  private Deployment() {}

  /** The transport named by {@value #TRANSPORT_PROP}, or {@code fallback} when it is unset. */
  public static Transport transport(Transport fallback) {
    String name = System.getProperty(TRANSPORT_PROP);
    if (name == null || name.isBlank()) {
      return fallback;
    }
    try {
      return Transport.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          TRANSPORT_PROP + "='" + name + "' is not one of memory, ipc, udp", e);
    }
  }

  /** This process's role: {@code clients} only in the child a service process starts. */
  public static Role role() {
    return "clients".equals(System.getProperty(ROLE_PROP)) ? Role.CLIENTS : Role.SERVICE;
  }

  /**
   * The network of one demo run, deployed as the system properties say. For two processes the
   * service side starts the clients process here and returns once it has connected.
   *
   * @param demo the demo's name, which the clients process runs too
   * @param options the run's options, passed on to the clients process
   * @param messageTypes every class a message between nodes may contain (records, enums)
   */
  public static Network network(String demo, DemoOptions options, List<Class<?>> messageTypes) {
    Network network = new Network(options.seed());
    Transport transport =
        options.transport() != null ? options.transport() : transport(Transport.MEMORY);
    if (transport == Transport.MEMORY) {
      return network;
    }
    TypeRegistry registry =
        TypeRegistry.builder().register(messageTypes).register(PeerLink.linkTypes()).build();
    if (role() == Role.CLIENTS) {
      PeerLink link = clientsSide(transport, registry);
      network.distribute(link, node -> node instanceof ClosedLoopClient);
      link.awaitConnected(CONNECT_TIMEOUT_NS);
      link.control(PeerControl.HELLO);
      return network;
    }
    ClientsProcess clients = ClientsProcess.start(demo, options, transport, registry);
    network.distribute(clients.link(), node -> !(node instanceof ClosedLoopClient));
    clients.awaitHello();
    return network;
  }

  private static PeerLink clientsSide(Transport transport, TypeRegistry registry) {
    if (transport == Transport.IPC) {
      String dir = required(PEER_DIR_PROP);
      return new PeerLink(
          "service process",
          new TransportContext().embeddedDriver(false).aeronDirectoryName(dir),
          MessageChannel.ipc(TO_SERVICE_STREAM),
          MessageChannel.ipc(TO_CLIENTS_STREAM),
          registry);
    }
    String host = System.getProperty(UDP_HOST_PROP, "127.0.0.1");
    return new PeerLink(
        "service process",
        new TransportContext().embeddedDriver(true),
        MessageChannel.udp(host, Integer.parseInt(required(UDP_SERVICE_PROP)), TO_SERVICE_STREAM),
        MessageChannel.udp(host, Integer.parseInt(required(UDP_CLIENTS_PROP)), TO_CLIENTS_STREAM),
        registry);
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "the clients process needs -D" + property + ", set by the service process");
    }
    return value;
  }

  /** The clients process as seen from the service process: the child JVM and the link to it. */
  static final class ClientsProcess {
    private final Process process;
    private final PeerLink link;

    private ClientsProcess(Process process, PeerLink link) {
      this.process = process;
      this.link = link;
    }

    static ClientsProcess start(
        String demo, DemoOptions options, Transport transport, TypeRegistry registry) {
      String host = System.getProperty(UDP_HOST_PROP, "127.0.0.1");
      List<String> properties = new ArrayList<>();
      PeerLink link;
      if (transport == Transport.IPC) {
        link =
            new PeerLink(
                "clients process",
                new TransportContext().embeddedDriver(true),
                MessageChannel.ipc(TO_CLIENTS_STREAM),
                MessageChannel.ipc(TO_SERVICE_STREAM),
                registry);
        properties.add("-D" + PEER_DIR_PROP + "=" + link.aeronDirectoryName());
      } else {
        int servicePort = freeUdpPort(host);
        int clientsPort = freeUdpPort(host);
        link =
            new PeerLink(
                "clients process",
                new TransportContext().embeddedDriver(true),
                MessageChannel.udp(host, clientsPort, TO_CLIENTS_STREAM),
                MessageChannel.udp(host, servicePort, TO_SERVICE_STREAM),
                registry);
        properties.add("-D" + UDP_HOST_PROP + "=" + host);
        properties.add("-D" + UDP_SERVICE_PROP + "=" + servicePort);
        properties.add("-D" + UDP_CLIENTS_PROP + "=" + clientsPort);
      }
      try {
        Path log = Files.createTempFile("compartment-" + demo + "-clients-", ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-exports");
        cmd.add("java.base/jdk.internal.misc=ALL-UNNAMED"); // Agrona, for Aeron
        cmd.add("-Xmx1g");
        cmd.add("-D" + ROLE_PROP + "=clients");
        cmd.add("-D" + TRANSPORT_PROP + "=" + transport.name().toLowerCase(Locale.ROOT));
        cmd.add("-Dcompartment.demo.live=false");
        if (System.getProperty(ClosedLoopClient.WINDOW_PROP) != null) {
          cmd.add(
              "-D"
                  + ClosedLoopClient.WINDOW_PROP
                  + "="
                  + System.getProperty(ClosedLoopClient.WINDOW_PROP));
        }
        if (AnswerLog.enabled()) {
          cmd.add("-D" + AnswerLog.FILE_PROP + "=" + System.getProperty(AnswerLog.FILE_PROP));
        }
        cmd.addAll(properties);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(DemoMain.class.getName());
        cmd.add(demo);
        if (options.durationNanos() < DemoOptions.FOREVER_NANOS) {
          cmd.add("--duration");
          cmd.add(Double.toString(options.durationSeconds()));
        }
        if (options.maxOps() != Long.MAX_VALUE) {
          cmd.add("--ops");
          cmd.add(Long.toString(options.maxOps()));
        }
        cmd.add("--seed");
        cmd.add(Long.toString(options.seed()));
        Process process =
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        link.peerProcess(process, log);
        return new ClientsProcess(process, link);
      } catch (IOException e) {
        link.close();
        throw new UncheckedIOException("cannot start the clients process", e);
      }
    }

    PeerLink link() {
      return link;
    }

    void awaitHello() {
      long timeoutS = Long.getLong(START_TIMEOUT_PROP, 60);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
      while (!link.helloReceived()) {
        if (link.poll() == 0) {
          if (!process.isAlive()) {
            link.close();
            throw new IllegalStateException(
                "the clients process exited with status "
                    + process.exitValue()
                    + " before connecting; "
                    + link.peerOutput());
          }
          if (System.nanoTime() - deadline >= 0) {
            process.destroyForcibly();
            link.close();
            throw new IllegalStateException(
                "the clients process did not connect within "
                    + timeoutS
                    + " s (-D"
                    + START_TIMEOUT_PROP
                    + "); "
                    + link.peerOutput());
          }
          sleepQuietly(5);
        }
      }
      link.awaitConnected(CONNECT_TIMEOUT_NS);
    }

    private static int freeUdpPort(String host) {
      try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName(host))) {
        return socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("no free UDP port on " + host, e);
      }
    }
  }

  static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
