package io.compartment.analyzer.report;

import io.compartment.analyzer.json.Json;
import io.compartment.analyzer.json.JsonException;
import io.compartment.analyzer.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The analyzer's output, schema {@code compartment.report/1} (DESIGN section 4). */
public final class Report {
  public static final String SCHEMA = "compartment.report/1";
  private final List<ServiceReport> services;
  private final long measuredRouteNs;

  public Report(List<ServiceReport> services) {
    this(services, 0);
  }

  /**
   * @param measuredRouteNs the host's time per routed call as the agent measured it while routing,
   *     in ns; 0 when not measured.
   */
  public Report(List<ServiceReport> services, long measuredRouteNs) {
    this.services = List.copyOf(services);
    this.measuredRouteNs = Math.max(0, measuredRouteNs);
  }

  /** This report with the host's time per routed call measured by the agent (0: none). */
  public Report withMeasuredRouteNs(long ns) {
    return ns == measuredRouteNs ? this : new Report(services, ns);
  }

  /** The host's time per routed call as the agent measured it, in ns; 0 when not measured. */
  public long measuredRouteNs() {
    return measuredRouteNs;
  }

  public List<ServiceReport> services() {
    return services;
  }

  /** The service with this binary name, if it is in the report. */
  public Optional<ServiceReport> service(String name) {
    return services.stream().filter(s -> s.service().equals(name)).findFirst();
  }

  /** Where the handler time went and what to scale, derived from the services. */
  public Profile profile() {
    return Profile.of(this);
  }

  /** The document as maps and lists, ready for {@link Json#write}. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema", SCHEMA);
    List<Object> ss = new ArrayList<>();
    services.forEach(s -> ss.add(s.toJson()));
    m.put("services", ss);
    Map<String, Object> profile = profile().toJson();
    if (measuredRouteNs > 0) profile.put("routeCostMeasuredNs", measuredRouteNs);
    m.put("profile", profile);
    return m;
  }

  /** The document as indented JSON text, ending with a newline. */
  public String toJsonText() {
    return Json.write(toJson()) + "\n";
  }

  /** Writes the document to {@code file}, replacing it atomically where the file system allows. */
  public void write(Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir != null) Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, abs.getFileName().toString(), ".tmp");
    try {
      Files.writeString(tmp, toJsonText(), StandardCharsets.UTF_8);
      try {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Reads a report document.
   *
   * @param source where the text came from, for error messages
   * @throws JsonException naming the source and the line and column, or the member, at fault
   */
  public static Report fromJson(String text, String source) {
    JsonObject root = new JsonObject(Json.parse(text, source), source);
    String schema = root.string("schema", "");
    if (!SCHEMA.equals(schema)) {
      throw new JsonException(source, "schema is \"" + schema + "\", expected \"" + SCHEMA + "\"");
    }
    List<ServiceReport> services = new ArrayList<>();
    JsonReads.objects(root, "services").forEach(s -> services.add(ServiceReport.fromJson(s)));
    long measured = 0;
    if (root.has("profile")) measured = root.object("profile").number("routeCostMeasuredNs", 0);
    return new Report(services, measured);
  }

  @Override
  public String toString() {
    return toJsonText();
  }
}
