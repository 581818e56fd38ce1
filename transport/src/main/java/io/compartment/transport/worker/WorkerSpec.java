package io.compartment.transport.worker;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What to run as one worker: a child JVM with the host's class path (by default), the JVM flags
 * Aeron and Chronicle Map need, optionally the Compartment agent in worker mode, and a log file
 * that receives the worker's stdout and stderr.
 *
 * <p>Fluent setters, then {@link #conclude()} (called by {@link WorkerLauncher} and {@link
 * WorkerSupervisor}) validates and fills defaults. Defaults, each overridable by a system property:
 *
 * <ul>
 *   <li>class path: the host's {@code java.class.path};
 *   <li>JVM flags: the {@value #JVM_FLAGS_PROP_NAME} system property split on whitespace;
 *   <li>fast start ({@code -XX:TieredStopAtLevel=1}): {@value #FAST_START_PROP_NAME}, default
 *       {@value #FAST_START_DEFAULT};
 *   <li>working directory: the host's {@code user.dir};
 *   <li>log file: {@code <log dir>/<id>.log}, log dir from {@value #LOG_DIR_PROP_NAME}, default
 *       {@code <java.io.tmpdir>/compartment-workers};
 *   <li>readiness line: {@code WORKER READY <id>} ({@link #READY_LINE_PREFIX} + id);
 *   <li>java executable: {@code <java.home>/bin/java}.
 * </ul>
 *
 * <p>The launcher always adds {@code -Dcompartment.worker.id=<id>}. Instances are not thread safe;
 * do not change a spec after handing it to a launcher or supervisor.
 */
public final class WorkerSpec {
  /** System property holding the JVM flags for child JVMs, space separated. */
  public static final String JVM_FLAGS_PROP_NAME = "compartment.jvm.flags";

  /** System property: add {@code -XX:TieredStopAtLevel=1} to workers (true or false). */
  public static final String FAST_START_PROP_NAME = "compartment.worker.fast.start";

  /**
   * Default of {@link #FAST_START_PROP_NAME}: on. Measured on a loaded 2-core machine (7 launches
   * each, median time from launch to readiness): a worker that starts an embedded Aeron media
   * driver and a persisted Chronicle Map was ready in 951 ms with C1 only against 1813 ms tiered
   * (with a {@code -javaagent} as well: 1355 ms against 1901 ms); a trivial worker 99 ms against
   * 112 ms. The price is steady-state speed: Chronicle Map put+get ran at about 0.7-1.2 M ops/s
   * with C1 only against 1.5-1.7 M ops/s tiered. Set {@value #FAST_START_PROP_NAME}{@code =false}
   * (or {@link #fastStart(boolean)}) for throughput measurements of long-running workers.
   */
  public static final boolean FAST_START_DEFAULT = true;

  /** The flag that {@link #fastStart(boolean)} adds. */
  public static final String FAST_START_FLAG = "-XX:TieredStopAtLevel=1";

  /** System property: folder for worker log files. */
  public static final String LOG_DIR_PROP_NAME = "compartment.worker.log.dir";

  /** System property the launcher sets in every worker to its id. */
  public static final String WORKER_ID_PROP_NAME = "compartment.worker.id";

  /** Prefix of the default readiness line; the worker id follows it. */
  public static final String READY_LINE_PREFIX = "WORKER READY ";

  /** Number of log lines kept for error messages unless {@link #logTailLines(int)} says. */
  public static final int LOG_TAIL_LINES_DEFAULT = 20;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final Pattern JAVA_NAME =
      Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");

  private final String id;
  private final String mainClass;
  private final List<String> arguments = new ArrayList<>();
  private String classPath;
  private List<String> jvmFlags;
  private Boolean fastStart;
  private Path cdsArchive;
  private String javaAgent;
  private final Map<String, String> systemProperties = new LinkedHashMap<>();
  private final Map<String, String> environment = new LinkedHashMap<>();
  private Path workingDirectory;
  private Path logFile;
  private String readyLine;
  private int logTailLines = LOG_TAIL_LINES_DEFAULT;
  private Path javaExecutable;
  private boolean concluded;

  /**
   * @param id worker id, used in messages, the readiness line and the default log file name
   *     (letters, digits, '.', '_', '-'; at most 100 characters), e.g. {@code kv-p2}
   * @param mainClass fully qualified main class of the worker
   */
  public WorkerSpec(String id, String mainClass) {
    this.id = Objects.requireNonNull(id, "id");
    this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
  }

  /**
   * Validates the spec and fills defaults; idempotent.
   *
   * @return this
   * @throws IllegalArgumentException naming the offending setting
   */
  public WorkerSpec conclude() {
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "worker id must be 1-100 letters, digits, '.', '_' or '-' and start with a letter or"
              + " digit: '"
              + id
              + "'");
    }
    if (!JAVA_NAME.matcher(mainClass).matches()) {
      throw new IllegalArgumentException(
          "worker " + id + ": main class is not a Java class name: '" + mainClass + "'");
    }
    if (classPath == null) {
      classPath = System.getProperty("java.class.path", "");
    }
    if (jvmFlags == null) {
      jvmFlags = splitFlags(System.getProperty(JVM_FLAGS_PROP_NAME, ""));
    }
    if (fastStart == null) {
      String v = System.getProperty(FAST_START_PROP_NAME);
      fastStart = v == null ? FAST_START_DEFAULT : Boolean.parseBoolean(v.trim());
    }
    if (workingDirectory == null) {
      workingDirectory = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
    }
    if (logFile == null) {
      logFile = defaultLogDir().resolve(id + ".log");
    }
    if (readyLine == null) {
      readyLine = READY_LINE_PREFIX + id;
    }
    if (readyLine.isBlank() || readyLine.indexOf('\n') >= 0 || readyLine.indexOf('\r') >= 0) {
      throw new IllegalArgumentException(
          "worker " + id + ": readiness line must be one non-blank line");
    }
    if (logTailLines < 1 || logTailLines > 10_000) {
      throw new IllegalArgumentException(
          "worker " + id + ": logTailLines must be in 1..10000: " + logTailLines);
    }
    if (javaExecutable == null) {
      javaExecutable = Paths.get(System.getProperty("java.home"), "bin", "java");
    }
    for (String key : systemProperties.keySet()) {
      if (key.isEmpty() || key.indexOf('=') >= 0 || key.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(
            "worker " + id + ": bad system property name '" + key + "'");
      }
    }
    for (String flag : jvmFlags) {
      if (flag.isEmpty()) {
        throw new IllegalArgumentException("worker " + id + ": empty JVM flag");
      }
    }
    concluded = true;
    return this;
  }

  /**
   * The command line that starts this worker (after {@link #conclude()}).
   *
   * @return java executable, JVM flags, fast-start flag, agent, system properties, class path, main
   *     class and arguments, in that order
   */
  public List<String> command() {
    if (!concluded) {
      conclude();
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(javaExecutable.toString());
    cmd.addAll(jvmFlags);
    if (fastStart && !jvmFlags.contains(FAST_START_FLAG)) {
      cmd.add(FAST_START_FLAG);
    }
    if (cdsArchive != null
        && jvmFlags.stream()
            .noneMatch(
                f ->
                    f.startsWith("-Xshare")
                        || f.startsWith("-XX:SharedArchiveFile")
                        || f.startsWith("-XX:ArchiveClassesAtExit"))) {
      cmd.addAll(WorkerCds.flags(cdsArchive)); // decided at each launch: use it, or write it
    }
    if (javaAgent != null) {
      cmd.add(javaAgent);
    }
    cmd.add("-D" + WORKER_ID_PROP_NAME + "=" + id);
    systemProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    if (!classPath.isEmpty()) {
      cmd.add("-cp");
      cmd.add(classPath);
    }
    cmd.add(mainClass);
    cmd.addAll(arguments);
    return cmd;
  }

  /**
   * @param archive a dynamic CDS archive ({@link WorkerCds}) that each launch uses when it is there
   *     and writes at exit when it is not; null (default) for none. Ignored when the JVM flags name
   *     an archive or {@code -Xshare} themselves.
   * @return this
   */
  public WorkerSpec cdsArchive(Path archive) {
    this.cdsArchive = archive;
    return this;
  }

  /** Splits a flag string on whitespace, dropping empty parts. */
  static List<String> splitFlags(String flags) {
    List<String> out = new ArrayList<>();
    for (String part : flags.trim().split("\\s+")) {
      if (!part.isEmpty()) {
        out.add(part);
      }
    }
    return out;
  }

  static Path defaultLogDir() {
    String dir = System.getProperty(LOG_DIR_PROP_NAME);
    return dir != null && !dir.isBlank()
        ? Paths.get(dir)
        : Paths.get(System.getProperty("java.io.tmpdir"), "compartment-workers");
  }

  /**
   * @return the worker id
   */
  public String id() {
    return id;
  }

  /**
   * @return the main class
   */
  public String mainClass() {
    return mainClass;
  }

  /**
   * @param args arguments passed to the worker's main method, appended
   * @return this
   */
  public WorkerSpec arguments(String... args) {
    Collections.addAll(arguments, args);
    return this;
  }

  /**
   * @param args arguments passed to the worker's main method, appended
   * @return this
   */
  public WorkerSpec arguments(List<String> args) {
    arguments.addAll(args);
    return this;
  }

  /**
   * @return the arguments passed to the worker's main method
   */
  public List<String> arguments() {
    return Collections.unmodifiableList(arguments);
  }

  /**
   * @param classPath class path of the worker JVM; default the host's {@code java.class.path}
   * @return this
   */
  public WorkerSpec classPath(String classPath) {
    this.classPath = Objects.requireNonNull(classPath, "classPath");
    return this;
  }

  /**
   * @return the class path, or null before {@link #conclude()} when not set
   */
  public String classPath() {
    return classPath;
  }

  /**
   * Replaces the JVM flags (default: the {@value #JVM_FLAGS_PROP_NAME} system property split on
   * whitespace).
   *
   * @param flags flags such as {@code --add-opens ...} or {@code -Xmx256m}
   * @return this
   */
  public WorkerSpec jvmFlags(List<String> flags) {
    this.jvmFlags = new ArrayList<>(flags);
    return this;
  }

  /**
   * Adds JVM flags to the defaults (or to those already set).
   *
   * @param flags flags to append
   * @return this
   */
  public WorkerSpec addJvmFlags(String... flags) {
    if (jvmFlags == null) {
      jvmFlags = splitFlags(System.getProperty(JVM_FLAGS_PROP_NAME, ""));
    }
    Collections.addAll(jvmFlags, flags);
    return this;
  }

  /**
   * @return the JVM flags, or null before {@link #conclude()} when not set
   */
  public List<String> jvmFlags() {
    return jvmFlags == null ? null : Collections.unmodifiableList(jvmFlags);
  }

  /**
   * @param fastStart whether to add {@value #FAST_START_FLAG} (C1 only: faster warm-up, lower peak
   *     throughput); default from {@value #FAST_START_PROP_NAME}, else {@value #FAST_START_DEFAULT}
   * @return this
   */
  public WorkerSpec fastStart(boolean fastStart) {
    this.fastStart = fastStart;
    return this;
  }

  /**
   * @return whether {@value #FAST_START_FLAG} is added (after {@link #conclude()})
   */
  public boolean fastStart() {
    return Boolean.TRUE.equals(fastStart);
  }

  /**
   * Attaches a Java agent to the worker: {@code -javaagent:JAR[=OPTIONS]}. The Compartment agent in
   * worker mode takes options such as {@code mode=worker,...}; they are passed as given.
   *
   * @param jar agent jar
   * @param options agent options, or null or empty for none
   * @return this
   */
  public WorkerSpec javaAgent(Path jar, String options) {
    Objects.requireNonNull(jar, "jar");
    this.javaAgent =
        "-javaagent:"
            + jar.toAbsolutePath()
            + (options == null || options.isEmpty() ? "" : "=" + options);
    return this;
  }

  /**
   * @return the {@code -javaagent:} flag, or null for none
   */
  public String javaAgent() {
    return javaAgent;
  }

  /**
   * @param name system property set in the worker with {@code -Dname=value}
   * @param value its value
   * @return this
   */
  public WorkerSpec systemProperty(String name, String value) {
    systemProperties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value));
    return this;
  }

  /**
   * @return extra system properties, in insertion order
   */
  public Map<String, String> systemProperties() {
    return Collections.unmodifiableMap(systemProperties);
  }

  /**
   * @param name environment variable added to (or replacing one in) the host's environment
   * @param value its value
   * @return this
   */
  public WorkerSpec environment(String name, String value) {
    environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value));
    return this;
  }

  /**
   * @return extra environment variables
   */
  public Map<String, String> environment() {
    return Collections.unmodifiableMap(environment);
  }

  /**
   * @param dir working directory of the worker; default the host's {@code user.dir}
   * @return this
   */
  public WorkerSpec workingDirectory(Path dir) {
    this.workingDirectory = Objects.requireNonNull(dir, "dir").toAbsolutePath();
    return this;
  }

  /**
   * @return the working directory (after {@link #conclude()})
   */
  public Path workingDirectory() {
    return workingDirectory;
  }

  /**
   * @param file file that receives the worker's stdout and stderr, appended across restarts (each
   *     launch writes a header line first); default {@code <log dir>/<id>.log}
   * @return this
   */
  public WorkerSpec logFile(Path file) {
    this.logFile = Objects.requireNonNull(file, "file").toAbsolutePath();
    return this;
  }

  /**
   * @return the log file (after {@link #conclude()})
   */
  public Path logFile() {
    return logFile;
  }

  /**
   * @param line the exact line (surrounding whitespace ignored) the worker prints on stdout or
   *     stderr once ready; default {@code WORKER READY <id>}
   * @return this
   */
  public WorkerSpec readyLine(String line) {
    this.readyLine = Objects.requireNonNull(line, "line");
    return this;
  }

  /**
   * @return the readiness line (after {@link #conclude()})
   */
  public String readyLine() {
    return readyLine;
  }

  /**
   * @param lines how many of the last log lines go into error messages; default {@value
   *     #LOG_TAIL_LINES_DEFAULT}
   * @return this
   */
  public WorkerSpec logTailLines(int lines) {
    this.logTailLines = lines;
    return this;
  }

  /**
   * @return how many of the last log lines go into error messages
   */
  public int logTailLines() {
    return logTailLines;
  }

  /**
   * @param java the java executable; default {@code <java.home>/bin/java}
   * @return this
   */
  public WorkerSpec javaExecutable(Path java) {
    this.javaExecutable = Objects.requireNonNull(java, "java");
    return this;
  }

  /**
   * @return the java executable (after {@link #conclude()})
   */
  public Path javaExecutable() {
    return javaExecutable;
  }

  @Override
  public String toString() {
    return "WorkerSpec{id=" + id + ", mainClass=" + mainClass + ", arguments=" + arguments + "}";
  }
}
