package io.compartment.transport.aeron;

import io.aeron.Publication;
import io.aeron.exceptions.DriverTimeoutException;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Benchmark (not a test): round trip of a small message over Aeron IPC between this process and a
 * child JVM that shares this process's embedded media driver and echoes every message.
 *
 * <pre>
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp CLASSPATH \
 *     io.compartment.transport.aeron.PingPong [--messages N] [--warmup N] [--length BYTES]
 *     [--idle busy|yielding|backoff]
 * </pre>
 *
 * <p>Defaults: 100 000 measured round trips after 20 000 warm-up ones, 32-byte messages, both sides
 * busy-spinning (two spinning threads: keep the machine otherwise idle on 2 cores), driver backing
 * off. Prints one JSON object, then {@code RESULT name=aeron-ipc-rtt ops_per_s=<n> p50_us=<n>
 * p99_us=<n>} where ops_per_s is round trips per second, one at a time.
 *
 * <p>With {@code --pong DIR IDLE} it is the child: it connects to the driver at DIR, echoes stream
 * {@value #PING_STREAM} to stream {@value #PONG_STREAM}, and exits after echoing a 1-byte message.
 */
public final class PingPong {
  /** Stream the pinger publishes on: {@value}. */
  public static final int PING_STREAM = 1001;

  /** Stream the ponger publishes on: {@value}. */
  public static final int PONG_STREAM = 1002;

  private PingPong() {}

  /**
   * @param args see the class comment.
   * @throws Exception on failure.
   */
  public static void main(final String[] args) throws Exception {
    if (args.length >= 1 && args[0].equals("--pong")) {
      System.exit(pong(args[1], args.length > 2 ? args[2] : "busy"));
    }
    int messages = 100_000;
    int warmup = 20_000;
    int length = 32;
    String idle = "busy";
    for (int i = 0; i < args.length; i += 2) {
      final String value = args[i + 1];
      switch (args[i]) {
        case "--messages":
          messages = Integer.parseInt(value);
          break;
        case "--warmup":
          warmup = Integer.parseInt(value);
          break;
        case "--length":
          length = Math.max(8, Integer.parseInt(value));
          break;
        case "--idle":
          idle = value;
          break;
        default:
          throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    ping(messages, warmup, length, idle);
  }

  private static void ping(
      final int messages, final int warmup, final int length, final String idle) throws Exception {
    final TransportContext context =
        new TransportContext().idleStrategy(TransportContext.idleStrategyFor(idle));
    try (EmbeddedTransport transport = EmbeddedTransport.launch(context)) {
      final long[] echoed = {-1};
      final MessageSubscriber pongs =
          transport.subscriber(
              MessageChannel.ipc(PONG_STREAM),
              (buffer, offset, len, header) -> echoed[0] = buffer.getLong(offset));
      final MessagePublisher pings = transport.publisher(MessageChannel.ipc(PING_STREAM));
      final Process child =
          JavaProcess.start(
              PingPong.class, List.of("--pong", transport.aeronDirectoryName(), idle), null);
      try {
        final long connectTimeout = TimeUnit.SECONDS.toNanos(60);
        pings.awaitConnected(connectTimeout);
        pongs.awaitConnected(connectTimeout);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[length]);
        final IdleStrategy idleStrategy = TransportContext.idleStrategyFor(idle).get();
        final long[] rtt = new long[messages];
        long start = 0;
        for (int i = -warmup; i < messages; i++) {
          if (i == 0) {
            start = System.nanoTime();
          }
          message.putLong(0, i);
          final long t0 = System.nanoTime();
          pings.offer(message, 0, length);
          while (echoed[0] != i) {
            idleStrategy.idle(pongs.poll());
          }
          if (i >= 0) {
            rtt[i] = System.nanoTime() - t0;
          }
        }
        final long elapsed = System.nanoTime() - start;
        pings.offer(message, 0, 1);
        if (!child.waitFor(30, TimeUnit.SECONDS)) {
          child.destroyForcibly();
        }
        Arrays.sort(rtt);
        final double p50 = rtt[messages / 2] / 1000.0;
        final double p99 = rtt[(int) Math.min(messages - 1, (long) messages * 99 / 100)] / 1000.0;
        final long opsPerS = Math.round(messages / (elapsed / 1e9));
        System.out.printf(
            Locale.ROOT,
            "{\"name\":\"aeron-ipc-rtt\",\"messages\":%d,\"length\":%d,\"idle\":\"%s\","
                + "\"ops_per_s\":%d,\"p50_us\":%.2f,\"p99_us\":%.2f,\"max_us\":%.2f}%n",
            messages,
            length,
            idle,
            opsPerS,
            p50,
            p99,
            rtt[messages - 1] / 1000.0);
        System.out.printf(
            Locale.ROOT,
            "RESULT name=aeron-ipc-rtt ops_per_s=%d p50_us=%.2f p99_us=%.2f%n",
            opsPerS,
            p50,
            p99);
      } finally {
        if (child.isAlive()) {
          child.destroyForcibly();
        }
      }
    }
  }

  /**
   * The echoing child: runs until it has echoed a 1-byte message, its parent dies, or the driver
   * goes away.
   *
   * @param aeronDir directory of the parent's media driver.
   * @param idle idle strategy name.
   * @return the exit status.
   */
  static int pong(final String aeronDir, final String idle) {
    final TransportContext context =
        new TransportContext()
            .embeddedDriver(false)
            .aeronDirectoryName(aeronDir)
            .idleStrategy(TransportContext.idleStrategyFor(idle))
            .errorHandler(
                t -> {
                  t.printStackTrace();
                  if (t instanceof DriverTimeoutException) {
                    Runtime.getRuntime().halt(3);
                  }
                });
    try (EmbeddedTransport transport = EmbeddedTransport.launch(context)) {
      final MessagePublisher out = transport.publisher(MessageChannel.ipc(PONG_STREAM));
      final Echo echo = new Echo(out.publication());
      final MessageSubscriber in = transport.subscriber(MessageChannel.ipc(PING_STREAM), echo);
      final IdleStrategy idleStrategy = context.idleStrategy().get();
      final ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
      long nextParentCheck = System.nanoTime();
      while (!echo.done) {
        idleStrategy.idle(in.poll());
        final long now = System.nanoTime();
        if (now - nextParentCheck >= 0) {
          nextParentCheck = now + TimeUnit.SECONDS.toNanos(1);
          if (parent != null && !parent.isAlive()) {
            return 2;
          }
        }
      }
      return 0;
    }
  }

  /** Echoes each fragment back; a 1-byte message is echoed and ends the loop. */
  static final class Echo implements FragmentHandler {
    private final Publication publication;
    volatile boolean done;

    Echo(final Publication publication) {
      this.publication = publication;
    }

    @Override
    public void onFragment(
        final DirectBuffer buffer, final int offset, final int length, final Header header) {
      final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      long result;
      while ((result = publication.offer(buffer, offset, length)) < 0) {
        if (result == Publication.CLOSED || System.nanoTime() - deadline >= 0) {
          throw new IllegalStateException("echo failed: " + Publication.errorString(result));
        }
        Thread.onSpinWait();
      }
      if (length == 1) {
        done = true;
      }
    }
  }
}
