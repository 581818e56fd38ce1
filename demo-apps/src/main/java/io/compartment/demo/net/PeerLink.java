package io.compartment.demo.net;

import io.compartment.transport.aeron.EmbeddedTransport;
import io.compartment.transport.aeron.MessageChannel;
import io.compartment.transport.aeron.MessagePublisher;
import io.compartment.transport.aeron.MessageSubscriber;
import io.compartment.transport.aeron.TransportContext;
import io.compartment.transport.codec.TypeRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One Aeron link between the two processes of a deployed demo: a publication to the peer and a
 * subscription from it, both encoding with the demo's registered message types. {@link Envelope}s
 * go to the {@link Network} that owns the link; {@link PeerControl} messages only set flags here.
 *
 * <p>Belongs to the network's loop thread: {@link #send} and {@link #poll} are called from it only.
 * A send that meets back pressure waits (up to the transport's offer timeout, 5 s by default)
 * without polling; the closed-loop workloads bound what is in flight to a few hundred messages, far
 * below a term buffer, so the two sides never wait on each other.
 */
public final class PeerLink implements AutoCloseable {
  private static final int MAX_RECORDED_ERRORS = 10;
  private static final int LOG_TAIL_LINES = 30;
  private static final long PEER_EXIT_WAIT_S = 10;

  private final String peerName;
  private final EmbeddedTransport transport;
  private final MessagePublisher out;
  private final MessageSubscriber in;
  private final List<String> errors = new ArrayList<>();
  private Consumer<Envelope> sink = e -> {};
  private Consumer<LatencyWindow> latencyWindows = w -> {};
  private Consumer<LatencyFigures> latencyFigures = f -> {};
  private final Queue<Object> posted = new ConcurrentLinkedQueue<>();
  private PeerControl lastDone;
  private boolean hello;
  private boolean closeReceived;
  private boolean byeReceived;
  private long errorCount;
  private Process peerProcess;
  private Path peerLog;

  /**
   * @param peerName what the peer is, for messages ("clients process")
   * @param context the transport's settings: an embedded driver or the directory of a running one;
   *     its error handler is replaced by one that records errors here
   * @param toPeer where this side publishes
   * @param fromPeer where this side subscribes
   * @param registry the classes allowed on the wire, including {@link Envelope}, {@link NodeId} and
   *     {@link PeerControl}
   */
  public PeerLink(
      String peerName,
      TransportContext context,
      MessageChannel toPeer,
      MessageChannel fromPeer,
      TypeRegistry registry) {
    this.peerName = peerName;
    this.transport =
        EmbeddedTransport.launch(context.errorHandler(t -> error("transport: " + t.getMessage())));
    this.out = transport.publisher(toPeer, registry);
    this.in = transport.subscriber(fromPeer, registry, (message, header) -> receive(message));
  }

  /** The classes a link needs besides the demo's own message types. */
  public static List<Class<?>> linkTypes() {
    return List.of(
        Envelope.class, NodeId.class, PeerControl.class, LatencyWindow.class, LatencyFigures.class);
  }

  /** Where this link runs, for progress lines: the peer's pid and both channels. */
  public String describe() {
    return "the "
        + peerName
        + (peerProcess == null ? "" : " (pid " + peerProcess.pid() + ")")
        + " over Aeron: to it "
        + out.channel()
        + ", from it "
        + in.channel();
  }

  /** The Aeron directory of this side's media driver. */
  public String aeronDirectoryName() {
    return transport.aeronDirectoryName();
  }

  /**
   * Makes this link own the peer's process, which {@link #close()} waits for; {@code log} is where
   * its output goes.
   */
  public void peerProcess(Process process, Path log) {
    this.peerProcess = process;
    this.peerLog = log;
  }

  /** Whether this side started the peer process and it has exited. */
  public boolean peerExited() {
    return peerProcess != null && !peerProcess.isAlive();
  }

  /** The peer process's exit status and the last lines it printed, for error messages. */
  public String peerOutput() {
    if (peerProcess == null) {
      return "the " + peerName + " was not started here";
    }
    String status =
        peerProcess.isAlive() ? "still running" : "exit status " + peerProcess.exitValue();
    try {
      List<String> lines = Files.readAllLines(peerLog, StandardCharsets.UTF_8);
      return status
          + "; its last output ("
          + peerLog
          + "):\n"
          + String.join(
              "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return status + "; cannot read its output " + peerLog + ": " + e.getMessage();
    }
  }

  void sink(Consumer<Envelope> sink) {
    this.sink = sink;
  }

  /** Where {@link LatencyWindow} and {@link LatencyFigures} messages from the peer go. */
  public void latency(Consumer<LatencyWindow> windows, Consumer<LatencyFigures> figures) {
    this.latencyWindows = windows;
    this.latencyFigures = figures;
  }

  /**
   * Sends {@code message} from any thread: the loop thread sends it at its next {@link #poll()}.
   */
  public void post(Object message) {
    posted.add(message);
  }

  /** Sends an envelope or a control message to the peer. */
  public void send(Object message) {
    out.send(message);
  }

  /** Sends {@code kind} with no figures. */
  public void control(int kind) {
    send(PeerControl.of(kind));
  }

  /** Handles what has arrived; returns the number of fragments read. */
  public int poll() {
    for (Object message; (message = posted.poll()) != null; ) {
      send(message);
    }
    return in.poll();
  }

  /** Waits until both directions are connected. */
  public void awaitConnected(long timeoutNs) {
    in.awaitConnected(timeoutNs);
    out.awaitConnected(timeoutNs);
  }

  public String peerName() {
    return peerName;
  }

  public boolean helloReceived() {
    return hello;
  }

  public boolean closeReceived() {
    return closeReceived;
  }

  public boolean byeReceived() {
    return byeReceived;
  }

  /** The peer's DONE message, or null before it came. */
  public PeerControl done() {
    return lastDone;
  }

  /** Messages that could not be decoded or delivered, and why (the first few). */
  public synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  public synchronized long errorCount() {
    return errorCount;
  }

  synchronized void error(String why) {
    errorCount++;
    if (errors.size() < MAX_RECORDED_ERRORS) {
      errors.add(why);
    }
  }

  private void receive(Object message) {
    if (message instanceof Envelope envelope) {
      sink.accept(envelope);
    } else if (message instanceof PeerControl control) {
      switch (control.kind()) {
        case PeerControl.HELLO -> hello = true;
        case PeerControl.CLOSE -> closeReceived = true;
        case PeerControl.DONE -> lastDone = control;
        case PeerControl.BYE -> byeReceived = true;
        default -> error("unknown control message " + control + " from the " + peerName);
      }
    } else if (message instanceof LatencyWindow window) {
      latencyWindows.accept(window);
    } else if (message instanceof LatencyFigures figures) {
      latencyFigures.accept(figures);
    } else {
      error(
          "unexpected "
              + (message == null ? "null" : message.getClass().getName())
              + " from the "
              + peerName);
    }
  }

  /**
   * Closes the transport; if this side started the peer process, waits up to {@value
   * #PEER_EXIT_WAIT_S} s for it to exit, then kills it, and deletes its output unless it failed.
   */
  @Override
  public void close() {
    transport.close();
    if (peerProcess != null) {
      try {
        if (!peerProcess.waitFor(PEER_EXIT_WAIT_S, TimeUnit.SECONDS)) {
          peerProcess.destroyForcibly();
        } else if (peerProcess.exitValue() == 0) {
          Files.deleteIfExists(peerLog);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        peerProcess.destroyForcibly();
      } catch (IOException e) {
        // the log stays behind in the temporary directory
      }
    }
  }
}
