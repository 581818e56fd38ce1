package io.compartment.analyzer.trace;

import io.compartment.analyzer.json.Json;
import io.compartment.analyzer.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's aggregated observations, schema {@code compartment.trace/1}: the input of the
 * analyzer. The agent writes one beside the report ({@code report.json} gets {@code
 * report.trace.json}) so that {@code ./compartment analyze} can classify again offline.
 */
public final class Trace {
  public static final String SCHEMA = "compartment.trace/1";
  private final Map<String, ServiceTrace> services = new LinkedHashMap<>();

  public Map<String, ServiceTrace> services() {
    return services;
  }

  public ServiceTrace service(String name) {
    return services.computeIfAbsent(name, ServiceTrace::new);
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema", SCHEMA);
    List<Object> ss = new ArrayList<>();
    services.values().forEach(s -> ss.add(s.toJson()));
    m.put("services", ss);
    return m;
  }

  /** Reads a trace document; errors name the source and the member at fault. */
  public static Trace fromJson(String text, String source) {
    JsonObject root = new JsonObject(Json.parse(text, source), source);
    String schema = root.string("schema", "");
    if (!SCHEMA.equals(schema)) {
      throw new io.compartment.analyzer.json.JsonException(
          source, "schema is \"" + schema + "\", expected \"" + SCHEMA + "\"");
    }
    Trace t = new Trace();
    List<Object> ss = root.list("services");
    for (int i = 0; i < ss.size(); i++) {
      ServiceTrace s =
          ServiceTrace.fromJson(new JsonObject(ss.get(i), source + ".services[" + i + "]"));
      t.services.put(s.service(), s);
    }
    return t;
  }
}
