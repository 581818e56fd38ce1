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

  public Report(List<ServiceReport> services) {
    this.services = List.copyOf(services);
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
    m.put("profile", profile().toJson());
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
    return new Report(services);
  }

  @Override
  public String toString() {
    return toJsonText();
  }
}
