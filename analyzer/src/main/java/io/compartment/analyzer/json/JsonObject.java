package io.compartment.analyzer.json;

import java.util.List;
import java.util.Map;

/**
 * Typed, checked reads of a parsed JSON object, so that a wrong document gets an error that names
 * the member and where it is ({@code where} is a path such as {@code services[0].handlers[2]}).
 */
public final class JsonObject {
  private final Map<String, Object> map;
  private final String where;

  public JsonObject(Object value, String where) {
    if (!(value instanceof Map)) {
      throw new JsonException(where, "expected a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) value;
    this.map = m;
    this.where = where;
  }

  public String where() {
    return where;
  }

  public boolean has(String key) {
    return map.containsKey(key) && map.get(key) != null;
  }

  public Map<String, Object> raw() {
    return map;
  }

  public String string(String key) {
    Object v = require(key);
    if (!(v instanceof String s)) throw wrong(key, "a string");
    return s;
  }

  public String string(String key, String fallback) {
    return has(key) ? string(key) : fallback;
  }

  public long number(String key, long fallback) {
    if (!has(key)) return fallback;
    Object v = map.get(key);
    if (!(v instanceof Number n)) throw wrong(key, "a number");
    return n.longValue();
  }

  public boolean bool(String key, boolean fallback) {
    if (!has(key)) return fallback;
    Object v = map.get(key);
    if (!(v instanceof Boolean b)) throw wrong(key, "true or false");
    return b;
  }

  public List<Object> list(String key) {
    if (!has(key)) return List.of();
    Object v = map.get(key);
    if (!(v instanceof List<?> l)) throw wrong(key, "an array");
    @SuppressWarnings("unchecked")
    List<Object> list = (List<Object>) l;
    return list;
  }

  public List<String> strings(String key) {
    List<Object> raw = list(key);
    for (int i = 0; i < raw.size(); i++) {
      if (!(raw.get(i) instanceof String)) {
        throw new JsonException(where + "." + key + "[" + i + "]", "expected a string");
      }
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<String> strings = (List) raw;
    return strings;
  }

  public JsonObject object(String key) {
    return new JsonObject(require(key), where + "." + key);
  }

  private Object require(String key) {
    if (!has(key)) {
      throw new JsonException(where, "missing member \"" + key + "\"");
    }
    return map.get(key);
  }

  private JsonException wrong(String key, String expected) {
    return new JsonException(where + "." + key, "expected " + expected);
  }
}
