package io.compartment.analyzer.cli;

import io.compartment.analyzer.classify.Classifier;
import io.compartment.analyzer.report.Report;
import io.compartment.analyzer.report.ReportTable;
import io.compartment.analyzer.statics.StaticAnalyzer;
import io.compartment.analyzer.trace.HandlerTrace;
import io.compartment.analyzer.trace.ServiceTrace;
import io.compartment.analyzer.trace.Trace;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code ./compartment} command line: {@code analyze}, {@code demo}, {@code status}, {@code
 * enable}, {@code disable}, {@code bench}. Exit codes: 0 ok, 1 the work failed, 2 a usage or input
 * error.
 */
public final class CompartmentCli {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  static final String USAGE_TEXT =
      String.join(
          "\n",
          "usage: compartment <verb> [options]",
          "",
          "Compartment watches a Java protocol service run, infers which message handlers can be",
          "partitioned, replicated or decoupled, and shows that inference with its evidence.",
          "",
          "verbs:",
          "  analyze FILE [--out REPORT.json] [--json] [--classpath CP]",
          "                 classify a trace (compartment.trace/1) into a report, or show a report",
          "                 (compartment.report/1) as tables",
          "  demo NAME [--duration SECONDS] [--partitions N] [--transport T] [--report FILE]",
          "                 run demo NAME (kv, voting, twopc, multipaxos, ...) under the agent and show",
          "                 its report",
          "  status [--pid PID]",
          "  enable COMPARTMENT (--partitions N | --replicas N) [--confirm] [--pid PID]",
          "  disable COMPARTMENT [--pid PID]",
          "                 talk to a running agent's control endpoint",
          "  bench          benchmarks",
          "",
          "Run 'compartment <verb> --help' for a verb's options.");

  static final String ANALYZE_HELP =
      String.join(
          "\n",
          "usage: compartment analyze FILE [--out REPORT.json] [--json] [--classpath CP]",
          "",
          "FILE is a trace written by the agent (schema compartment.trace/1, REPORT.trace.json beside",
          "the report) or a report (schema compartment.report/1). A trace is classified; a report is",
          "shown as it is.",
          "",
          "  --out FILE        also write the report JSON to FILE",
          "  --json            print the report JSON instead of the tables",
          "  --classpath CP    for a trace, run the static pass on handlers that have no static facts,",
          "                    reading their classes from CP (jars and folders, '"
              + File.pathSeparator
              + "'-separated)",
          "",
          "Exit status: 0 ok, 2 the file is missing or malformed (file:line:col: problem).");

  static final String DEMO_HELP =
      String.join(
          "\n",
          "usage: compartment demo NAME [--duration SECONDS] [--partitions N] [--transport T]",
          "                              [--report FILE]",
          "",
          "Runs io.compartment.demo.DemoMain NAME under the agent (trace mode), streams its output,",
          "then prints the report table. The last line is",
          "  DEMO name=<name> correct=<true|false> monolith_ops_per_s=<n> compartmentalized_ops_per_s=<n> pause_ms=<n>",
          "with '-' for figures not measured.",
          "",
          "  --duration SECONDS  how long the demo drives load (passed to the demo)",
          "  --partitions N      partitions (or replicas) per compartment enabled under load",
          "                      (default 2)",
          "  --transport T       ipc (default): the demo's clients run in a second JVM and talk",
          "                      to the service over Aeron IPC; udp: the same over Aeron UDP on",
          "                      127.0.0.1; memory: every node in one JVM, in-memory messages",
          "  --report FILE       where the agent writes the report (default compartment-report-NAME.json)",
          "",
          "Needs the system properties compartment.agent.jar and compartment.demo.jar (the launcher",
          "script sets them); compartment.jvm.flags adds JVM flags to the demo's command line.",
          "Exit status: 0 the demo ran and was correct, 1 it failed, 2 usage error.");

  private final PrintStream out;
  private final PrintStream err;

  CompartmentCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    PrintStream out =
        new PrintStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.exit(run(args, out, System.err));
  }

  /** Runs one command line; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    CompartmentCli cli = new CompartmentCli(out, err);
    try {
      return cli.dispatch(List.of(args));
    } catch (UsageException e) {
      err.println("compartment" + (e.verb == null ? "" : " " + e.verb) + ": " + e.getMessage());
      err.println(
          "Run 'compartment " + (e.verb == null ? "" : e.verb + " ") + "--help' for usage.");
      return USAGE;
    }
  }

  private static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;
    final String verb;

    UsageException(String verb, String message) {
      super(message);
      this.verb = verb;
    }
  }

  private int dispatch(List<String> args) throws UsageException {
    if (args.isEmpty()) {
      err.println(USAGE_TEXT);
      return USAGE;
    }
    String verb = args.get(0);
    List<String> rest = args.subList(1, args.size());
    switch (verb) {
      case "--help", "-h", "help":
        out.println(USAGE_TEXT);
        return OK;
      case "analyze":
        return analyze(rest);
      case "demo":
        return demo(rest);
      case "status", "enable", "disable":
        if (wantsHelp(rest)) {
          out.println(LiveControl.HELP);
          return OK;
        }
        return live(verb, rest);
      case "bench":
        if (wantsHelp(rest)) {
          out.println("usage: compartment bench [all] [--quick]: see README");
          return OK;
        }
        err.println("compartment bench: see README");
        return USAGE;
      default:
        throw new UsageException(
            null,
            "unknown verb '"
                + verb
                + "' (expected analyze, demo, status, "
                + "enable, disable or bench)");
    }
  }

  private int live(String verb, List<String> args) throws UsageException {
    Long pid = null;
    String compartment = null;
    String countName = null;
    Long count = null;
    boolean confirm = false;
    boolean profiled = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--pid" -> pid = number(verb, a, args, ++i);
        case "--profiled" -> {
          if (!verb.equals("enable")) throw new UsageException(verb, a + " goes with enable");
          profiled = true;
        }
        case "--confirm" -> {
          if (!verb.equals("enable")) throw new UsageException(verb, a + " goes with enable");
          confirm = true;
        }
        case "--partitions", "--replicas" -> {
          if (!verb.equals("enable")) throw new UsageException(verb, a + " goes with enable");
          if (countName != null) {
            throw new UsageException(verb, "give one of --partitions and --replicas");
          }
          countName = a.substring(2);
          count = number(verb, a, args, ++i);
        }
        default -> {
          if (a.startsWith("-") || compartment != null || verb.equals("status")) {
            throw new UsageException(verb, "unexpected argument '" + a + "'");
          }
          compartment = a;
        }
      }
    }
    if (profiled && compartment != null) {
      throw new UsageException(
          verb, "--profiled chooses the compartments itself: give no compartment name");
    }
    if (!verb.equals("status") && compartment == null && !profiled) {
      throw new UsageException(
          verb,
          "name the compartment (e.g. Acceptor#1; see 'status')"
              + (verb.equals("enable") ? ", or give --profiled" : ""));
    }
    if (verb.equals("enable") && countName == null) {
      throw new UsageException(verb, "give --partitions N or --replicas N");
    }
    return new LiveControl(out, err)
        .run(profiled ? "enable-profiled" : verb, compartment, pid, countName, count, confirm);
  }

  private static Long number(String verb, String option, List<String> args, int i)
      throws UsageException {
    if (i >= args.size()) throw new UsageException(verb, option + " needs a number");
    try {
      return Long.parseLong(args.get(i));
    } catch (NumberFormatException e) {
      throw new UsageException(verb, option + " needs a number, got '" + args.get(i) + "'");
    }
  }

  private static String traceName(Path report) {
    String n = report.getFileName().toString();
    return (n.endsWith(".json") ? n.substring(0, n.length() - 5) : n) + ".trace.json";
  }

  private static boolean wantsHelp(List<String> args) {
    return args.contains("--help") || args.contains("-h");
  }

  /** Parsed options of one verb: positional arguments and --name value pairs. */
  private record Options(List<String> positional, Map<String, String> named) {}

  private static Options parse(
      String verb, List<String> args, List<String> withValue, List<String> flags)
      throws UsageException {
    List<String> positional = new ArrayList<>();
    Map<String, String> named = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("--")) {
        String name = a;
        String value = null;
        int eq = a.indexOf('=');
        if (eq > 0) {
          name = a.substring(0, eq);
          value = a.substring(eq + 1);
        }
        if (flags.contains(name)) {
          if (value != null) throw new UsageException(verb, name + " takes no value");
          named.put(name, "true");
        } else if (withValue.contains(name)) {
          if (value == null) {
            if (i + 1 >= args.size()) throw new UsageException(verb, name + " needs a value");
            value = args.get(++i);
          }
          named.put(name, value);
        } else {
          throw new UsageException(verb, "unknown option " + name);
        }
      } else {
        positional.add(a);
      }
    }
    return new Options(positional, named);
  }

  // ---- analyze

  private int analyze(List<String> args) throws UsageException {
    if (wantsHelp(args)) {
      out.println(ANALYZE_HELP);
      return OK;
    }
    Options o = parse("analyze", args, List.of("--out", "--classpath"), List.of("--json"));
    if (o.positional.size() != 1) {
      throw new UsageException(
          "analyze",
          o.positional.isEmpty()
              ? "missing FILE (a trace or a report)"
              : "expected one FILE, got " + o.positional.size());
    }
    Path file = Paths.get(o.positional.get(0));
    Documents.Loaded loaded;
    try {
      loaded = Documents.load(file);
    } catch (Documents.BadDocument e) {
      err.println("compartment analyze: " + e.getMessage());
      return USAGE;
    }
    Report report = loaded.report();
    if (loaded.trace() != null && o.named.containsKey("--classpath")) {
      int filled = fillStaticFacts(loaded.trace(), o.named.get("--classpath"));
      if (filled > 0) report = Classifier.classify(loaded.trace());
    }
    if (o.named.containsKey("--out")) {
      Path target = Paths.get(o.named.get("--out"));
      try {
        report.write(target);
      } catch (IOException e) {
        err.println("compartment analyze: cannot write " + target + ": " + e.getMessage());
        return FAILED;
      }
    }
    out.print(o.named.containsKey("--json") ? report.toJsonText() : ReportTable.render(report));
    if (o.named.containsKey("--out") && !o.named.containsKey("--json")) {
      out.println();
      out.println("report written to " + o.named.get("--out"));
    }
    out.flush();
    return OK;
  }

  /** Runs the static pass for handlers without static facts; returns how many it filled. */
  private int fillStaticFacts(Trace trace, String classpath) {
    List<URL> urls = new ArrayList<>();
    for (String part : classpath.split(File.pathSeparator)) {
      if (part.isBlank()) continue;
      try {
        urls.add(Paths.get(part).toUri().toURL());
      } catch (MalformedURLException e) {
        err.println(
            "compartment analyze: ignoring class path entry " + part + ": " + e.getMessage());
      }
    }
    int filled = 0;
    try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), null)) {
      for (ServiceTrace s : trace.services().values()) {
        StaticAnalyzer analyzer =
            new StaticAnalyzer(
                StaticAnalyzer.classLoaderBytes(loader), s.service(), s.state(), List.of());
        for (HandlerTrace h : s.handlers().values()) {
          if (h.staticFacts() != null || h.descriptor().isEmpty()) continue;
          String owner = h.owner().isEmpty() ? s.service() : h.owner();
          h.staticFacts(analyzer.analyze(owner, h.method(), h.descriptor()));
          filled++;
        }
      }
    } catch (IOException e) {
      err.println("compartment analyze: " + e.getMessage());
    }
    return filled;
  }

  // ---- demo

  private int demo(List<String> args) throws UsageException {
    if (wantsHelp(args)) {
      out.println(DEMO_HELP);
      return OK;
    }
    Options o =
        parse(
            "demo",
            args,
            List.of("--duration", "--partitions", "--transport", "--report"),
            List.of());
    if (o.positional.size() != 1) {
      throw new UsageException(
          "demo",
          o.positional.isEmpty()
              ? "missing NAME (kv, voting, twopc, multipaxos, ...)"
              : "expected one NAME, got " + o.positional);
    }
    String name = o.positional.get(0);
    if (!name.matches("[A-Za-z0-9_.-]+"))
      throw new UsageException("demo", "bad demo name '" + name + "'");
    String duration = o.named.get("--duration");
    if (duration != null && !isPositiveNumber(duration)) {
      throw new UsageException(
          "demo", "--duration needs a positive number of seconds, got '" + duration + "'");
    }
    String partitions = o.named.get("--partitions");
    if (partitions != null && !partitions.matches("[1-9][0-9]{0,4}")) {
      throw new UsageException(
          "demo", "--partitions needs a positive whole number, got '" + partitions + "'");
    }
    String transport = o.named.get("--transport");
    if (transport != null && !List.of("ipc", "udp", "memory").contains(transport)) {
      throw new UsageException(
          "demo", "--transport is one of ipc, udp, memory, got '" + transport + "'");
    }
    Path report =
        Paths.get(o.named.getOrDefault("--report", "compartment-report-" + name + ".json"))
            .toAbsolutePath();

    String agentJar = System.getProperty("compartment.agent.jar");
    String demoJar = System.getProperty("compartment.demo.jar");
    List<String> problems = new ArrayList<>();
    if (agentJar == null || agentJar.isBlank()) {
      problems.add(
          "system property compartment.agent.jar is not set (the launcher script sets it)");
    } else if (!Files.isRegularFile(Paths.get(agentJar))) {
      problems.add(
          "agent jar not found: " + agentJar + " (build it with: mvn -q package -DskipTests)");
    }
    if (demoJar == null || demoJar.isBlank()) {
      problems.add("system property compartment.demo.jar is not set (the launcher script sets it)");
    } else if (!Files.exists(Paths.get(demoJar))) {
      problems.add(
          "demo jar not found: " + demoJar + " (build it with: mvn -q package -DskipTests)");
    }
    if (!problems.isEmpty()) {
      for (String p : problems) err.println("compartment demo: " + p);
      out.println(demoLine(name, false, "-"));
      return FAILED;
    }

    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-javaagent:" + agentJar + "=report=" + report);
    String flags = System.getProperty("compartment.jvm.flags", "").trim();
    if (!flags.isEmpty()) cmd.addAll(List.of(flags.split("\\s+")));
    if (partitions != null) cmd.add("-Dcompartment.demo.partitions=" + partitions);
    cmd.add("-cp");
    cmd.add(demoJar);
    cmd.add("io.compartment.demo.DemoMain");
    cmd.add(name);
    if (duration != null) {
      cmd.add("--duration");
      cmd.add(duration);
    }
    if (transport != null) {
      cmd.add("--transport");
      cmd.add(transport);
    }

    try {
      Files.deleteIfExists(report);
    } catch (IOException e) {
      err.println("compartment demo: cannot replace old report " + report + ": " + e.getMessage());
      out.println(demoLine(name, false, "-"));
      return FAILED;
    }
    out.println("running demo " + name + " under the agent (report: " + report + ")");
    out.flush();
    Map<String, String> result = null;
    int exit;
    Process child = null;
    try {
      child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      final Process p = child;
      Thread killer =
          new Thread(
              () -> {
                if (p.isAlive()) p.destroyForcibly();
              },
              "compartment-demo-cleanup");
      Runtime.getRuntime().addShutdownHook(killer);
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          out.println("  | " + line);
          if (line.startsWith("DEMO_RESULT ")) result = keyValues(line);
        }
      }
      long limit = duration == null ? 1800 : (long) (Double.parseDouble(duration) * 3) + 300;
      if (!child.waitFor(limit, TimeUnit.SECONDS)) {
        child.destroyForcibly();
        err.println("compartment demo: the demo did not exit; stopped it");
        out.println(demoLine(name, false, opsOf(result)));
        return FAILED;
      }
      exit = child.exitValue();
      try {
        Runtime.getRuntime().removeShutdownHook(killer);
      } catch (IllegalStateException ignored) {
        // shutting down already
      }
    } catch (IOException e) {
      err.println("compartment demo: cannot start the demo: " + e.getMessage());
      out.println(demoLine(name, false, "-"));
      return FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (child != null) child.destroyForcibly();
      err.println("compartment demo: interrupted");
      out.println(demoLine(name, false, "-"));
      return FAILED;
    }

    boolean ok = true;
    out.println();
    if (exit == USAGE && result == null) {
      // the demo refused its command line (an unknown name, a bad option): it said why above
      err.println("compartment demo: demo " + name + " did not start (see its message above)");
      try {
        Files.deleteIfExists(report);
        Files.deleteIfExists(report.resolveSibling(traceName(report)));
      } catch (java.io.IOException ignored) {
        // an empty report left behind is harmless
      }
      return USAGE;
    }
    if (exit != 0) {
      ok = false;
      err.println("compartment demo: demo " + name + " failed: it exited with status " + exit);
    }
    if (result == null) {
      ok = false;
      err.println("compartment demo: demo " + name + " printed no DEMO_RESULT line");
    } else if (!"true".equals(result.get("correct"))) {
      ok = false;
      err.println("compartment demo: demo " + name + " reports correct=" + result.get("correct"));
    }
    if (!Files.isRegularFile(report)) {
      ok = false;
      err.println("compartment demo: no report at " + report + ": the agent did not write one");
    } else {
      try {
        out.print(ReportTable.render(Documents.load(report).report()));
        out.println();
        out.println("report written to " + report);
      } catch (Documents.BadDocument e) {
        ok = false;
        err.println("compartment demo: the agent's report is unreadable: " + e.getMessage());
      }
    }
    boolean correct = ok && result != null && "true".equals(result.get("correct"));
    out.println(
        demoLine(
            name,
            correct,
            result != null && result.containsKey("monolith_ops_per_s")
                ? result.get("monolith_ops_per_s")
                : opsOf(result),
            result == null ? "-" : result.getOrDefault("compartmentalized_ops_per_s", "-"),
            result == null ? "-" : result.getOrDefault("pause_ms", "-")));
    out.flush();
    return ok ? OK : FAILED;
  }

  private static boolean isPositiveNumber(String s) {
    try {
      double d = Double.parseDouble(s);
      return d > 0 && !Double.isInfinite(d) && !Double.isNaN(d);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String opsOf(Map<String, String> result) {
    if (result == null) return "-";
    String v = result.get("ops_per_s");
    return v == null || v.isBlank() ? "-" : v;
  }

  static String demoLine(String name, boolean correct, String monolithOps) {
    return demoLine(name, correct, monolithOps, "-", "-");
  }

  static String demoLine(
      String name, boolean correct, String monolithOps, String routedOps, String pauseMs) {
    return "DEMO name="
        + name
        + " correct="
        + correct
        + " monolith_ops_per_s="
        + monolithOps
        + " compartmentalized_ops_per_s="
        + routedOps
        + " pause_ms="
        + pauseMs;
  }

  /** {@code KEY k=v k=v} -> map of k to v. */
  static Map<String, String> keyValues(String line) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String token : line.trim().split("\\s+")) {
      int eq = token.indexOf('=');
      if (eq > 0) m.put(token.substring(0, eq), token.substring(eq + 1));
    }
    return m;
  }
}
