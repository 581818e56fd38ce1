package io.compartment.agent.control;

import io.compartment.agent.live.LiveController;
import io.compartment.agent.report.ReportWriter;
import io.compartment.agent.runtime.HandlerInfo;
import io.compartment.agent.trace.Aggregator;
import io.compartment.agent.trace.ServiceCatalog;
import io.compartment.analyzer.json.Json;
import io.compartment.analyzer.json.JsonException;
import io.compartment.analyzer.report.CompartmentReport;
import io.compartment.analyzer.report.Plan;
import io.compartment.analyzer.report.Profile;
import io.compartment.analyzer.report.Report;
import io.compartment.analyzer.report.ServiceReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * What the control endpoint and the MBean can be asked, independent of how they are asked: status,
 * the report as of now, and enabling or disabling a compartment (through {@link LiveController}).
 *
 * <p>Requests naming an unknown compartment, one whose plan is KEEP, a wrong count, or a plan that
 * needs confirmation without {@code "confirm": true} are answered with the error that names the
 * problem, and nothing changes.
 */
public final class ControlService {
  /**
   * An enable request's body: a JSON object with at most {@code partitions}, {@code replicas} and
   * {@code confirm}, or the 400 reply saying what is wrong with it.
   */
  private record EnableRequest(Map<String, Object> members, boolean confirm, Reply refused) {
    static EnableRequest parse(String body) {
      Map<String, Object> request;
      try {
        Object parsed = Json.parse(body == null || body.isBlank() ? "{}" : body, "request body");
        if (!(parsed instanceof Map)) {
          return refused(
              Reply.error(400, "request body must be a JSON object such as {\"partitions\": 4}"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) parsed;
        request = m;
      } catch (JsonException e) {
        return refused(Reply.error(400, e.getMessage()));
      }
      for (String key : request.keySet()) {
        if (!key.equals("partitions") && !key.equals("replicas") && !key.equals("confirm")) {
          return refused(
              Reply.error(
                  400,
                  "unknown member \""
                      + key
                      + "\" in the request body; expected partitions or replicas (and confirm)"));
        }
      }
      Object confirm = request.getOrDefault("confirm", Boolean.FALSE);
      if (!(confirm instanceof Boolean)) {
        return refused(Reply.error(400, "\"confirm\" must be true or false, got " + confirm));
      }
      return new EnableRequest(request, (Boolean) confirm, null);
    }

    private static EnableRequest refused(Reply why) {
      return new EnableRequest(Map.of(), false, why);
    }
  }

  /** Most partitions or replicas one compartment may be given. */
  static final int MAX_COUNT = 1024;

  private final ServiceCatalog catalog;
  private final Aggregator aggregator;
  private final ReportWriter reports;
  private final String mode;
  private final LiveController live;
  private final long startedAtMillis = System.currentTimeMillis();

  public ControlService(
      ServiceCatalog catalog,
      Aggregator aggregator,
      ReportWriter reports,
      String mode,
      LiveController live) {
    this.catalog = catalog;
    this.aggregator = aggregator;
    this.reports = reports;
    this.mode = mode;
    this.live = live;
  }

  Reply status() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("pid", ProcessHandle.current().pid());
    out.put("mode", mode);
    out.put("live", live != null && live.anyEnabled());
    out.put("compartments", live == null ? List.of() : live.status());
    out.put("startedAtMillis", startedAtMillis);
    out.put("uptimeMs", System.currentTimeMillis() - startedAtMillis);
    out.put("report", reports.reportFile() == null ? null : reports.reportFile().toString());
    out.put("recorderDropped", aggregator.dropped());
    List<Object> services = new ArrayList<>();
    for (ServiceCatalog.Entry e : catalog.services()) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("service", e.service);
      List<Object> handlers = new ArrayList<>();
      synchronized (e) {
        for (HandlerInfo h : e.handlers) {
          Map<String, Object> hj = new LinkedHashMap<>();
          hj.put("handler", h.reportName());
          hj.put("invocations", h.invocations());
          hj.put("sampling", "1/" + (h.sampleMask() + 1));
          handlers.add(hj);
        }
      }
      s.put("handlers", handlers);
      services.add(s);
    }
    out.put("services", services);
    return Reply.ok(out);
  }

  Reply report() {
    return Reply.ok(reports.current().toJson());
  }

  Reply enable(String compartmentId, String body) {
    CompartmentReport c = find(compartmentId);
    if (c == null) return unknown(compartmentId);
    if (c.plan() == Plan.KEEP) return keep(c);
    EnableRequest parsed = EnableRequest.parse(body);
    if (parsed.refused() != null) return parsed.refused();
    Map<String, Object> request = parsed.members();
    String wanted = countName(c);
    String other = wanted.equals("partitions") ? "replicas" : "partitions";
    if (request.containsKey(other)) {
      return Reply.error(
          400,
          "compartment "
              + c.id()
              + " has plan "
              + c.plan()
              + ": give \""
              + wanted
              + "\", not \""
              + other
              + "\"");
    }
    return checkCount(c, wanted, request.get(wanted), parsed.confirm());
  }

