package io.compartment.transport.aeron;

import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.ConfigurationException;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * Configuration of an {@link EmbeddedTransport}, in the style of Aeron's contexts: defaults come
 * from system properties ({@code compartment.transport.*}), fluent setters override them, and
 * {@link #conclude()} fills derived values and validates everything at once, naming every problem.
 *
 * <table>
 *   <caption>System properties</caption>
 *   <tr><th>property</th><th>setter</th><th>default</th></tr>
 *   <tr><td>{@value #DIR_PROP}</td><td>{@link #aeronDirectoryName(String)}</td>
 *       <td>a new unique directory under {@code /dev/shm} (or {@code java.io.tmpdir})</td></tr>
 *   <tr><td>{@value #EMBEDDED_PROP}</td><td>{@link #embeddedDriver(boolean)}</td>
 *       <td>{@code true}: start a media driver in this process</td></tr>
 *   <tr><td>{@value #THREADING_PROP}</td><td>{@link #threadingMode(ThreadingMode)}</td>
 *       <td>{@code SHARED} (one driver thread)</td></tr>
 *   <tr><td>{@value #TERM_LENGTH_PROP}</td><td>{@link #termBufferLength(int)}</td>
 *       <td>{@value #DEFAULT_TERM_LENGTH} bytes (1 MiB), IPC and UDP</td></tr>
 *   <tr><td>{@value #IDLE_PROP}</td><td>{@link #idleStrategy(Supplier)}</td>
 *       <td>{@code backoff} (see {@link #idleStrategyFor(String)}), pollers and offer retries</td></tr>
 *   <tr><td>{@value #DRIVER_IDLE_PROP}</td><td>{@link #driverIdleStrategy(Supplier)}</td>
 *       <td>{@code backoff}</td></tr>
 *   <tr><td>{@value #OFFER_TIMEOUT_PROP}</td><td>{@link #offerTimeoutNs(long)}</td>
 *       <td>{@value #DEFAULT_OFFER_TIMEOUT_MS} ms</td></tr>
 *   <tr><td>{@value #DRIVER_TIMEOUT_PROP}</td><td>{@link #driverTimeoutMs(long)}</td>
 *       <td>{@value #DEFAULT_DRIVER_TIMEOUT_MS} ms</td></tr>
 * </table>
 *
 * <p>On a 2-core machine keep at most two busy-spinning threads per machine: the defaults back off
 * (spin, then yield, then park up to {@value #BACKOFF_MAX_PARK_NS} ns).
 */
public final class TransportContext {
  /** Aeron directory; unset means a fresh unique one (embedded driver only). */
  public static final String DIR_PROP = "compartment.transport.dir";

  /** {@code true} to start a media driver in this process, {@code false} to use a running one. */
  public static final String EMBEDDED_PROP = "compartment.transport.embedded";

  /** Driver threading mode: {@code SHARED}, {@code SHARED_NETWORK} or {@code DEDICATED}. */
  public static final String THREADING_PROP = "compartment.transport.threading";

  /** Term buffer length in bytes for IPC and UDP publications of an embedded driver. */
  public static final String TERM_LENGTH_PROP = "compartment.transport.term.length";

  /** Idle strategy name for pollers and offer retries: backoff, yielding, busy, sleeping. */
  public static final String IDLE_PROP = "compartment.transport.idle";

  /** Idle strategy name for the embedded driver's threads. */
  public static final String DRIVER_IDLE_PROP = "compartment.transport.driver.idle";

  /** How long an offer retries on back pressure or no connection, in milliseconds. */
  public static final String OFFER_TIMEOUT_PROP = "compartment.transport.offer.timeout.ms";

  /** How long a client waits for the driver to respond before it is considered dead, in ms. */
  public static final String DRIVER_TIMEOUT_PROP = "compartment.transport.driver.timeout.ms";

  /** Default term length: {@value} bytes. */
  public static final int DEFAULT_TERM_LENGTH = 1024 * 1024;

  /** Smallest term length Aeron accepts: {@value} bytes. */
  public static final int MIN_TERM_LENGTH = 64 * 1024;

  /** Largest term length Aeron accepts: {@value} bytes. */
  public static final int MAX_TERM_LENGTH = 1024 * 1024 * 1024;

  /** Default offer timeout: {@value} ms. */
  public static final long DEFAULT_OFFER_TIMEOUT_MS = 5_000;

  /** Default driver timeout: {@value} ms. */
  public static final long DEFAULT_DRIVER_TIMEOUT_MS = 10_000;

  /** Longest park of the default backoff idle strategy: {@value} ns. */
  public static final long BACKOFF_MAX_PARK_NS = 100_000;

  private boolean concluded;
  private String aeronDirectoryName = System.getProperty(DIR_PROP);
  private boolean generatedDirectory;
  private boolean embeddedDriver = Boolean.parseBoolean(System.getProperty(EMBEDDED_PROP, "true"));
  private String threadingModeName = System.getProperty(THREADING_PROP, "SHARED");
  private ThreadingMode threadingMode;
  private String termLengthText = System.getProperty(TERM_LENGTH_PROP);
  private int termBufferLength = DEFAULT_TERM_LENGTH;
  private String idleName = System.getProperty(IDLE_PROP, "backoff");
  private Supplier<IdleStrategy> idleStrategy;
  private String driverIdleName = System.getProperty(DRIVER_IDLE_PROP, "backoff");
  private Supplier<IdleStrategy> driverIdleStrategy;
  private String offerTimeoutText = System.getProperty(OFFER_TIMEOUT_PROP);
  private long offerTimeoutNs = TimeUnit.MILLISECONDS.toNanos(DEFAULT_OFFER_TIMEOUT_MS);
  private String driverTimeoutText = System.getProperty(DRIVER_TIMEOUT_PROP);
  private long driverTimeoutMs = DEFAULT_DRIVER_TIMEOUT_MS;
  private ErrorHandler errorHandler;

  /**
   * Fills derived values and checks the whole configuration. Idempotent.
   *
   * @return this.
   * @throws ConfigurationException naming every invalid setting.
   */
  public TransportContext conclude() {
    if (concluded) {
      return this;
    }
    final List<String> problems = new ArrayList<>();
    if (threadingMode == null) {
      try {
        threadingMode = ThreadingMode.valueOf(threadingModeName.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problems.add(
            THREADING_PROP
                + "='"
                + threadingModeName
                + "' is not one of SHARED, SHARED_NETWORK, DEDICATED");
      }
    }
    if (threadingMode == ThreadingMode.INVOKER) {
      problems.add("threading mode INVOKER is not supported: the transport runs no invoker");
    }
    if (termLengthText != null) {
      try {
        termBufferLength = Integer.parseInt(termLengthText.trim());
      } catch (NumberFormatException e) {
        problems.add(TERM_LENGTH_PROP + "='" + termLengthText + "' is not an integer");
      }
      termLengthText = null;
    }
    if (termBufferLength < MIN_TERM_LENGTH
        || termBufferLength > MAX_TERM_LENGTH
        || Integer.bitCount(termBufferLength) != 1) {
      problems.add(
          "term buffer length "
              + termBufferLength
              + " must be a power of two between "
              + MIN_TERM_LENGTH
              + " and "
              + MAX_TERM_LENGTH
              + " bytes");
    }
    if (offerTimeoutText != null) {
      try {
        offerTimeoutNs = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(offerTimeoutText.trim()));
      } catch (NumberFormatException e) {
        problems.add(OFFER_TIMEOUT_PROP + "='" + offerTimeoutText + "' is not an integer");
      }
      offerTimeoutText = null;
    }
    if (offerTimeoutNs <= 0) {
      problems.add("offer timeout must be > 0 ns: " + offerTimeoutNs);
    }
    if (driverTimeoutText != null) {
      try {
        driverTimeoutMs = Long.parseLong(driverTimeoutText.trim());
      } catch (NumberFormatException e) {
        problems.add(DRIVER_TIMEOUT_PROP + "='" + driverTimeoutText + "' is not an integer");
      }
      driverTimeoutText = null;
    }
    if (driverTimeoutMs <= 0) {
      problems.add("driver timeout must be > 0 ms: " + driverTimeoutMs);
    }
    if (idleStrategy == null) {
      idleStrategy = parseIdle(IDLE_PROP, idleName, problems);
    }
    if (driverIdleStrategy == null) {
      driverIdleStrategy = parseIdle(DRIVER_IDLE_PROP, driverIdleName, problems);
    }
    if (errorHandler == null) {
      errorHandler = TransportContext::printError;
    }
    if (aeronDirectoryName == null || aeronDirectoryName.isBlank()) {
      if (embeddedDriver) {
        aeronDirectoryName = uniqueDirectoryName();
        generatedDirectory = true;
      } else {
        problems.add(
            "embeddedDriver=false needs the directory of a running media driver: set "
                + DIR_PROP
                + " or aeronDirectoryName(...)");
      }
    } else if (embeddedDriver) {
      final File dir = new File(aeronDirectoryName);
      if (new File(dir, CncFileDescriptor.CNC_FILE).isFile()
          && CommonContext.isDriverActive(dir, driverTimeoutMs, message -> {})) {
        problems.add(
            "a media driver is already running at "
                + aeronDirectoryName
                + ": use embeddedDriver=false to share it, or another directory");
      }
    } else {
      final File cnc = new File(aeronDirectoryName, CncFileDescriptor.CNC_FILE);
      if (!cnc.isFile()) {
        problems.add(
            "no media driver at "
                + aeronDirectoryName
                + " ("
                + cnc
                + " does not exist): start the driver first or use embeddedDriver=true");
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(
          "invalid transport configuration: " + String.join("; ", problems));
    }
    concluded = true;
    return this;
  }

  /**
   * Idle strategies by name, each call of the supplier giving a new instance:
   *
   * <ul>
   *   <li>{@code backoff}: 100 spins, 10 yields, then park from 1 µs doubling to {@value
   *       #BACKOFF_MAX_PARK_NS} ns; low CPU when idle, tens of µs wake-up latency at worst;
   *   <li>{@code yielding}: {@code Thread.yield()}; low latency, one core busy while idle unless
   *       other threads want it;
   *   <li>{@code busy}: busy spin; lowest latency, one core per thread, never more such threads
   *       than cores;
   *   <li>{@code sleeping}: sleep 1 ms; for background work only.
   * </ul>
   *
   * @param name one of the names above (case-insensitive).
   * @return the supplier.
   * @throws IllegalArgumentException for another name.
   */
  public static Supplier<IdleStrategy> idleStrategyFor(final String name) {
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "backoff":
        return () -> new BackoffIdleStrategy(100, 10, 1_000, BACKOFF_MAX_PARK_NS);
      case "yielding":
        return YieldingIdleStrategy::new;
      case "busy":
        return BusySpinIdleStrategy::new;
      case "sleeping":
        return () -> new SleepingMillisIdleStrategy(1);
      default:
        throw new IllegalArgumentException(
            "unknown idle strategy '" + name + "': use backoff, yielding, busy or sleeping");
    }
  }

  private static Supplier<IdleStrategy> parseIdle(
      final String property, final String name, final List<String> problems) {
    try {
      return idleStrategyFor(name);
    } catch (IllegalArgumentException e) {
      problems.add(property + ": " + e.getMessage());
      return null;
    }
  }

  private static String uniqueDirectoryName() {
    final File shm = new File("/dev/shm");
    final File base =
        shm.isDirectory() && shm.canWrite() ? shm : new File(System.getProperty("java.io.tmpdir"));
    return new File(
            base,
            "compartment-aeron-"
                + ProcessHandle.current().pid()
                + "-"
                + UUID.randomUUID().toString().substring(0, 8))
        .getAbsolutePath();
  }

  private static void printError(final Throwable t) {
    System.err.println("compartment-transport: " + t);
    t.printStackTrace(System.err);
  }

  private void checkNotConcluded() {
    if (concluded) {
      throw new IllegalStateException("TransportContext already concluded");
    }
  }

  /**
   * @return whether {@link #conclude()} has run successfully.
   */
  public boolean isConcluded() {
    return concluded;
  }

  /**
   * @param dir Aeron directory: where the embedded driver is created (deleted on start and on
   *     close), or where the running driver to connect to lives.
   * @return this.
   */
  public TransportContext aeronDirectoryName(final String dir) {
    checkNotConcluded();
    this.aeronDirectoryName = dir;
    return this;
  }

  /**
   * @return the Aeron directory; after {@link #conclude()} never {@code null}.
   */
  public String aeronDirectoryName() {
    return aeronDirectoryName;
  }

  /**
   * @return whether the directory name was generated by {@link #conclude()}.
   */
  public boolean generatedDirectory() {
    return generatedDirectory;
  }

  /**
   * @param embedded {@code true} (default) to start a media driver in this process; {@code false}
   *     to connect to the driver already running at {@link #aeronDirectoryName()}, as child
   *     processes do to share their parent's driver over IPC.
   * @return this.
   */
  public TransportContext embeddedDriver(final boolean embedded) {
    checkNotConcluded();
    this.embeddedDriver = embedded;
    return this;
  }

  /**
   * @return whether an embedded media driver is started.
   */
  public boolean embeddedDriver() {
    return embeddedDriver;
  }

  /**
   * @param mode driver threading: {@code SHARED} (default, one thread), {@code SHARED_NETWORK}
   *     (conductor + one network thread) or {@code DEDICATED} (three threads; avoid on 2 cores).
   * @return this.
   */
  public TransportContext threadingMode(final ThreadingMode mode) {
    checkNotConcluded();
    this.threadingMode = mode;
    return this;
  }

  /**
   * @return the driver threading mode, after {@link #conclude()}.
   */
  public ThreadingMode threadingMode() {
    return threadingMode;
  }

  /**
   * @param length term buffer length in bytes for IPC and UDP publications of the embedded driver:
   *     a power of two from 64 KiB to 1 GiB; default 1 MiB. Each publication maps three terms; the
   *     longest message is length / 8.
   * @return this.
   */
  public TransportContext termBufferLength(final int length) {
    checkNotConcluded();
    this.termBufferLength = length;
    this.termLengthText = null;
    return this;
  }

  /**
   * @return the term buffer length in bytes.
   */
  public int termBufferLength() {
    return termBufferLength;
  }

  /**
   * @param supplier a new idle strategy per poller thread and per offer retry loop; default {@code
   *     backoff}.
   * @return this.
   */
  public TransportContext idleStrategy(final Supplier<IdleStrategy> supplier) {
    checkNotConcluded();
    this.idleStrategy = supplier;
    return this;
  }

  /**
   * @return the idle strategy supplier for pollers and offer retries.
   */
  public Supplier<IdleStrategy> idleStrategy() {
    return idleStrategy;
  }

  /**
   * @param supplier idle strategies for the embedded driver's threads; default {@code backoff}.
   * @return this.
   */
  public TransportContext driverIdleStrategy(final Supplier<IdleStrategy> supplier) {
    checkNotConcluded();
    this.driverIdleStrategy = supplier;
    return this;
  }

  /**
   * @return the idle strategy supplier for the driver's threads.
   */
  public Supplier<IdleStrategy> driverIdleStrategy() {
    return driverIdleStrategy;
  }

  /**
   * @param timeoutNs how long, in nanoseconds, an offer retries while not connected or back
   *     pressured before it fails; default 5 s.
   * @return this.
   */
  public TransportContext offerTimeoutNs(final long timeoutNs) {
    checkNotConcluded();
    this.offerTimeoutNs = timeoutNs;
    this.offerTimeoutText = null;
    return this;
  }

  /**
   * @return the offer timeout in nanoseconds.
   */
  public long offerTimeoutNs() {
    return offerTimeoutNs;
  }

  /**
   * @param timeoutMs how long, in milliseconds, a client waits for the driver (and the driver for a
   *     client) before declaring it dead; default 10 s.
   * @return this.
   */
  public TransportContext driverTimeoutMs(final long timeoutMs) {
    checkNotConcluded();
    this.driverTimeoutMs = timeoutMs;
    this.driverTimeoutText = null;
    return this;
  }

  /**
   * @return the driver timeout in milliseconds.
   */
  public long driverTimeoutMs() {
    return driverTimeoutMs;
  }

  /**
   * @param handler receives errors of the driver, the client, pollers and message handlers; default
   *     prints to {@code System.err}.
   * @return this.
   */
  public TransportContext errorHandler(final ErrorHandler handler) {
    checkNotConcluded();
    this.errorHandler = handler;
    return this;
  }

  /**
   * @return the error handler, after {@link #conclude()}.
   */
  public ErrorHandler errorHandler() {
    return errorHandler;
  }

  @Override
  public String toString() {
    return "TransportContext{dir="
        + aeronDirectoryName
        + ", embedded="
        + embeddedDriver
        + ", threading="
        + threadingMode
        + ", termLength="
        + termBufferLength
        + ", offerTimeoutNs="
        + offerTimeoutNs
        + ", driverTimeoutMs="
        + driverTimeoutMs
        + '}';
  }
}
