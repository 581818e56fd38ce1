package io.compartment.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Code the agent has never seen: shapes real protocol code has (inherited and generic handlers,
 * default methods, nested and anonymous classes, many kinds of state, exceptions, recursion,
 * threads, custom class loaders, pre-Java-11 class files, huge methods, hostile messages). The
 * application must run to the same results with and without the agent, the agent must log no error
 * it was not meant to, and no verdict may be less safe than the truth.
 */
class AdversarialIT {
  private static final String PKG = "io.compartment.scenarios.adversarial.";
  private static final Set<String> UNSAFE_FOR_SEQUENTIAL =
      Set.of("STATELESS", "PARTITIONABLE", "MONOTONIC");

  @TempDir static Path dir;
  private static AgentRun traced;
  private static String plain;
  private static AgentRun loadedTraced;
  private static String loadedPlain;

  @BeforeAll
  static void run() throws Exception {
    Path a = Files.createDirectories(dir.resolve("a"));
    traced = AgentRun.run(a, "", PKG + "AdversarialMain", "2000");
    plain = runPlain(PKG + "AdversarialMain", "2000");

    Path legacy = compile("legacy", List.of("--release", "8"), legacySources());
    Path big = compile("big", List.of(), Map.of("big/BigMethod.java", bigMethodSource()));
    String[] loadedArgs = {
      "300", legacy + "=legacy.Legacy8", big + "=big.BigMethod", legacy + "=legacy.Legacy8",
    };
    Path b = Files.createDirectories(dir.resolve("b"));
    loadedTraced = AgentRun.run(b, "", PKG + "LoadedMain", loadedArgs);
    loadedPlain = runPlain(PKG + "LoadedMain", loadedArgs);
  }

  // ------------------------------------------------------------------ the host is unharmed

  @Test
  void hostRunsToTheSameResultsWithAndWithoutTheAgent() {
    assertThat(traced.exitCode).as(traced.output).isZero();
    assertThat(traced.output).contains("ADVERSARIAL DONE");
    assertThat(plain).contains("ADVERSARIAL DONE");
    assertThat(checksum(traced.output)).as(traced.output).isEqualTo(checksum(plain));
    assertThat(line(traced.output, "EXCEPTIONS")).isEqualTo(line(plain, "EXCEPTIONS"));
  }

  @Test
  void agentLogsNoErrorOnCodeItHasNeverSeen() {
    assertThat(traced.output).doesNotContain("[compartment] ERROR");
  }

  @Test
  void loadedServicesRunToTheSameResults() {
    assertThat(loadedTraced.exitCode).as(loadedTraced.output).isZero();
    assertThat(loadedTraced.output).contains("LOADED DONE");
    assertThat(loadedPlain).contains("LOADED DONE");
    assertThat(checksum(loadedTraced.output))
        .as(loadedTraced.output)
        .isEqualTo(checksum(loadedPlain));
  }