  /** Enables with a bare count: partitions for a PARTITION plan, replicas otherwise. */
  Reply enable(String compartmentId, int count) {
    CompartmentReport c = find(compartmentId);
    if (c == null) return unknown(compartmentId);
    if (c.plan() == Plan.KEEP) return keep(c);
    return checkCount(c, countName(c), (long) count, false);
  }

  private static String countName(CompartmentReport c) {
    return c.plan() == Plan.PARTITION ? "partitions" : "replicas";
  }

  private Reply checkCount(CompartmentReport c, String wanted, Object n, boolean confirm) {
    if (!(n instanceof Long count) || count < 1 || count > MAX_COUNT) {
      return Reply.error(
          400, "\"" + wanted + "\" must be a whole number from 1 to " + MAX_COUNT + ", got " + n);
    }
    if (!c.confirmed() && !confirm) {
      return Reply.error(
          409,
          "compartment "
              + c.id()
              + " needs a person's confirmation before it is enabled ("
              + (c.reasons().isEmpty() ? "see the report" : c.reasons().get(0))
              + "); review the report and send {\""
              + wanted
              + "\": "
              + n
              + ", \"confirm\": true}");
    }
    if (live == null) return notLive(c, "enable with " + wanted + "=" + n);
    LiveController.Outcome o = live.enable(c, serviceOf(c), count.intValue());
    return new Reply(o.status(), o.body());
  }

  private String serviceOf(CompartmentReport c) {
    for (ServiceReport s : reports.current().services()) {
      if (s.compartments().contains(c)) return s.service();
    }
    return null;
  }

  Reply disable(String compartmentId) {
    CompartmentReport c = find(compartmentId);
    if (c == null) return unknown(compartmentId);
    if (c.plan() == Plan.KEEP) return keep(c);
    if (live == null) return notLive(c, "disable");
    LiveController.Outcome o = live.disable(c.id());
    return new Reply(o.status(), o.body());
  }

  /**
   * Enables every compartment of the current report whose plan is not KEEP, with {@code count}
   * partitions or replicas each, as the person reviewing the report would: plans that need
   * confirmation are confirmed and said to be. One line per compartment, JSON after the id.
   */
  String enableInferred(int count) {
    return lines(enableEach(reports.current(), c -> null, count, true));
  }

  /**
   * Enables, with {@code count} partitions or replicas each, only the compartments that the
   * report's profile recommends scaling (a recommended count of 2 or more): those whose handler
   * time is large enough against the sequential core for more copies to pay. The others stay in the
   * host, where no routed call costs them a round trip. Without a measured profile, enables every
   * inferred compartment, as {@link #enableInferred} does, and says so.
   */
  String enableProfiled(int count) {
    Report report = reports.current();
    if (!report.profile().measured()) {
      return "the profile measured no handler time; enabling every inferred compartment\n"
          + enableInferred(count);
    }
    return lines(enableEach(report, profiledSkip(report.profile()), count, true));
  }

