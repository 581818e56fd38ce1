package io.compartment.transport.aeron;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.compartment.transport.codec.TypeRegistry;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;

/**
 * An Aeron client, with the media driver it talks to started in this process ({@link
 * TransportContext#embeddedDriver()} true, the default) or already running at {@link
 * TransportContext#aeronDirectoryName()} (so child processes share their parent's driver and talk
 * to it over IPC).
 *
 * <p>An embedded driver uses the context's threading mode, term length and idle strategy, deletes
 * its directory on start and on close, and uses sparse term files. {@link #close()} stops the
 * agents started here, closes publishers, subscribers and the client, then the driver, and removes
 * the directory if this transport created it. Clients in other processes that still use the driver
 * lose it.
 *
 * <pre>{@code
 * try (EmbeddedTransport transport = EmbeddedTransport.launch(new TransportContext())) {
 *   MessageSubscriber in = transport.subscriber(MessageChannel.ipc(10), registry, handler);
 *   transport.start(in);
 *   MessagePublisher out = transport.publisher(MessageChannel.ipc(10), registry);
 *   out.send(new Put("k", 1));
 * }
 * }</pre>
 */
public final class EmbeddedTransport implements AutoCloseable {
  private final TransportContext context;
  private final MediaDriver driver;
  private final Aeron aeron;
  private final List<AgentRunner> runners = new ArrayList<>();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private boolean closed;

  private EmbeddedTransport(final TransportContext context) {
    this.context = context;
    MediaDriver launched = null;
    if (context.embeddedDriver()) {
      final MediaDriver.Context driverContext =
          new MediaDriver.Context()
              .aeronDirectoryName(context.aeronDirectoryName())
              .dirDeleteOnStart(true)
              .dirDeleteOnShutdown(true)
              .warnIfDirectoryExists(false)
              .termBufferSparseFile(true)
              .threadingMode(context.threadingMode())
              .publicationTermBufferLength(context.termBufferLength())
              .ipcTermBufferLength(context.termBufferLength())
              .driverTimeoutMs(context.driverTimeoutMs())
              .errorHandler(context.errorHandler());
      final ThreadingMode mode = context.threadingMode();
      if (mode == ThreadingMode.SHARED) {
        driverContext.sharedIdleStrategy(context.driverIdleStrategy().get());
      } else if (mode == ThreadingMode.SHARED_NETWORK) {
        driverContext
            .sharedNetworkIdleStrategy(context.driverIdleStrategy().get())
            .conductorIdleStrategy(context.driverIdleStrategy().get());
      } else {
        driverContext
            .senderIdleStrategy(context.driverIdleStrategy().get())
            .receiverIdleStrategy(context.driverIdleStrategy().get())
            .conductorIdleStrategy(context.driverIdleStrategy().get());
      }
      launched = MediaDriver.launch(driverContext);
    }
    this.driver = launched;
    try {
      this.aeron =
          Aeron.connect(
              new Aeron.Context()
                  .aeronDirectoryName(context.aeronDirectoryName())
                  .driverTimeoutMs(context.driverTimeoutMs())
                  .errorHandler(context.errorHandler())
                  .subscriberErrorHandler(context.errorHandler()));
    } catch (RuntimeException e) {
      CloseHelper.quietClose(launched);
      throw e;
    }
  }

  /**
   * Concludes the context, starts the driver if embedded, and connects a client.
   *
   * @param context the configuration; concluded here if not yet.
   * @return the running transport.
   * @throws io.aeron.exceptions.ConfigurationException if the context is invalid.
   */
  public static EmbeddedTransport launch(final TransportContext context) {
    return new EmbeddedTransport(context.conclude());
  }

  /**
   * {@link #launch(TransportContext)} with defaults from system properties.
   *
   * @return the running transport.
   */
  public static EmbeddedTransport launch() {
    return launch(new TransportContext());
  }

  /**
   * Adds a publication without a codec: use {@link MessagePublisher#offer} with raw bytes.
   *
   * @param channel where to publish.
   * @return the publisher; closed with this transport.
   */
  public MessagePublisher publisher(final MessageChannel channel) {
    return publisher(channel, null);
  }

