package io.compartment.demo.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader for the agent's answers (the demos depend on the api alone, not on the
 * analyzer's JSON): objects become maps, arrays lists, numbers doubles, and the rest what one
 * expects.
 */
final class MiniJson {
  private final String text;
  private int at;

  private MiniJson(String text) {
    this.text = text;
  }

  static Object parse(String text) {
    MiniJson p = new MiniJson(text);
    Object v = p.value();
    p.space();
    if (p.at != text.length()) throw p.error("trailing text");
    return v;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object v) {
    if (!(v instanceof Map)) throw new IllegalArgumentException("not a JSON object: " + v);
    return (Map<String, Object>) v;
  }

  @SuppressWarnings("unchecked")
  static List<Object> array(Object v) {
    if (v == null) return List.of();
    if (!(v instanceof List)) throw new IllegalArgumentException("not a JSON array: " + v);
    return (List<Object>) v;
  }

  private Object value() {
    space();
    if (at >= text.length()) throw error("unexpected end");
    char c = text.charAt(at);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        return number();
    }
  }

  private Map<String, Object> object() {
    Map<String, Object> m = new LinkedHashMap<>();
    at++;
    space();
    if (peek() == '}') {
      at++;
      return m;
    }
    while (true) {
      space();
      String key = string();
      space();
      expect(':');
      m.put(key, value());
      space();
      char c = next();
      if (c == '}') return m;
      if (c != ',') throw error("expected , or }");
    }
  }

  private List<Object> array() {
    List<Object> l = new ArrayList<>();
    at++;
    space();
    if (peek() == ']') {
      at++;
      return l;
    }
    while (true) {
      l.add(value());
      space();
      char c = next();
      if (c == ']') return l;
      if (c != ',') throw error("expected , or ]");
    }
  }

  private String string() {
    expect('"');
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') return sb.toString();
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = next();
      switch (e) {
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'u' -> {
          if (at + 4 > text.length()) throw error("bad \\u escape");
          sb.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
          at += 4;
        }
        default -> sb.append(e);
      }
    }
  }

  private Object literal(String word, Object v) {
    if (!text.startsWith(word, at)) throw error("expected " + word);
    at += word.length();
    return v;
  }

  private Double number() {
    int start = at;
    while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) at++;
    if (start == at) throw error("unexpected character");
    return Double.parseDouble(text.substring(start, at));
  }

  private void space() {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) at++;
  }

  private char peek() {
    return at < text.length() ? text.charAt(at) : '\0';
  }

  private char next() {
    if (at >= text.length()) throw error("unexpected end");
    return text.charAt(at++);
  }

  private void expect(char c) {
    if (next() != c) throw error("expected " + c);
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("JSON: " + what + " at " + at);
  }
}
