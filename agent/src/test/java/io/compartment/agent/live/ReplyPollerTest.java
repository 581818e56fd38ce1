package io.compartment.agent.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.transport.aeron.EmbeddedTransport;
import io.compartment.transport.aeron.MessageChannel;
import io.compartment.transport.aeron.MessagePublisher;
import io.compartment.transport.aeron.MessageSubscriber;
import io.compartment.transport.aeron.TransportContext;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A worker's link over real Aeron IPC streams; the test writes the worker's results itself. */
class ReplyPollerTest {
  private static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);

  private final ReplyPoller poller = new ReplyPoller();
  private final Map<Long, Thread> takenBy = new ConcurrentHashMap<>();
  private final CountDownLatch releaseFirst = new CountDownLatch(1);
  private final CountDownLatch firstTaken = new CountDownLatch(1);
  private volatile boolean blockFirst;
  private EmbeddedTransport transport;
  private WorkerLink link;
  private MessagePublisher worker;

  @BeforeEach
  void connect() {
    transport =
        EmbeddedTransport.launch(
            new TransportContext()
                .termBufferLength(256 * 1024)
                .idleStrategy(TransportContext.idleStrategyFor("backoff")));
    MessagePublisher calls = transport.publisher(MessageChannel.ipc(1001));
    WorkerLink[] holder = new WorkerLink[1];
    MessageSubscriber replies =
        transport.subscriber(
            MessageChannel.ipc(1002), (b, o, l, h) -> holder[0].onFrame(b, o, l, h));
    link = new WorkerLink(0, "w0", calls, replies, this::taken, SECOND_NS);
    holder[0] = link;
    poller.add(link);
    worker = transport.publisher(MessageChannel.ipc(1002));
    worker.awaitConnected(10 * SECOND_NS);
  }

  @AfterEach
  void close() {
    releaseFirst.countDown();
    transport.close();
  }

  private void taken(
      WorkerLink from,
      WorkerLink.Pending sent,
      byte flags,
      org.agrona.DirectBuffer body,
      int offset,
      int length) {
    takenBy.put(sent.seq, Thread.currentThread());
    if (sent.seq == 1 && blockFirst) {
      firstTaken.countDown();
      try {
        releaseFirst.await(10, TimeUnit.SECONDS); // a slow emit, say
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    sent.answer.complete(new RoutedCall(sent.seq, null));
  }

  private CompletableFuture<Object> call() {
    byte[] frame = new byte[Wire.BODY];
    Wire.header(new UnsafeBuffer(frame), Wire.CALL, (byte) 0, 0, 0, 0);
    CompletableFuture<Object> answer = new CompletableFuture<>();
    link.send(Wire.CALL, frame, answer);
    return answer;
  }

  private void answer(long seq) {
    UnsafeBuffer b = new UnsafeBuffer(new byte[Wire.BODY]);
    Wire.header(b, Wire.RESULT, (byte) 0, seq, 0, 0);
    while (worker.tryOffer(b, 0, Wire.BODY) < 0) Thread.yield();
  }

  private static IdleStrategy idle() {
    return new BackoffIdleStrategy(100, 10, 1_000, 100_000);
  }

  @Test
  void aWaitingCallerTakesItsAnswerOnItsOwnThreadWhenNoOtherThreadPolls() {
    CompletableFuture<Object> answer = call();
    answer(1);

    poller.lead(answer, idle(), 10 * SECOND_NS);

    assertThat(answer).isDone();
    assertThat(takenBy).containsEntry(1L, Thread.currentThread());
  }

  @Test
  void aCallerStopsPollingAtItsLimitAndThePollerThreadTakesTheAnswerLater() throws Exception {
    CompletableFuture<Object> answer = call();
    long start = System.nanoTime();

    poller.lead(answer, idle(), TimeUnit.MILLISECONDS.toNanos(20));

    assertThat(System.nanoTime() - start)
        .isBetween(TimeUnit.MILLISECONDS.toNanos(20), 5 * SECOND_NS);
    assertThat(answer).isNotDone();
    transport.start(poller, idle());
    answer(1);
    assertThat(((RoutedCall) answer.get(10, TimeUnit.SECONDS)).value()).isEqualTo(1L);
    assertThat(takenBy.get(1L)).isNotSameAs(Thread.currentThread());
  }

  @Test
  void aCallerDoesNotPollWhileAnotherThreadDoes() throws Exception {
    blockFirst = true;
    CompletableFuture<Object> first = call();
    CompletableFuture<Object> second = call();
    Thread leader = new Thread(() -> poller.lead(first, idle(), 10 * SECOND_NS), "leader");
    leader.start();
    answer(1);
    assertThat(firstTaken.await(10, TimeUnit.SECONDS)).isTrue();
    answer(2);
    long start = System.nanoTime();

    poller.lead(second, idle(), 10 * SECOND_NS); // the leader is inside its poll

    assertThat(System.nanoTime() - start).isLessThan(SECOND_NS);
    assertThat(second).isNotDone();
    releaseFirst.countDown();
    leader.join(10_000);
    poller.lead(second, idle(), 10 * SECOND_NS); // taken by the leader's poll, or now
    assertThat(((RoutedCall) second.get(10, TimeUnit.SECONDS)).value()).isEqualTo(2L);
    assertThat(takenBy).containsEntry(1L, leader);
  }
}
