package io.compartment.agent.config;

import io.compartment.analyzer.json.Json;
import io.compartment.analyzer.json.JsonException;
import io.compartment.analyzer.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a mapping file ({@code config=FILE}): {@code {"services": [{"class": "com.example.Kv",
 * "state": ["data"], "handlers": ["get"], "emit": ["reply"]}]}}. A malformed file, or a malformed
 * entry, is reported with its place and skipped; the entries that are well formed still apply.
 */
public final class MappingFile {
  private static final Set<String> KEYS = Set.of("class", "state", "handlers", "emit");

  private MappingFile() {}

  /** The entries read, and one message per problem found. */
  public record Result(List<ServiceMapping> services, List<String> errors) {}

  public static Result read(Path file) {
    List<ServiceMapping> services = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      errors.add("mapping file " + file + " cannot be read: " + e);
      return new Result(services, errors);
    }
    return parse(text, file.toString());
  }

  public static Result parse(String text, String source) {
    List<ServiceMapping> services = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    JsonObject root;
    try {
      root = new JsonObject(Json.parse(text, source), source);
    } catch (JsonException e) {
      errors.add("mapping file " + e.getMessage());
      return new Result(services, errors);
    }
    List<Object> entries;
    try {
      entries = root.list("services");
      if (!root.has("services")) {
        errors.add(
            "mapping file " + source + ": missing member \"services\" (an array of services)");
      }
    } catch (JsonException e) {
      errors.add("mapping file " + e.getMessage());
      return new Result(services, errors);
    }
    for (int i = 0; i < entries.size(); i++) {
      String where = source + ": services[" + i + "]";
      try {
        JsonObject o = new JsonObject(entries.get(i), where);
        for (String key : o.raw().keySet()) {
          if (!KEYS.contains(key)) {
            throw new JsonException(
                where
                    + ": unknown member \""
                    + key
                    + "\" (known: class, state,"
                    + " handlers, emit)",
                0,
                0);
          }
        }
        services.add(
            new ServiceMapping(
                o.string("class"),
                o.strings("state"),
                o.strings("handlers"),
                o.strings("emit"),
                where));
      } catch (JsonException e) {
        errors.add("mapping file " + e.getMessage());
      }
    }
    return new Result(services, errors);
  }
}
