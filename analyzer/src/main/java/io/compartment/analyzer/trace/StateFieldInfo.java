package io.compartment.analyzer.trace;

import io.compartment.analyzer.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A declared {@code @State} field.
 *
 * @param id the name used in reports: the field name when it is declared on the service class,
 *     {@code SimpleOwner.field} when it is held by another class
 * @param owner binary name of the declaring class
 * @param name the field's name
 * @param type binary name of the field's declared type
 * @param kind the shape, from the declared type
 */
public record StateFieldInfo(String id, String owner, String name, String type, StateKind kind) {
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("field", id);
    m.put("owner", owner);
    m.put("name", name);
    m.put("type", type);
    m.put("kind", kind.name());
    return m;
  }

  public static StateFieldInfo fromJson(JsonObject o) {
    String kind = o.string("kind", "OBJECT");
    StateKind k;
    try {
      k = StateKind.valueOf(kind);
    } catch (IllegalArgumentException e) {
      throw new io.compartment.analyzer.json.JsonException(
          o.where() + ".kind", "unknown state kind \"" + kind + "\"");
    }
    return new StateFieldInfo(
        o.string("field"),
        o.string("owner"),
        o.string("name"),
        o.string("type", "java.lang.Object"),
        k);
  }
}
