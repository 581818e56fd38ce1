package io.compartment.transport.aeron;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A child JVM connects to this JVM's driver over IPC and echoes; order and count must hold. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ChildProcessPingPongTest {
  @Test
  void childJvmEchoesEveryMessageInOrderOverSharedDriver() throws Exception {
    final File log = File.createTempFile("compartment-pong-", ".log");
    log.deleteOnExit();
    final File dir;
    Process child = null;
    try (EmbeddedTransport transport =
        EmbeddedTransport.launch(EmbeddedTransportTest.testContext())) {
      dir = new File(transport.aeronDirectoryName());
      final long[] echoed = {-1};
      final int[] echoes = {0};
      final long[] outOfOrder = {0};
      final MessageSubscriber pongs =
          transport.subscriber(
              MessageChannel.ipc(PingPong.PONG_STREAM),
              (buffer, offset, length, header) -> {
                if (length == 1) {
                  echoed[0] = Long.MAX_VALUE;
                  return;
                }
                final long seq = buffer.getLong(offset);
                if (seq != echoed[0] + 1 || buffer.getLong(offset + 8) != ~seq) {
                  outOfOrder[0]++;
                }
                echoed[0] = seq;
                echoes[0]++;
              });
      final MessagePublisher pings = transport.publisher(MessageChannel.ipc(PingPong.PING_STREAM));
      child =
          JavaProcess.start(
              PingPong.class, List.of("--pong", transport.aeronDirectoryName(), "backoff"), log);
      final long connectTimeout = TimeUnit.SECONDS.toNanos(60);
      pings.awaitConnected(connectTimeout);
      pongs.awaitConnected(connectTimeout);

      final IdleStrategy idle = TransportContext.idleStrategyFor("backoff").get();
      final UnsafeBuffer message = new UnsafeBuffer(new byte[16]);
      final int roundTrips = 2_000;
      final int burst = 8_000;
      final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      // one at a time
      for (long i = 0; i < roundTrips; i++) {
        message.putLong(0, i);
        message.putLong(8, ~i);
        pings.offer(message, 0, 16);
        while (echoed[0] < i) {
          idle.idle(pongs.poll());
          checkAlive(child, deadline, i, log);
        }
      }
      // pipelined: offer without waiting for echoes, polling echoes while back pressured
      for (long i = roundTrips; i < roundTrips + burst; i++) {
        message.putLong(0, i);
        message.putLong(8, ~i);
        while (pings.tryOffer(message, 0, 16) < 0) {
          idle.idle(pongs.poll());
          checkAlive(child, deadline, i, log);
        }
      }
      while (echoed[0] < roundTrips + burst - 1) {
        idle.idle(pongs.poll());
        checkAlive(child, deadline, echoed[0] + 1, log);
      }
      final int count = roundTrips + burst;
      assertThat(echoes[0]).isEqualTo(count);
      assertThat(outOfOrder[0]).isZero();

      pings.offer(message, 0, 1); // stop
      while (echoed[0] != Long.MAX_VALUE && System.nanoTime() - deadline < 0) {
        idle.idle(pongs.poll());
      }
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child exits").isTrue();
      assertThat(child.exitValue()).as("child exit status; log: %s", read(log)).isZero();
    } finally {
      if (child != null && child.isAlive()) {
        child.destroyForcibly();
      }
    }
    assertThat(dir).as("driver dir removed on close").doesNotExist();
  }

  private static void checkAlive(
      final Process child, final long deadline, final long waitingFor, final File log) {
    if (System.nanoTime() - deadline >= 0 || !child.isAlive()) {
      throw new AssertionError(
          "no echo of "
              + waitingFor
              + "; child alive="
              + child.isAlive()
              + "; child log: "
              + read(log));
    }
  }

  private static String read(final File log) {
    try {
      return Files.readString(log.toPath(), StandardCharsets.UTF_8);
    } catch (Exception e) {
      return "(unreadable: " + e + ")";
    }
  }
}
