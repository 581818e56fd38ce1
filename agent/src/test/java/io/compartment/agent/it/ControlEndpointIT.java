package io.compartment.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.analyzer.json.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control endpoint of a running agent: token, status, report on request, refusals. */
class ControlEndpointIT {
  @TempDir static Path dir;
  private static Process app;
  private static Path discovery;
  private static String base;
  private static String token;
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void startApplication() throws Exception {
    app =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + AgentRun.agentJar() + "=report=" + dir.resolve("report.json"),
                "-cp",
                AgentRun.applicationClassPath(),
                "io.compartment.scenarios.ControlTarget",
                dir.resolve("stop").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("app.log").toFile())
            .start();
    discovery =
        Path.of(
            System.getProperty("java.io.tmpdir"),
            "compartment-" + System.getProperty("user.name").replaceAll("[^A-Za-z0-9_.-]", "_"),
            app.pid() + ".json");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(discovery) && System.nanoTime() < deadline) Thread.sleep(20);
    assertThat(discovery).as(Files.readString(dir.resolve("app.log"))).exists();
    Map<String, Object> d = (Map<String, Object>) Json.parse(Files.readString(discovery), "d");
    base = "http://" + d.get("host") + ":" + d.get("port");
    token = (String) d.get("token");
    // the tests act on the compartments of the live report: wait until the workload made them
    String report = "";
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!report.contains("\"DeepKeys#1\"") && System.nanoTime() < deadline) {
      Thread.sleep(50);
      report = authed("GET", "/api/report", null).body();
    }
    assertThat(report).as("the live report names the compartments").contains("\"DeepKeys#1\"");
  }

  @AfterAll
  static void stopApplication() throws Exception {
    Files.createFile(dir.resolve("stop"));
    assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(app.exitValue()).isZero();
    assertThat(discovery).as("discovery file removed at exit").doesNotExist();
  }

  private static HttpResponse<String> send(String method, String path, String auth, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (auth != null) b.header("Authorization", auth);
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> authed(String method, String path, String body)
      throws Exception {
    return send(method, path, "Bearer " + token, body);
  }

  private static String compartment(String id) {
    return "/api/compartments/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
  }

  @Test
  void discoveryFileIsReadableOnlyByItsUser() throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(discovery)))
        .isEqualTo("rw-------");
  }

  @Test
  void requestsWithoutTheRightTokenAreRefusedWithAJsonError() throws Exception {
    HttpResponse<String> none = send("GET", "/api/status", null, null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body()).contains("\"error\"").contains("Authorization: Bearer");
    assertThat(send("GET", "/api/status", "Bearer wrong-token", null).statusCode()).isEqualTo(401);
  }

  @Test
  void statusListsTheServicesWithTheirInvocationCounts() throws Exception {
    HttpResponse<String> r = authed("GET", "/api/status", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("\"pid\": " + app.pid())
        .contains("io.compartment.scenarios.Accounts")
        .contains("\"handler\": \"deposit\"")
        .contains("\"sampling\"");
  }

  @Test
  void reportIsAvailableOnRequestWhileTheApplicationRuns() throws Exception {
    HttpResponse<String> r = authed("GET", "/api/report", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("\"schema\": \"compartment.report/1\"")
        .contains("\"partitionKey\": \"arg0.header.txId\"");
  }

  @Test
  void enablingAnUnknownCompartmentNamesTheKnownOnes() throws Exception {
    HttpResponse<String> r =
        authed("POST", compartment("Nope#9") + "/enable", "{\"partitions\": 2}");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("no compartment \\\"Nope#9\\\"").contains("DeepKeys#1");
  }

  @Test
  void enablingACompartmentWhosePlanIsKeepIsRefused() throws Exception {
    HttpResponse<String> r =
        authed("POST", compartment("Accounts#1") + "/enable", "{\"partitions\": 2}");
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(r.body()).contains("plan KEEP");
    assertThat(authed("POST", compartment("Accounts#1") + "/disable", "").statusCode())
        .isEqualTo(409);
  }

  @Test
  void badCountsAndBodiesAreRefusedWithWhatIsWrong() throws Exception {
    String path = compartment("DeepKeys#1") + "/enable";
    assertThat(authed("POST", path, "{\"partitions\": 0}").body()).contains("from 1 to 1024");
    assertThat(authed("POST", path, "{\"replicas\": 2}").body())
        .contains("give \\\"partitions\\\"");
    HttpResponse<String> garbage = authed("POST", path, "{\"partitions\": ");
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(garbage.body()).contains("request body:1:");
  }

  @Test
  void aValidEnableRoutesTheCompartmentToWorkersAndDisableBringsItBack() throws Exception {
    HttpResponse<String> on =
        authed("POST", compartment("Registers#1") + "/enable", "{\"partitions\": 2}");
    assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
    assertThat(on.body()).contains("\"state\": \"enabled\"").contains("\"partitions\": 2");
    HttpResponse<String> status = authed("GET", "/api/status", null);
    assertThat(status.body()).contains("\"live\": true").contains("Registers#1");
    Thread.sleep(500); // calls flow through the workers; every read is checked by the application
    HttpResponse<String> again =
        authed("POST", compartment("Registers#1") + "/enable", "{\"partitions\": 3}");
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(again.body()).contains("\"partitions\": 3");
    Thread.sleep(300);
    HttpResponse<String> off = authed("POST", compartment("Registers#1") + "/disable", null);
    assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
    assertThat(off.body()).contains("\"state\": \"disabled\"");
    assertThat(app.isAlive()).isTrue();
  }

  private static AgentRunCli cli(String... args) throws Exception {
    java.util.List<String> cmd =
        new java.util.ArrayList<>(
            java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                AgentRun.agentJar().toString(),
                "io.compartment.analyzer.cli.CompartmentCli"));
    cmd.addAll(java.util.List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new AgentRunCli(p.exitValue(), output);
  }

  private record AgentRunCli(int exit, String output) {}

  @Test
  void commandLineStatusShowsTheLiveReportWithCompartmentIds() throws Exception {
    AgentRunCli r = cli("status", "--pid", Long.toString(app.pid()));
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output())
        .contains("Agent pid " + app.pid())
        .contains("deposit")
        .contains("DeepKeys#1")
        .contains("PARTITION");
  }

  @Test
  void commandLineEnableReportsTheAgentsRefusalAndExits1() throws Exception {
    AgentRunCli keep =
        cli("enable", "Accounts#1", "--partitions", "2", "--pid", Long.toString(app.pid()));
    assertThat(keep.exit()).isEqualTo(1);
    assertThat(keep.output()).contains("the agent answered 409").contains("plan KEEP");
  }

  @Test
  void commandLineProfiledEnableActsOnTheProfileAndSaysWhyForEveryOtherCompartment()
      throws Exception {
    AgentRunCli r =
        cli("enable", "--profiled", "--partitions", "2", "--pid", Long.toString(app.pid()));
    System.out.println("CONTROL enable --profiled:\n" + r.output());
    try {
      assertThat(r.exit()).as(r.output()).isZero();
      assertThat(r.output()).contains("DeepKeys#1 PARTITION: ").contains("Registers#1 PARTITION: ");
      assertThat(r.output()).doesNotContain("Accounts#1"); // KEEP: never a candidate
      for (String line : r.output().lines().filter(l -> l.contains("#1 ")).toList()) {
        assertThat(line)
            .containsAnyOf(
                "enabled x2, pause ",
                "left in the host: the profile gives it",
                "its plan needs confirmation");
      }
      assertThat(app.isAlive()).isTrue();
    } finally {
      for (String id : java.util.List.of("DeepKeys#1", "Registers#1")) {
        authed("POST", compartment(id) + "/disable", null); // 409 where it was left in the host
      }
    }
  }

  @Test
  void profiledEnableNeedsOneCountAndNoCompartmentName() throws Exception {
    HttpResponse<String> none = authed("POST", "/api/enable-profiled", "{}");
    assertThat(none.statusCode()).isEqualTo(400);
    assertThat(none.body()).contains("give one of");
    assertThat(authed("POST", "/api/enable-profiled", "{\"partitions\": 0}").body())
        .contains("from 1 to 1024");
    assertThat(authed("GET", "/api/enable-profiled", null).statusCode()).isEqualTo(405);
    AgentRunCli named =
        cli(
            "enable",
            "Registers#1",
            "--profiled",
            "--partitions",
            "2",
            "--pid",
            Long.toString(app.pid()));
    assertThat(named.exit()).isEqualTo(2);
    assertThat(named.output()).contains("give no compartment name");
  }

  @Test
  void unknownPathsAndWrongMethodsAreRefused() throws Exception {
    assertThat(authed("GET", "/api/nope", null).statusCode()).isEqualTo(404);
    assertThat(authed("POST", "/api/status", "").statusCode()).isEqualTo(405);
  }
}