  /**
   * {@code POST /api/enable-profiled} with {@code {"partitions": N}} (or {@code "replicas"}, the
   * same count), and {@code "confirm": true} to enable plans that need confirmation: {@link
   * #enableProfiled(int)} for the endpoint. The reply lists each compartment with what was done.
   */
  Reply enableProfiled(String body) {
    EnableRequest parsed = EnableRequest.parse(body);
    if (parsed.refused() != null) return parsed.refused();
    Map<String, Object> request = parsed.members();
    if (request.containsKey("partitions") == request.containsKey("replicas")) {
      return Reply.error(400, "give one of \"partitions\" and \"replicas\": the count for each");
    }
    Object n =
        request.containsKey("partitions") ? request.get("partitions") : request.get("replicas");
    if (!(n instanceof Long count) || count < 1 || count > MAX_COUNT) {
      return Reply.error(
          400, "the count must be a whole number from 1 to " + MAX_COUNT + ", got " + n);
    }
    if (live == null) return Reply.error(409, "live compartmentalization is not available");
    Report report = reports.current();
    Profile profile = report.profile();
    if (!profile.measured()) {
      return Reply.error(
          409,
          "the profile has measured no handler time yet: let the service handle calls first, or"
              + " enable compartments by name");
    }
    List<Map<String, Object>> done = new ArrayList<>();
    for (Step step :
        enableEach(report, profiledSkip(profile), count.intValue(), parsed.confirm())) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("compartment", step.compartment().id());
      m.put("plan", step.compartment().plan().name());
      if (step.skipped() != null) {
        m.put("enabled", false);
        m.put("reason", step.skipped());
      } else {
        m.put("enabled", step.outcome().status() == 200);
        m.put("confirmedByCaller", !step.compartment().confirmed());
        m.put("result", step.outcome().body());
      }
      done.add(m);
    }
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("count", count);
    reply.put("compartments", done);
    return Reply.ok(reply);
  }

  /** Why the profile leaves a compartment in the host, or null to enable it. */
  private static Function<CompartmentReport, String> profiledSkip(Profile profile) {
    Map<String, Profile.Entry> byId = new LinkedHashMap<>();
    for (Profile.Entry e : profile.entries()) byId.put(e.compartment(), e);
    return c -> {
      Profile.Entry e = byId.get(c.id());
      if (e != null && e.recommended() >= 2) return null;
      return String.format(
          Locale.ROOT,
          "left in the host: the profile gives it %.1f%% of handler time and recommends %d%s",
          e == null ? 0.0 : profile.share(e) * 100,
          e == null ? 1 : e.recommended(),
          e == null || e.why() == null ? "" : " (" + e.why() + ")");
    };
  }

  /**
   * What was done with one compartment: skipped (with why), or enabled with {@code outcome}.
   *
   * @param outcome the enable's outcome; null when skipped
   */
  private record Step(
      CompartmentReport compartment, String skipped, LiveController.Outcome outcome) {}

  /**
   * Enables each compartment whose plan is not KEEP and for which {@code skip} gives null. A plan
   * that needs confirmation is enabled only with {@code confirm}.
   */
  private List<Step> enableEach(
      Report report, Function<CompartmentReport, String> skip, int count, boolean confirm) {
    List<Step> steps = new ArrayList<>();
    for (ServiceReport s : report.services()) {
      for (CompartmentReport c : s.compartments()) {
        if (c.plan() == Plan.KEEP) continue;
        String skipped = skip.apply(c);
        if (skipped == null && !c.confirmed() && !confirm) {
          skipped = "its plan needs confirmation: read its reasons, then give confirm";
        }
        if (skipped == null && live == null) skipped = "live compartmentalization is not available";
        steps.add(
            skipped != null
                ? new Step(c, skipped, null)
                : new Step(c, null, live.enable(c, s.service(), count)));
      }
    }
    return steps;
  }

  /** One line per compartment, the outcome's JSON after the id. */
  private static String lines(List<Step> steps) {
    StringBuilder out = new StringBuilder();
    for (Step step : steps) {
      CompartmentReport c = step.compartment();
      if (out.length() > 0) out.append('\n');
      out.append(c.id()).append(' ').append(c.plan());
      if (step.skipped() != null) {
        out.append(": ").append(step.skipped());
        continue;
      }
      if (!c.confirmed()) out.append(" (confirmed by the caller)");
      out.append(": ").append(Json.writeCompact(step.outcome().body()));
    }
    return out.length() == 0
        ? "no compartment can be enabled (every plan is KEEP)"
        : out.toString();
  }

  /** Disables everything enabled; one line per compartment. */
  String disableAll() {
    StringBuilder out = new StringBuilder();
    if (live == null) return "nothing is enabled";
    for (String id : live.enabledIds()) {
      if (out.length() > 0) out.append('\n');
      out.append(id).append(": ").append(Json.writeCompact(live.disable(id).body()));
    }
    return out.length() == 0 ? "nothing is enabled" : out.toString();
  }

  /** Compartment ids of the current report, for messages. */
  List<String> compartmentIds(Report report) {
    List<String> ids = new ArrayList<>();
    for (ServiceReport s : report.services()) {
      for (CompartmentReport c : s.compartments()) ids.add(c.id());
    }
    return ids;
  }

  private CompartmentReport find(String id) {
    for (ServiceReport s : reports.current().services()) {
      for (CompartmentReport c : s.compartments()) {
        if (c.id().equals(id)) return c;
      }
    }
    return null;
  }

  private Reply unknown(String id) {
    List<String> ids = compartmentIds(reports.current());
    return Reply.error(
        404,
        "no compartment \""
            + id
            + "\""
            + (ids.isEmpty()
                ? "; no compartment is known yet"
                : "; known: " + String.join(", ", ids)));
  }

  private static Reply keep(CompartmentReport c) {
    return Reply.error(
        409,
        "compartment "
            + c.id()
            + " has plan KEEP: it stays in the host ("
            + (c.reasons().isEmpty() ? "see the report" : c.reasons().get(0))
            + ")");
  }

  private Reply notLive(CompartmentReport c, String what) {
    return Reply.error(
        409,
        "cannot "
            + what
            + " on "
            + c.id()
            + " (plan "
            + c.plan()
            + "): live compartmentalization is not available in this version of the agent"
            + " (mode="
            + mode
            + "); the compartment keeps running in the host");
  }
}
