package io.compartment.analyzer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.analyzer.classify.Fixtures;
import io.compartment.analyzer.json.Json;
import io.compartment.analyzer.report.Plan;
import io.compartment.analyzer.report.Report;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompartmentCliTest {
  @TempDir Path dir;

  record Result(int exit, String out, String err) {
    String lastLine() {
      String[] lines = out.split("\n");
      return lines[lines.length - 1];
    }
  }

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        CompartmentCli.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Path traceFile() throws IOException {
    Path f = dir.resolve("acceptor.trace.json");
    Files.writeString(f, Json.write(Fixtures.acceptorTrace().toJson()));
    return f;
  }

  @Test
  void analyzingAMalformedFileNamesFileLineAndColumnAndExits2() throws IOException {
    Path f = dir.resolve("bad.json");
    Files.writeString(f, "{\n  \"schema\": \"compartment.trace/1\",\n  \"services\": [,]\n}\n");

    Result r = run("analyze", f.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "compartment analyze: "
                + f
                + ":3:16: unexpected character ',', "
                + "expected a value\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aStructuralErrorIsLocatedToo() throws IOException {
    Path f = dir.resolve("bad.json");
    Files.writeString(
        f, "{\"schema\": \"compartment.trace/1\",\n \"services\": [{\"handlers\": []}]}");

    Result r = run("analyze", f.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "compartment analyze: " + f + ":2:15: services[0]: missing member " + "\"service\"\n");
  }

  @Test
  void aWrongSchemaIsAnInputError() throws IOException {
    Path f = dir.resolve("other.json");
    Files.writeString(f, "{\"schema\": \"something/2\"}");

    Result r = run("analyze", f.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("compartment analyze: " + f + ":1:12: schema is \"something/2\"");
  }

  @Test
  void aMissingFileIsAnInputError() {
    Result r = run("analyze", dir.resolve("nope.json").toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo("compartment analyze: " + dir.resolve("nope.json") + ": no such file\n");
  }

  @Test
  void analyzingATraceWritesTheReportAndPrintsTheTable() throws IOException {
    Path out = dir.resolve("out/report.json");

    Result r = run("analyze", traceFile().toString(), "--out", out.toString());

    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("Service demo.paxos.Acceptor", "Acceptor#1", "report written to " + out);
    Report report = Report.fromJson(Files.readString(out), out.toString());
    assertThat(report.services().get(0).compartments().get(0).plan()).isEqualTo(Plan.PARTITION);
  }

  @Test
  void analyzingAReportPrintsItsTableOrItsJson() throws IOException {
    Path out = dir.resolve("report.json");
    assertThat(run("analyze", traceFile().toString(), "--out", out.toString()).exit()).isZero();

    Result table = run("analyze", out.toString());
    Result json = run("analyze", out.toString(), "--json");

    assertThat(table.exit()).isZero();
    assertThat(table.out()).startsWith("Service demo.paxos.Acceptor");
    assertThat(json.exit()).isZero();
    assertThat(json.out()).isEqualTo(Files.readString(out));
  }

  @Test
  void analyzeWithoutAFileOrWithAnUnknownOptionIsAUsageError() throws IOException {
    assertThat(run("analyze").exit()).isEqualTo(2);
    Result r = run("analyze", traceFile().toString(), "--fast");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("compartment analyze: unknown option --fast");
  }

  @Test
  void aClassPathLetsAnalyzeRunTheStaticPassOnATrace() throws Exception {
    String svc = io.compartment.analyzer.statics.samples.SampleService.class.getName();
    io.compartment.analyzer.trace.Trace trace = new io.compartment.analyzer.trace.Trace();
    io.compartment.analyzer.trace.ServiceTrace s = trace.service(svc);
    s.state()
        .add(
            new io.compartment.analyzer.trace.StateFieldInfo(
                "log", svc, "log", "java.util.Map", io.compartment.analyzer.trace.StateKind.MAP));
    io.compartment.analyzer.trace.HandlerTrace h =
        s.handler(
            "onAccept",
            "onAccept",
            "(Lio/compartment/analyzer/statics/samples/SampleService$Accept;)V",
            svc);
    for (long i = 0; i < 30; i++) {
      h.begin(java.util.Map.of("arg0.slot", i, "arg0.ballot", 1L))
          .access(
              "log",
              io.compartment.analyzer.trace.AccessScope.KEYED,
              io.compartment.analyzer.trace.Invocation.Op.WRITE,
              "put",
              io.compartment.analyzer.trace.WriteKind.GROW,
              i,
              null,
              null,
              null)
          .end();
    }
    Path f = dir.resolve("sample.trace.json");
    Files.writeString(f, Json.write(trace.toJson()));
    String classes =
        Path.of(
                io.compartment.analyzer.statics.samples.SampleService.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI())
            .toString();

    Result without = run("analyze", f.toString(), "--json");
    Result with = run("analyze", f.toString(), "--json", "--classpath", classes);

    Report a = Report.fromJson(without.out(), "a");
    Report b = Report.fromJson(with.out(), "b");
    assertThat(a.services().get(0).handlers().get(0).confirmed()).isFalse();
    assertThat(b.services().get(0).handlers().get(0).staticFacts().keySources().get("log"))
        .containsExactly("arg0.slot");
    assertThat(b.services().get(0).handlers().get(0).confirmed()).isTrue();
  }

  @Test
  void helpListsTheVerbs() {
    Result r = run("--help");

    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("analyze FILE", "demo NAME", "status [--pid PID]", "enable COMPARTMENT", "bench");
    assertThat(run("analyze", "--help").out()).startsWith("usage: compartment analyze FILE");
    assertThat(run("demo", "--help").out()).startsWith("usage: compartment demo NAME");
  }

  @Test
  void anUnknownVerbOrNoVerbIsAUsageError() {
    assertThat(run("frobnicate").exit()).isEqualTo(2);
    assertThat(run().exit()).isEqualTo(2);
  }

  @Test
  void liveControlVerbsNameWhatIsMissingOrWrong() {
    assertThat(run("enable", "--partitions", "2").err()).contains("name the compartment");
    assertThat(run("enable", "Kv#1").err()).contains("give --partitions N or --replicas N");
    assertThat(run("enable", "Kv#1", "--partitions", "x").err())
        .contains("--partitions needs a number, got 'x'");
    assertThat(run("disable", "Kv#1", "--replicas", "2").err())
        .contains("--replicas goes with enable");
    assertThat(run("status", "extra").exit()).isEqualTo(2);
  }

  @Test
  void liveControlOfAPidWithNoAgentSaysWhereItLookedAndExits1() {
    Result r = run("status", "--pid", "999999999");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("no running agent with pid 999999999").contains("compartment-");
  }

  @Test
  void benchIsAPlaceholder() {
    Result r = run("bench", "all", "--quick");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("compartment bench: see README\n");
  }

  @Test
  void demoArgumentsAreChecked() {
    assertThat(run("demo").exit()).isEqualTo(2);
    assertThat(run("demo", "kv", "--duration", "soon").err())
        .contains("--duration needs a positive number");
    assertThat(run("demo", "kv", "--partitions", "0").exit()).isEqualTo(2);
    assertThat(run("demo", "kv", "--transport", "pigeon").err())
        .contains("--transport is one of ipc, udp, memory, got 'pigeon'");
  }
}
