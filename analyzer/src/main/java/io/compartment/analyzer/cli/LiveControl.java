package io.compartment.analyzer.cli;

import io.compartment.analyzer.json.Json;
import io.compartment.analyzer.json.JsonException;
import io.compartment.analyzer.json.JsonObject;
import io.compartment.analyzer.report.Report;
import io.compartment.analyzer.report.ReportTable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code status}, {@code enable} and {@code disable}: talk to a running agent's control endpoint,
 * found through its discovery file ({@code --pid PID}, or the only agent running).
 */
final class LiveControl {
  static final String HELP =
      String.join(
          "\n",
          "usage: compartment status [--pid PID]",
          "       compartment enable COMPARTMENT (--partitions N | --replicas N) [--confirm]"
              + " [--pid PID]",
          "       compartment enable --profiled (--partitions N | --replicas N) [--confirm]"
              + " [--pid PID]",
          "       compartment disable COMPARTMENT [--pid PID]",
          "",
          "Talks to a running agent's control endpoint, found through the discovery file it writes",
          "in " + AgentDiscovery.folder() + " (readable only by you). Without --pid, the only",
          "running agent is used. status prints the agent's state and its report as of now, with",
          "the compartment ids that enable and disable take (e.g. Acceptor#1).",
          "",
          "enable moves the compartment's handlers and state into N worker processes while the",
          "service runs (enabling again with another count re-partitions); disable brings them",
          "back. A plan the report marks as needing confirmation (PLAN?) is enabled only with",
          "--confirm, after you have read its reasons. Both print the pause they caused.",
          "",
          "enable --profiled enables, each with N, only the compartments the report's profile",
          "recommends scaling (a recommended count of 2 or more, from measured handler time and",
          "the host's cost of routing each call); the others stay in the host, and it says why.",
          "",
          "Exit status: 0 ok, 1 the agent refused the request or could not be reached, 2 usage.");

  private final PrintStream out;
  private final PrintStream err;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  LiveControl(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Runs a verb with its options already split: returns the exit code. */
  int run(
      String verb, String compartment, Long pid, String countName, Long count, boolean confirm) {
    AgentDiscovery.Endpoint agent;
    try {
      agent = find(verb, pid);
    } catch (IOException e) {
      err.println("compartment " + verb + ": cannot read " + AgentDiscovery.folder() + ": " + e);
      return CompartmentCli.FAILED;
    }
    if (agent == null) return CompartmentCli.FAILED;
    try {
      switch (verb) {
        case "status" -> {
          Answer status = call(agent, "GET", "/api/status", null);
          if (!status.ok()) return refused(verb, status);
          printStatus(status.json());
          Answer report = call(agent, "GET", "/api/report", null);
          if (!report.ok()) return refused(verb, report);
          out.println();
          out.print(
              ReportTable.render(Report.fromJson(report.text(), "report of pid " + agent.pid())));
          return CompartmentCli.OK;
        }
        case "enable-profiled" -> {
          String body =
              "{\"" + countName + "\": " + count + (confirm ? ", \"confirm\": true" : "") + "}";
          Answer a = call(agent, "POST", "/api/enable-profiled", body);
          if (!a.ok()) return refused("enable", a);
          printProfiled(a.json());
          return CompartmentCli.OK;
        }
        case "enable", "disable" -> {
          String path =
              "/api/compartments/"
                  + URLEncoder.encode(compartment, StandardCharsets.UTF_8).replace("+", "%20")
                  + "/"
                  + verb;
          String body =
              verb.equals("enable")
                  ? "{\""
                      + countName
                      + "\": "
                      + count
                      + (confirm ? ", \"confirm\": true" : "")
                      + "}"
                  : "";
          Answer a = call(agent, "POST", path, body);
          if (!a.ok()) return refused(verb, a);
          out.println(a.text());
          return CompartmentCli.OK;
        }
        default -> throw new IllegalArgumentException(verb);
      }
    } catch (IOException e) {
      err.println(
          "compartment "
              + verb
              + ": cannot reach the agent of pid "
              + agent.pid()
              + " at "
              + agent.base()
              + ": "
              + e.getMessage());
      return CompartmentCli.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompartmentCli.FAILED;
    }
  }

  private AgentDiscovery.Endpoint find(String verb, Long pid) throws IOException {
    List<AgentDiscovery.Endpoint> running = AgentDiscovery.running();
    if (pid != null) {
      for (AgentDiscovery.Endpoint e : running) if (e.pid() == pid) return e;
      err.println(
          "compartment "
              + verb
              + ": no running agent with pid "
              + pid
              + " (looked in "
              + AgentDiscovery.folder()
              + "; is the JVM started with -javaagent and control not off?)");
      return null;
    }
    if (running.size() == 1) return running.get(0);
    if (running.isEmpty()) {
      err.println(
          "compartment "
              + verb
              + ": no running agent found in "
              + AgentDiscovery.folder()
              + " (start the JVM with -javaagent:compartment-agent.jar)");
    } else {
      StringBuilder pids = new StringBuilder();
      for (AgentDiscovery.Endpoint e : running) pids.append(' ').append(e.pid());
      err.println(
          "compartment " + verb + ": several agents are running (pids" + pids + "); pick --pid");
    }
    return null;
  }

  private record Answer(int status, String text) {
    boolean ok() {
      return status == 200;
    }

    Map<String, Object> json() {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) Json.parse(text, "answer");
      return m;
    }
  }

