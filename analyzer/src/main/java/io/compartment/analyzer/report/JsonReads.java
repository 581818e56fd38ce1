package io.compartment.analyzer.report;

import io.compartment.analyzer.json.JsonException;
import io.compartment.analyzer.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checked reads shared by the report model's {@code fromJson} methods. */
final class JsonReads {
  private JsonReads() {}

  static <E extends Enum<E>> E enumValue(JsonObject o, String key, Class<E> type) {
    String v = o.string(key);
    try {
      return Enum.valueOf(type, v);
    } catch (IllegalArgumentException e) {
      throw new JsonException(
          o.where() + "." + key,
          "unknown value \""
              + v
              + "\", expected one of "
              + Arrays.toString(type.getEnumConstants()));
    }
  }

  static <E extends Enum<E>> List<E> enumList(JsonObject o, String key, Class<E> type) {
    List<String> names = o.strings(key);
    List<E> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      try {
        out.add(Enum.valueOf(type, names.get(i)));
      } catch (IllegalArgumentException e) {
        throw new JsonException(
            o.where() + "." + key + "[" + i + "]",
            "unknown value \""
                + names.get(i)
                + "\", expected one of "
                + Arrays.toString(type.getEnumConstants()));
      }
    }
    return out;
  }

  /** An object member as a map, or null when absent or null. */
  static Map<String, Object> objectOrNull(JsonObject o, String key) {
    return o.has(key) ? new LinkedHashMap<>(o.object(key).raw()) : null;
  }

  static Map<String, String> stringMap(JsonObject o, String key) {
    Map<String, String> out = new LinkedHashMap<>();
    if (!o.has(key)) return out;
    JsonObject m = o.object(key);
    for (String k : m.raw().keySet()) out.put(k, m.string(k));
    return out;
  }

  static String stringOrNull(JsonObject o, String key) {
    return o.has(key) ? o.string(key) : null;
  }

  static boolean requiredBool(JsonObject o, String key) {
    if (!o.has(key)) throw new JsonException(o.where(), "missing member \"" + key + "\"");
    return o.bool(key, false);
  }

  static List<JsonObject> objects(JsonObject o, String key) {
    List<Object> raw = o.list(key);
    List<JsonObject> out = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++)
      out.add(new JsonObject(raw.get(i), o.where() + "." + key + "[" + i + "]"));
    return out;
  }
}