  /**
   * Adds a publication whose {@link MessagePublisher#send(Object)} encodes with {@code registry}.
   *
   * @param channel where to publish.
   * @param registry the classes allowed on the wire, or {@code null} for raw bytes only.
   * @return the publisher; closed with this transport.
   */
  public synchronized MessagePublisher publisher(
      final MessageChannel channel, final TypeRegistry registry) {
    checkOpen();
    final MessagePublisher publisher =
        new MessagePublisher(
            aeron.addPublication(channel.uri(), channel.streamId()),
            channel,
            context.idleStrategy(),
            context.offerTimeoutNs(),
            registry);
    resources.add(publisher);
    return publisher;
  }

  /**
   * Adds a subscription that hands whole raw messages to {@code handler}.
   *
   * @param channel where to subscribe.
   * @param handler receives {@code (buffer, offset, length, header)} per message.
   * @return the subscriber, not yet polling: see {@link #start(Agent)}; closed with this transport.
   */
  public synchronized MessageSubscriber subscriber(
      final MessageChannel channel, final FragmentHandler handler) {
    checkOpen();
    final MessageSubscriber subscriber =
        new MessageSubscriber(
            aeron.addSubscription(channel.uri(), channel.streamId()),
            channel,
            handler,
            context.errorHandler(),
            context.idleStrategy(),
            MessageSubscriber.DEFAULT_FRAGMENT_LIMIT);
    resources.add(subscriber);
    return subscriber;
  }

  /**
   * Adds a subscription that decodes messages with {@code registry}; undecodable ones go to the
   * context's error handler.
   *
   * @param channel where to subscribe.
   * @param registry the classes allowed on the wire.
   * @param handler receives decoded messages.
   * @return the subscriber, not yet polling: see {@link #start(Agent)}; closed with this transport.
   */
  public MessageSubscriber subscriber(
      final MessageChannel channel, final TypeRegistry registry, final MessageHandler handler) {
    return subscriber(
        channel, MessageSubscriber.decoding(registry, handler, context.errorHandler()));
  }

  /**
   * Runs {@code agent} on a new daemon thread named after its role, idling with the context's idle
   * strategy and reporting errors to its error handler. Stopped by {@link #close()}, in reverse
   * order of starting.
   *
   * @param agent the agent, for example a {@link MessageSubscriber}.
   * @return the runner, which may also be closed earlier.
   */
  public synchronized AgentRunner start(final Agent agent) {
    return start(agent, context.idleStrategy().get());
  }

  /**
   * Runs {@code agent} as {@link #start(Agent)} does, idling with {@code idle} instead of the
   * context's idle strategy.
   *
   * @param agent the agent.
   * @param idle its idle strategy (not shared with another runner).
   * @return the runner, which may also be closed earlier.
   */
  public synchronized AgentRunner start(final Agent agent, final IdleStrategy idle) {
    checkOpen();
    final AgentRunner runner = new AgentRunner(idle, context.errorHandler(), null, agent);
    AgentRunner.startOnThread(
        runner,
        r -> {
          final Thread thread = new Thread(r);
          thread.setDaemon(true);
          return thread;
        });
    runners.add(runner);
    return runner;
  }

  /**
   * @return the Aeron client, for anything this class does not wrap.
   */
  public Aeron aeron() {
    return aeron;
  }

  /**
   * @return the Aeron directory other processes pass to {@link
   *     TransportContext#aeronDirectoryName(String)} to share this driver.
   */
  public String aeronDirectoryName() {
    return context.aeronDirectoryName();
  }

  /**
   * @return whether this transport started (and will stop) the media driver.
   */
  public boolean ownsDriver() {
    return driver != null;
  }

  /**
   * @return the concluded context.
   */
  public TransportContext context() {
    return context;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("transport is closed");
    }
  }

  /** Stops agents, closes client resources, the client and the driver. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (int i = runners.size() - 1; i >= 0; i--) {
      CloseHelper.close(context.errorHandler(), runners.get(i));
    }
    for (int i = resources.size() - 1; i >= 0; i--) {
      CloseHelper.close(context.errorHandler(), resources.get(i));
    }
    CloseHelper.close(context.errorHandler(), aeron);
    if (driver != null) {
      CloseHelper.close(context.errorHandler(), driver);
      final File dir = new File(context.aeronDirectoryName());
      if (dir.exists()) {
        IoUtil.delete(dir, true);
      }
    }
  }
}