  private Answer call(AgentDiscovery.Endpoint agent, String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(agent.base() + path))
            .timeout(Duration.ofSeconds(300)) // an enable starts workers and moves state
            .header("Authorization", "Bearer " + agent.token())
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  private int refused(String verb, Answer a) {
    String message = a.text();
    try {
      Object error = a.json().get("error");
      if (error != null) message = error.toString();
    } catch (JsonException | ClassCastException notJson) {
      // print the body as it came
    }
    err.println("compartment " + verb + ": the agent answered " + a.status() + ": " + message);
    return CompartmentCli.FAILED;
  }

  /** One line per compartment: enabled with its pause, refused with why, or left in the host. */
  private void printProfiled(Map<String, Object> reply) {
    JsonObject r = new JsonObject(reply, "reply");
    for (Object c : r.list("compartments")) {
      JsonObject one = new JsonObject(c, "compartment");
      String head = one.string("compartment", "?") + " " + one.string("plan", "?") + ": ";
      if (one.has("reason")) {
        out.println(head + one.string("reason"));
        continue;
      }
      Object result = one.raw().get("result");
      JsonObject res = new JsonObject(result, "result");
      if (one.bool("enabled", false)) {
        out.println(
            head
                + "enabled x"
                + res.number("partitions", res.number("replicas", 0))
                + ", pause "
                + res.raw().get("pauseMs")
                + " ms"
                + (one.bool("confirmedByCaller", false) ? " (confirmed by you)" : ""));
      } else {
        out.println(head + "not enabled: " + res.string("error", Json.writeCompact(result)));
      }
    }
  }

  private void printStatus(Map<String, Object> status) {
    JsonObject s = new JsonObject(status, "status");
    out.printf(
        "Agent pid %d  mode %s  live %s  up %d s  recorder drops %d%n",
        s.number("pid", -1),
        s.string("mode", "?"),
        s.bool("live", false),
        s.number("uptimeMs", 0) / 1000,
        s.number("recorderDropped", 0));
    if (s.has("report")) out.println("  report at exit: " + s.string("report"));
    for (Object c : s.list("compartments")) {
      JsonObject on = new JsonObject(c, "compartment");
      out.printf(
          "  enabled %s  plan %s  x%d  pause %s ms  routed %d  broadcasts %d%n",
          on.string("compartment", "?"),
          on.string("plan", "?"),
          on.number("partitions", on.number("replicas", 0)),
          on.raw().get("pauseMs"),
          on.number("routedCalls", 0),
          on.number("broadcasts", 0));
      for (Object w : on.list("workers")) {
        JsonObject wo = new JsonObject(w, "worker");
        out.printf(
            "    worker %-28s %-8s pid %d  restarts %d%n",
            wo.string("id", "?"),
            wo.string("state", "?"),
            wo.number("pid", -1),
            wo.number("restarts", 0));
      }
    }
    for (Object service : s.list("services")) {
      JsonObject svc = new JsonObject(service, "service");
      out.println("  " + svc.string("service"));
      for (Object handler : svc.list("handlers")) {
        JsonObject h = new JsonObject(handler, "handler");
        out.printf(
            "    %-28s %12d calls  recording %s%n",
            h.string("handler"), h.number("invocations", 0), h.string("sampling", "?"));
      }
    }
  }
}
