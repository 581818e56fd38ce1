package io.compartment.demo;

import io.compartment.demo.bft.BftDemo;
import io.compartment.demo.kv.KvDemo;
import io.compartment.demo.multipaxos.MultiPaxosDemo;
import io.compartment.demo.twopc.TwoPcDemo;
import io.compartment.demo.voting.VotingDemo;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs one demo: {@code DemoMain <kv|voting|twopc|multipaxos> [--duration SECONDS] [--ops N]
 * [--seed N] [--transport memory|ipc|udp]}.
 *
 * <p>The transport says how the demo is deployed ({@link Deployment}): by default ({@code ipc}, or
 * the system property {@value Deployment#TRANSPORT_PROP}) the clients run in a child JVM and talk
 * to the service over Aeron.
 *
 * <p>The workload issues requests until the duration (default 5 s) or the operation count runs out,
 * whichever comes first; {@code --ops} alone runs until that many operations, however long it
 * takes. The last line printed is {@code DEMO_RESULT name=<name> correct=<true|false> ops=<n>
 * ops_per_s=<n> concurrency=<n> p50_us=<n> p99_us=<n>}: the requests the clients keep outstanding
 * together, and the latencies the clients saw over the whole run; under the agent, the live
 * script's figures follow ({@code monolith_ops_per_s}, {@code compartmentalized_ops_per_s}, {@code
 * pause_ms} and the two windows' {@code p50_us} and {@code p99_us}, {@code -} where not measured).
 * Exit status: 0 when the end-to-end check passed, 1 when it failed, 2 for a bad command line.
 */
public final class DemoMain {

  public static final int EXIT_CORRECT = 0;
  public static final int EXIT_INCORRECT = 1;
  public static final int EXIT_USAGE = 2;

  private static final Map<String, Supplier<Demo>> DEMOS = new LinkedHashMap<>();

  static {
    DEMOS.put("kv", KvDemo::new);
    DEMOS.put("voting", VotingDemo::new);
    DEMOS.put("twopc", TwoPcDemo::new);
    DEMOS.put("multipaxos", MultiPaxosDemo::new);
    DEMOS.put("bft", BftDemo::new);
  }

  private DemoMain() {}

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    System.out.flush();
    System.exit(status);
  }

  /** The names of the demos, in the order they are listed. */
  public static String names() {
    return String.join("|", DEMOS.keySet());
  }

  /** Looks up a demo by name; null if there is none. */
  public static Demo demo(String name) {
    Supplier<Demo> supplier = DEMOS.get(name);
    return supplier == null ? null : supplier.get();
  }

  /** Parses the command line, runs the demo and returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    String usage =
        "usage: DemoMain <"
            + names()
            + "> [--duration SECONDS] [--ops N] [--seed N] [--transport memory|ipc|udp]";
    if (args.length == 0) {
      err.println("error: no demo named; valid demos: " + names() + "; " + usage);
      return EXIT_USAGE;
    }
    Demo demo = demo(args[0]);
    if (demo == null) {
      err.println("error: unknown demo '" + args[0] + "'; valid demos: " + names() + "; " + usage);
      return EXIT_USAGE;
    }
    Double duration = null;
    Long ops = null;
    long seed = DemoOptions.DEFAULT_SEED;
    Deployment.Transport transport;
    try {
      transport = Deployment.transport(Deployment.Transport.IPC);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return EXIT_USAGE;
    }
    for (int i = 1; i < args.length; i++) {
      String option = args[i];
      if (!option.equals("--duration")
          && !option.equals("--ops")
          && !option.equals("--seed")
          && !option.equals("--transport")) {
        err.println(
            "error: unknown option '" + option + "'; valid demos: " + names() + "; " + usage);
        return EXIT_USAGE;
      }
      if (i + 1 >= args.length) {
        err.println(
            "error: option " + option + " needs a value; valid demos: " + names() + "; " + usage);
        return EXIT_USAGE;
      }
      String value = args[++i];
      try {
        switch (option) {
          case "--duration" -> {
            duration = Double.parseDouble(value);
            if (!(duration > 0) || duration.isInfinite()) {
              throw new NumberFormatException();
            }
          }
          case "--ops" -> {
            ops = Long.parseLong(value);
            if (ops <= 0) {
              throw new NumberFormatException();
            }
          }
          case "--transport" -> {
            try {
              transport = Deployment.Transport.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
              throw new NumberFormatException();
            }
          }
          default -> seed = Long.parseLong(value);
        }
      } catch (NumberFormatException e) {
        err.println(
            "error: bad value '"
                + value
                + "' for option "
                + option
                + "; valid demos: "
                + names()
                + "; "
                + usage);
        return EXIT_USAGE;
      }
    }
    DemoOptions options;
    if (duration == null && ops != null) {
      options = DemoOptions.ops(ops, seed);
    } else {
      options =
          new DemoOptions(
              duration == null ? DemoOptions.DEFAULT_DURATION_SECONDS : duration,
              ops == null ? Long.MAX_VALUE : ops,
              seed);
    }
    options = options.withTransport(transport);
    DemoResult result;
    try {
      result = demo.run(options, out);
    } catch (WorkloadRunner.ClientsDone done) {
      out.println(
          "[" + demo.name() + "] clients process done: " + done.acknowledged() + " answers");
      return EXIT_CORRECT;
    }
    for (String violation : result.violations()) {
      out.println("[" + result.name() + "] VIOLATION " + violation);
    }
    out.printf(
        Locale.ROOT,
        "[%s] end-to-end check %s after %.2f s%n",
        result.name(),
        result.correct() ? "passed" : "FAILED",
        result.seconds());
    out.println(result.resultLine());
    out.flush();
    return result.correct() ? EXIT_CORRECT : EXIT_INCORRECT;
  }
}