  @Test
  void aMethodTooLargeToRewriteRunsUnchangedWithOneClearLineAndItsCallersAreSequential()
      throws Exception {
    assertThat(loadedTraced.output).doesNotContain("[compartment] ERROR");
    List<String> lines =
        loadedTraced.output.lines().filter(l -> l.contains("too large to instrument")).toList();
    assertThat(lines).as(loadedTraced.output).hasSize(2);
    assertThat(lines).anyMatch(l -> l.contains("huge(I)J")).anyMatch(l -> l.contains("helper(I)J"));
    assertThat(loadedTraced.service("big.BigMethod").get("warnings").toString())
        .contains("too large");
    // the huge handler and the handler calling a huge helper: their accesses cannot be seen
    for (String h : List.of("huge", "viaHelper")) {
      Map<String, Object> handler = loadedTraced.handler("big.BigMethod", h);
      assertThat(handler.get("class")).as(h).isEqualTo("SEQUENTIAL");
      assertThat(handler.get("invocations")).isEqualTo(300L);
    }
    // the rest of the class is traced as usual
    Map<String, Object> small = loadedTraced.handler("big.BigMethod", "small");
    assertThat(small.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(small.get("partitionKey")).isEqualTo("arg0");
  }

  // ------------------------------------------------------------------ classifications

  @Test
  void handlerInheritedFromAnAbstractBaseInAnotherPackageIsPartitionedByItsKey() throws Exception {
    Map<String, Object> h = traced.handler(PKG + "base.AbstractReplica", "onAccept");
    assertThat(h.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(h.get("partitionKey")).isEqualTo("arg0.slot");
    assertThat(h.get("invocations")).isEqualTo(2000L);
  }

  @Test
  void genericBaseHandlerSeesTheSubclassesStateAndItsOwnCounter() throws Exception {
    Map<String, Object> h = traced.handler(PKG + "GenericBase", "handle");
    // the base class counts calls in a field without @State: a configuration write
    assertThat(h.get("class")).isEqualTo("SEQUENTIAL");
    assertThat(h.get("reasons").toString()).contains("handled");
  }

  @Test
  void handlerInAnInterfaceDefaultMethodIsTraced() throws Exception {
    Map<String, Object> h = traced.handler(PKG + "DefaultVoter", "onVote");
    assertThat(h.get("class")).isIn("PARTITIONABLE", "SEQUENTIAL");
    if (h.get("class").equals("PARTITIONABLE")) {
      assertThat(h.get("partitionKey")).isEqualTo("arg0.ballot");
    }
  }

  @Test
  void staticNestedAndAnonymousClassesCountForTheHandler() throws Exception {
    Map<String, Object> restock = traced.handler(PKG + "Inventory", "restock");
    assertThat(restock.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(restock.get("partitionKey")).isEqualTo("arg0.key");
    Map<String, Object> sellOut = traced.handler(PKG + "Inventory", "sellOut");
    assertThat(sellOut.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(sellOut.get("monotone")).isEqualTo(false);
  }

  @Test
  void rangeQueriesDequesAndListShiftsAreSequential() throws Exception {
    assertThat(cls("Collections1", "put")).isEqualTo("PARTITIONABLE");
    assertThat(cls("Collections1", "floor")).isEqualTo("SEQUENTIAL");
    assertThat(cls("Collections1", "range")).isEqualTo("SEQUENTIAL");
    assertThat(cls("Collections1", "dequeue")).isEqualTo("SEQUENTIAL");
    assertThat(cls("Collections1", "enqueue")).isNotIn("STATELESS", "PARTITIONABLE");
    assertThat(cls("Collections1", "insertFront")).isEqualTo("SEQUENTIAL");
    Map<String, Object> set = traced.handler(PKG + "Collections1", "setSlot");
    assertThat(set.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(set.get("partitionKey")).isEqualTo("arg0.index");
  }

  @Test
  void atomicCounterHandedOutIsSequentialAndOneNeverHandedOutIsMonotonic() throws Exception {
    Map<String, Object> begin = traced.handler(PKG + "Collections1", "begin");
    assertThat(begin.get("class")).isEqualTo("SEQUENTIAL");
    assertThat(begin.get("reasons").toString()).contains("nextTxn");
    assertThat(cls("Collections1", "hit")).isEqualTo("MONOTONIC");
  }

  @Test
  void primitiveArrayStateIsNeverStatelessAndAResetIsSequential() throws Exception {
    for (String h : List.of("bump", "reset", "peek")) {
      assertThat(cls("ArrayState", h)).as(h).isNotEqualTo("STATELESS");
    }
    Map<String, Object> reset = traced.handler(PKG + "ArrayState", "reset");
    assertThat(reset.get("class")).isEqualTo("SEQUENTIAL");
    assertThat(reset.get("monotone")).isEqualTo(false);
    assertThat(reset.get("reasons").toString()).contains("counters");
  }

  @Test
  void stateInTheApplicationsOwnClassesIsSeenThroughTheirMethods() throws Exception {
    // a nested TreeMap subclass: its inherited put is a keyed write, its own compact() a removal
    Map<String, Object> append = traced.handler(PKG + "Holders", "append");
    assertThat(append.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(append.get("partitionKey")).isEqualTo("arg0.slot");
    assertThat(cls("Holders", "compact")).isEqualTo("SEQUENTIAL");
    assertThat(traced.handler(PKG + "Holders", "compact").get("monotone")).isEqualTo(false);
    // a generator's next() looks like a getter but advances it
    Map<String, Object> assign = traced.handler(PKG + "Holders", "assign");
    assertThat(assign.get("class")).isEqualTo("SEQUENTIAL");
    assertThat(assign.get("monotone")).isEqualTo(false);
    assertThat(cls("Holders", "peekId")).isEqualTo("SEQUENTIAL");
    // an element of a row of a long[][] written
    Map<String, Object> setCell = traced.handler(PKG + "Holders", "setCell");
    assertThat(setCell.get("class")).isEqualTo("SEQUENTIAL");
    assertThat(setCell.get("reasons").toString()).contains("grid");
    assertThat(cls("Holders", "readCell")).isEqualTo("SEQUENTIAL");
  }

  @Test
  void workOnStateHandedToATimerOrAnExecutorIsTheHandlers() throws Exception {
    assertThat(cls("Leases", "touch")).isEqualTo("PARTITIONABLE");
    for (String h : List.of("expireLater", "renewAsync")) {
      Map<String, Object> handler = traced.handler(PKG + "Leases", h);
      assertThat(handler.get("class")).as(h).isEqualTo("SEQUENTIAL");
      assertThat(handler.get("reasons").toString()).contains("callback");
    }
    // a callback that captures only the message cannot touch state
    assertThat(cls("Leases", "logAsync")).isEqualTo("STATELESS");
  }

  @Test
  void readsWithEffectsAndCallsThatFailMidwayAreHandledSafely() throws Exception {
    // an LRU map evicts by size: a whole-state effect
    assertThat(cls("Caches", "lookup")).isEqualTo("SEQUENTIAL");
    // the agent never calls an application override of get (it counts lookups: see the checksum)
    Map<String, Object> count = traced.handler(PKG + "Caches", "count");
    assertThat(count.get("class")).isIn("PARTITIONABLE", "SEQUENTIAL");
    if (count.get("class").equals("PARTITIONABLE")) {
      assertThat(count.get("partitionKey")).isEqualTo("arg0.key");
    }
    // a bulk add whose source throws midway has still changed the deque
    assertThat(cls("Caches", "takeBatch")).isNotIn("STATELESS", "PARTITIONABLE");
  }

  @Test
  void stateCopiedPrintedOrArrayCopiedThroughJdkCodeIsSeen() throws Exception {
    assertThat(cls("Copies", "record")).isEqualTo("PARTITIONABLE");
    for (String h : List.of("copy", "copyValues", "describe", "load", "status", "statusBuilder")) {
      assertThat(cls("Copies", h)).as(h).isEqualTo("SEQUENTIAL");
    }
    assertThat(traced.handler(PKG + "Copies", "copy").get("reasons").toString())
        .contains("new HashMap");
    assertThat(traced.handler(PKG + "Copies", "load").get("monotone")).isEqualTo(false);
    // a constructor whose arguments are copied for observation at the stack's deepest point
    Map<String, Object> pair = traced.handler(PKG + "Copies", "pair");
    assertThat(pair.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(pair.get("partitionKey")).isEqualTo("arg0.key");
  }

  @Test
  void enumSingletonServiceAndStaticHandler() throws Exception {
    Map<String, Object> join = traced.handler(PKG + "Registry", "join");
    assertThat(join.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(join.get("partitionKey")).isEqualTo("arg0.key");
    Map<String, Object> leave = traced.handler(PKG + "Registry", "leave");
    assertThat(leave.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(leave.get("partitionKey")).isEqualTo("arg0.key");
  }

  @Test
  void compositeKeyIsNotTakenForOneOfItsParts() throws Exception {
    assertThat(cls("Keys", "upsert")).isEqualTo("SEQUENTIAL");
  }

  @Test
  void enumKeysOptionalStreamsSetValueAndViewsHandedOut() throws Exception {
    Map<String, Object> tick = traced.handler(PKG + "Keys", "tick");
    assertThat(tick.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(tick.get("partitionKey")).isEqualTo("arg0.phase");
    Map<String, Object> resolve = traced.handler(PKG + "Keys", "resolve");
    assertThat(resolve.get("class")).isIn("PARTITIONABLE", "SEQUENTIAL");
    if (resolve.get("class").equals("PARTITIONABLE")) {
      assertThat(resolve.get("partitionKey")).isEqualTo("arg0.name");
    }
    assertThat(cls("Keys", "countPrefix")).isEqualTo("SEQUENTIAL");
    Map<String, Object> decay = traced.handler(PKG + "Keys", "decayAll");
    assertThat(decay.get("class")).isEqualTo("SEQUENTIAL");
    assertThat(decay.get("monotone")).as("halving every score is no join").isEqualTo(false);
    assertThat(cls("Keys", "snapshot")).isEqualTo("SEQUENTIAL");
  }

  @Test
  void handlerThatThrowsIsCountedAndClassified() throws Exception {
    Map<String, Object> h = traced.handler(PKG + "Flow", "withdraw");
    assertThat(h.get("invocations")).isEqualTo(2000L);
    assertThat(h.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(h.get("partitionKey")).isEqualTo("arg0.account");
  }

  @Test
  void handlerCallingAnotherHandlerOwnsWhatTheCalleeDoes() throws Exception {
    Map<String, Object> batch = traced.handler(PKG + "Flow", "batch");
    assertThat(batch.get("class")).isEqualTo("SEQUENTIAL");
    assertThat(batch.get("reasons").toString()).contains("balances");
    // the callee's calls from the batch are its own invocations too
    assertThat(traced.handler(PKG + "Flow", "deposit").get("invocations")).isEqualTo(7000L);
    // a handler of another service (a simulated peer) called directly is a message send: the
    // peer's state is not the caller's
    assertThat(cls("Relay", "pass")).isEqualTo("STATELESS");
    Map<String, Object> forward = traced.handler(PKG + "Flow", "forward");
    assertThat(forward.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(forward.get("partitionKey")).isEqualTo("arg0.key");
  }

  @Test
  void varargsAndPrimitiveArrayParametersAreMessages() throws Exception {
    Map<String, Object> addAll = traced.handler(PKG + "Flow", "addAll");
    assertThat(addAll.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(addAll.get("partitionKey")).isEqualTo("arg0");
    Map<String, Object> checksum = traced.handler(PKG + "Flow", "checksum");
    assertThat(checksum.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(checksum.get("partitionKey")).isEqualTo("arg1");
  }

  @Test
  void hostileMessagesAreTracedWithoutRunningTheirSideEffects() throws Exception {
    Map<String, Object> odd = traced.handler(PKG + "Tricky", "onOdd");
    assertThat(odd.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(odd.get("partitionKey")).isEqualTo("arg0.key");
    assertThat(odd.get("invocations")).isEqualTo(2000L);
    Map<String, Object> cycle = traced.handler(PKG + "Tricky", "onCycle");
    assertThat(cycle.get("invocations")).isEqualTo(2000L);
    assertThat(cycle.get("class")).isNotIn("STATELESS", "PARTITIONABLE");
  }

  @Test
  void fourThreadsOnOneServiceNeitherDeadlockNorLoseTheirVerdicts() throws Exception {
    Map<String, Object> incr = traced.handler(PKG + "Concurrent", "incr");
    assertThat(incr.get("class")).isEqualTo("PARTITIONABLE");
    assertThat(incr.get("partitionKey")).isEqualTo("arg0.key");
    // counted without atomics: concurrent calls may be undercounted, never overcounted
    assertThat(((Number) incr.get("invocations")).longValue()).isBetween(1L, 8000L);
    assertThat(cls("Concurrent", "journal")).isEqualTo("SEQUENTIAL");
  }

  @Test
  void preJava11ClassLoadedByAChildLoaderHasItsInnerClassesTraced() throws Exception {
    Map<String, Object> put = loadedTraced.handler("legacy.Legacy8", "put");
    assertThat(put.get("class"))
        .as("the write happens in a Java 8 inner class")
        .isEqualTo("PARTITIONABLE");
    assertThat(put.get("partitionKey")).isEqualTo("arg0.key");
    // the class was loaded twice, by two loaders: one service in the report, both counted
    assertThat(put.get("invocations")).isEqualTo(600L);
    Map<String, Object> clear = loadedTraced.handler("legacy.Legacy8", "clearAll");
    assertThat(clear.get("class"))
        .as("clear() in a Java 8 anonymous class")
        .isEqualTo("SEQUENTIAL");
  }

  @Test
  void nothingIsLessSafeThanTheTruthWhereTheTruthIsSequential() throws Exception {
    String[][] sequential = {
      {"Collections1", "floor"},
      {"Collections1", "range"},
      {"Collections1", "dequeue"},
      {"Collections1", "insertFront"},
      {"Collections1", "begin"},
      {"ArrayState", "reset"},
      {"Keys", "upsert"},
      {"Keys", "countPrefix"},
      {"Keys", "decayAll"},
      {"Keys", "snapshot"},
      {"Flow", "batch"},
      {"Concurrent", "journal"},
      {"Holders", "assign"},
      {"Holders", "compact"},
      {"Holders", "setCell"},
      {"Leases", "expireLater"},
      {"Leases", "renewAsync"},
      {"Copies", "copy"},
      {"Copies", "describe"},
      {"Copies", "load"},
      {"Copies", "status"},
      {"Copies", "statusBuilder"},
    };
    for (String[] s : sequential) {
      assertThat(cls(s[0], s[1])).as(s[0] + "." + s[1]).isNotIn(UNSAFE_FOR_SEQUENTIAL);
    }
  }

  // ------------------------------------------------------------------ helpers

  private static String cls(String service, String handler) throws Exception {
    return (String) traced.handler(PKG + service, handler).get("class");
  }

  private static String checksum(String output) {
    return line(output, "CHECKSUM");
  }

  private static String line(String output, String prefix) {
    Matcher m = Pattern.compile("(?m)^" + prefix + " (.*)$").matcher(output);
    assertThat(m.find()).as("a %s line in:%n%s", prefix, output).isTrue();
    return m.group(1);
  }

  private static String runPlain(String main, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                AgentRun.applicationClassPath(),
                main));
    cmd.addAll(Arrays.asList(args));
    Path log = Files.createTempFile(dir, "plain", ".txt");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("plain JVM did not finish: " + cmd);
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /** Compiles sources into a fresh directory; stub annotations are compiled and then removed. */
  private static Path compile(String name, List<String> options, Map<String, String> sources)
      throws Exception {
    Path src = Files.createDirectories(dir.resolve(name + "-src"));
    Path out = Files.createDirectories(dir.resolve(name + "-classes"));
    List<String> args = new ArrayList<>(options);
    args.addAll(List.of("-d", out.toString(), "-cp", AgentRun.applicationClassPath()));
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path f = src.resolve(e.getKey());
      Files.createDirectories(f.getParent());
      Files.writeString(f, e.getValue());
      args.add(f.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, args.toArray(String[]::new));
    assertThat(rc).as("javac " + args).isZero();
    Path stubs = out.resolve("io");
    if (Files.exists(stubs)) {
      try (Stream<Path> s = Files.walk(stubs)) {
        s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
    return out;
  }

  private static String stub(String name, String target) {
    return "package io.compartment.api;\n"
        + "import java.lang.annotation.*;\n"
        + "@Retention(RetentionPolicy.RUNTIME) @Target(ElementType."
        + target
        + ") public @interface "
        + name
        + " {}\n";
  }

  /** A service as javac --release 8 compiles it: no nestmates, synthetic accessors. */
  private static Map<String, String> legacySources() {
    return Map.of(
        "io/compartment/api/ProtocolService.java",
        stub("ProtocolService", "TYPE"),
        "io/compartment/api/Handler.java",
        stub("Handler", "METHOD"),
        "io/compartment/api/State.java",
        stub("State", "FIELD"),
        "legacy/Legacy8.java",
        String.join(
            "\n",
            "package legacy;",
            "import io.compartment.api.Handler;",
            "import io.compartment.api.ProtocolService;",
            "import io.compartment.api.State;",
            "import java.util.HashMap;",
            "import java.util.Map;",
            "@ProtocolService",
            "public class Legacy8 {",
            "  @State private final Map<String, Integer> store = new HashMap<String, Integer>();",
            "  public static class Msg {",
            "    private final String key; private final int value;",
            "    public Msg(String key, int value) { this.key = key; this.value = value; }",
            "    public String getKey() { return key; }",
            "  }",
            "  @Handler public void put(Msg m) { new Writer().write(m); }",
            "  @Handler public void clearAll(Msg m) {",
            "    Runnable r = new Runnable() { public void run() { store.clear(); } };",
            "    r.run();",
            "  }",
            "  @Handler public int get(Msg m) {",
            "    Integer v = store.get(m.key); return v == null ? -1 : v.intValue();",
            "  }",
            "  private class Writer { void write(Msg m) { store.put(m.key, m.value); } }",
            "  public static long drive(int n) {",
            "    Legacy8 s = new Legacy8(); long sum = 0;",
            "    for (int i = 0; i < n; i++) {",
            "      s.put(new Msg(\"k\" + (i % 37), i));",
            "      sum = sum * 31 + s.get(new Msg(\"k\" + (i * 7 % 41), 0));",
            "      if (i % 100 == 99) s.clearAll(new Msg(\"\", 0));",
            "    }",
            "    return sum + s.store.size();",
            "  }",
            "}",
            ""));
  }

  /** A handler whose bytecode is close to 64 KB, so that the rewrite cannot fit. */
  private static String bigMethodSource() {
    StringBuilder sb = new StringBuilder();
    sb.append("package big;\n")
        .append("import io.compartment.api.Handler;\n")
        .append("import io.compartment.api.ProtocolService;\n")
        .append("import io.compartment.api.State;\n")
        .append("import java.util.HashMap;\n")
        .append("import java.util.Map;\n")
        .append("@ProtocolService\n")
        .append("public class BigMethod {\n")
        .append("  @State private final Map<Integer, Integer> hits = new HashMap<>();\n")
        .append("  private int f0 = 1, f1 = 2, f2 = 3, f3 = 4, f4 = 5, f5 = 6;\n")
        .append("  @Handler public long huge(int k) {\n")
        .append("    long acc = 0;\n");
    for (int i = 0; i < 1700; i++) {
      sb.append("    acc += f0 + f1 + f2 + f3 + f4 + f5 + k;\n");
    }
    sb.append("    hits.merge(k, 1, Integer::sum);\n")
        .append("    return acc;\n")
        .append("  }\n")
        .append("  @Handler public long viaHelper(int k) {\n")
        .append("    hits.merge(k, 1, Integer::sum);\n")
        .append("    return helper(k);\n")
        .append("  }\n")
        .append("  private long helper(int k) {\n")
        .append("    long acc = 0;\n");
    for (int i = 0; i < 1700; i++) {
      sb.append("    acc += f0 + f1 + f2 + f3 + f4 + f5 + k;\n");
    }
    sb.append("    hits.put(-1, k);\n")
        .append("    return acc;\n")
        .append("  }\n")
        .append("  @Handler public void small(int k) { hits.merge(k, 1, Integer::sum); }\n")
        .append("  public static long drive(int n) {\n")
        .append("    BigMethod s = new BigMethod(); long sum = 0;\n")
        .append("    for (int i = 0; i < n; i++) {\n")
        .append("      sum += s.huge(i % 13) + s.viaHelper(i % 11);\n")
        .append("      s.small(i % 17);\n")
        .append("    }\n")
        .append("    return sum * 31 + s.hits.hashCode();\n")
        .append("  }\n")
        .append("}\n");
    return sb.toString();
  }
}
