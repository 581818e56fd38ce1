package io.compartment.analyzer.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer: objects become {@code LinkedHashMap<String,Object>} (key order
 * kept), arrays {@code ArrayList<Object>}, numbers {@code Long} when integral else {@code Double},
 * plus {@code String}, {@code Boolean} and {@code null}.
 *
 * <p>Kept in-house rather than pulling a JSON library into the shaded agent, and so that a
 * malformed mapping or trace file gets an error naming its line and column.
 */
public final class Json {
  private Json() {}

  /**
   * Parses one JSON document.
   *
   * @param text the document
   * @param source where the text came from (a file name), used in error messages
   * @throws JsonException naming the source, line and column of the first problem
   */
  public static Object parse(String text, String source) {
    Parser parser = new Parser(text, source);
    parser.skipWhitespace();
    Object value = parser.readValue();
    parser.skipWhitespace();
    if (parser.pos < text.length()) {
      throw parser.error("unexpected text after the JSON document");
    }
    return value;
  }

  /**
   * Finds where in {@code text} the value at {@code path} starts, for an error in a document's
   * structure. {@code path} is written as in {@link JsonException#where()} without its source
   * prefix: {@code .services[0].handlers[2].fields} (empty for the root). Where the path leads to a
   * value that is missing, the position of the deepest value found on the way is given.
   *
   * @return {@code {line, column}}, one-based; {@code {1, 1}} if the text cannot be parsed
   */
  public static int[] locate(String text, String path) {
    Parser parser = new Parser(text, "");
    parser.positions = new java.util.IdentityHashMap<>();
    parser.memberPositions = new java.util.IdentityHashMap<>();
    Object root;
    int at;
    try {
      parser.skipWhitespace();
      at = parser.pos;
      root = parser.readValue();
    } catch (JsonException e) {
      return new int[] {1, 1};
    }
    Object current = root;
    String rest = path == null ? "" : path;
    while (!rest.isEmpty() && current != null) {
      Map<Object, Integer> members = parser.memberPositions.get(current);
      if (members == null) break;
      Object key = null;
      int consumed = 0;
      if (rest.startsWith("[") && current instanceof List<?>) {
        int close = rest.indexOf(']');
        if (close < 0) break;
        try {
          int index = Integer.parseInt(rest.substring(1, close));
          if (index >= 0 && index < ((List<?>) current).size()) key = index;
        } catch (NumberFormatException e) {
          break;
        }
        consumed = close + 1;
      } else if (rest.startsWith(".") && current instanceof Map<?, ?> map) {
        // Member names may hold dots themselves: take the longest that fits.
        String best = null;
        for (Object k : map.keySet()) {
          String name = (String) k;
          if (rest.startsWith(name, 1)) {
            int end = 1 + name.length();
            boolean boundary =
                end == rest.length()
                    || rest.charAt(end) == '.'
                    || rest.charAt(end) == '['
                    || rest.charAt(end) == ':';
            if (boundary && (best == null || name.length() > best.length())) best = name;
          }
        }
        if (best == null) break;
        key = best;
        consumed = 1 + best.length();
      } else {
        break;
      }
      if (key == null) break;
      Integer p = members.get(key);
      if (p == null) break;
      at = p;
      current =
          current instanceof Map<?, ?> m ? m.get(key) : ((List<?>) current).get((Integer) key);
      rest = rest.substring(consumed);
    }
    parser.pos = at;
    JsonException e = parser.error("");
    return new int[] {e.line(), e.column()};
  }

  /** Writes {@code value} as indented JSON (two spaces), ending without a newline. */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder(256);
    write(value, out, 0, true);
    return out.toString();
  }

  /** Writes {@code value} as compact single-line JSON. */
  public static String writeCompact(Object value) {
    StringBuilder out = new StringBuilder(128);
    write(value, out, 0, false);
    return out.toString();
  }

  private static void write(Object value, StringBuilder out, int indent, boolean pretty) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      quote(s, out);
    } else if (value instanceof Boolean
        || value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      out.append(value);
    } else if (value instanceof Double d) {
      out.append(d.isNaN() || d.isInfinite() ? "null" : formatDouble(d));
    } else if (value instanceof Float f) {
      write(f.doubleValue(), out, indent, pretty);
    } else if (value instanceof Number n) {
      out.append(new BigDecimal(n.toString()).toPlainString());
    } else if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) out.append(',');
        first = false;
        newline(out, indent + 1, pretty);
        quote(String.valueOf(e.getKey()), out);
        out.append(pretty ? ": " : ":");
        write(e.getValue(), out, indent + 1, pretty);
      }
      newline(out, indent, pretty);
      out.append('}');
    } else if (value instanceof Collection<?> list) {
      if (list.isEmpty()) {
        out.append("[]");
        return;
      }
      boolean scalars = list.stream().noneMatch(v -> v instanceof Map || v instanceof Collection);
      out.append('[');
      boolean first = true;
      for (Object item : list) {
        if (!first) out.append(scalars && pretty ? ", " : ",");
        first = false;
        if (!scalars) newline(out, indent + 1, pretty);
        write(item, out, indent + 1, pretty);
      }
      if (!scalars) newline(out, indent, pretty);
      out.append(']');
    } else if (value instanceof JsonWritable w) {
      write(w.toJson(), out, indent, pretty);
    } else {
      quote(value.toString(), out);
    }
  }

  private static String formatDouble(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d) + ".0";
    }
    return Double.toString(d);
  }

  private static void newline(StringBuilder out, int indent, boolean pretty) {
    if (!pretty) return;
    out.append('\n');
    for (int i = 0; i < indent; i++) out.append("  ");
  }

  private static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** A value that knows its JSON form (a map, list or scalar as above). */
  public interface JsonWritable {
    Object toJson();
  }

  private static final class Parser {
    private final String text;
    private final String source;
    private int pos;
    // Only for locate(): where each member or element value starts, per container.
    java.util.IdentityHashMap<Object, Integer> positions;
    java.util.IdentityHashMap<Object, Map<Object, Integer>> memberPositions;

    Parser(String text, String source) {
      this.text = text;
      this.source = source;
    }

    Object readValue() {
      if (pos >= text.length()) throw error("unexpected end of input, expected a value");
      char c = text.charAt(pos);
      return switch (c) {
        case '{' -> readObject();
        case '[' -> readArray();
        case '"' -> readString();
        case 't' -> readLiteral("true", Boolean.TRUE);
        case 'f' -> readLiteral("false", Boolean.FALSE);
        case 'n' -> readLiteral("null", null);
        default -> {
          if (c == '-' || (c >= '0' && c <= '9')) yield readNumber();
          throw error("unexpected character '" + c + "', expected a value");
        }
      };
    }

    private Map<String, Object> readObject() {
      Map<String, Object> map = new LinkedHashMap<>();
      pos++;
      skipWhitespace();
      if (peek() == '}') {
        pos++;
        return map;
      }
      while (true) {
        skipWhitespace();
        if (peek() != '"') throw error("expected a quoted member name");
        int keyAt = pos;
        String key = readString();
        if (map.containsKey(key)) {
          pos = keyAt;
          throw error("duplicate member \"" + key + "\"");
        }
        skipWhitespace();
        expect(':');
        skipWhitespace();
        if (memberPositions != null) {
          memberPositions.computeIfAbsent(map, k -> new java.util.HashMap<>()).put(key, pos);
        }
        map.put(key, readValue());
        skipWhitespace();
        char c = peek();
        if (c == ',') {
          pos++;
        } else if (c == '}') {
          pos++;
          return map;
        } else {
          throw error("expected ',' or '}' in an object");
        }
      }
    }

    private List<Object> readArray() {
      List<Object> list = new ArrayList<>();
      pos++;
      skipWhitespace();
      if (peek() == ']') {
        pos++;
        return list;
      }
      while (true) {
        skipWhitespace();
        if (memberPositions != null) {
          memberPositions
              .computeIfAbsent(list, k -> new java.util.HashMap<>())
              .put(list.size(), pos);
        }
        list.add(readValue());
        skipWhitespace();
        char c = peek();
        if (c == ',') {
          pos++;
        } else if (c == ']') {
          pos++;
          return list;
        } else {
          throw error("expected ',' or ']' in an array");
        }
      }
    }

    private String readString() {
      pos++;
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (pos >= text.length()) throw error("unterminated string");
        char c = text.charAt(pos++);
        if (c == '"') return sb.toString();
        if (c == '\\') {
          if (pos >= text.length()) throw error("unterminated escape");
          char e = text.charAt(pos++);
          switch (e) {
            case '"', '\\', '/' -> sb.append(e);
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> {
              if (pos + 4 > text.length()) throw error("bad \\u escape");
              try {
                sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
              } catch (NumberFormatException ex) {
                throw error("bad \\u escape");
              }
              pos += 4;
            }
            default -> {
              pos--;
              throw error("bad escape '\\" + e + "'");
            }
          }
        } else if (c < 0x20) {
          pos--;
          throw error("control character in string");
        } else {
          sb.append(c);
        }
      }
    }

    private Object readNumber() {
      int start = pos;
      if (peek() == '-') pos++;
      while (pos < text.length() && "0123456789.eE+-".indexOf(text.charAt(pos)) >= 0) pos++;
      String n = text.substring(start, pos);
      try {
        if (n.contains(".") || n.contains("e") || n.contains("E")) return Double.parseDouble(n);
        return Long.parseLong(n);
      } catch (NumberFormatException ex) {
        pos = start;
        throw error("malformed number '" + n + "'");
      }
    }

    private Object readLiteral(String word, Object value) {
      if (!text.startsWith(word, pos)) throw error("unexpected token, expected " + word);
      pos += word.length();
      return value;
    }

    private void expect(char c) {
      if (peek() != c) throw error("expected '" + c + "'");
      pos++;
    }

    private char peek() {
      if (pos >= text.length()) throw error("unexpected end of input");
      return text.charAt(pos);
    }

    void skipWhitespace() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    JsonException error(String message) {
      int line = 1;
      int col = 1;
      for (int i = 0; i < pos && i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          line++;
          col = 1;
        } else {
          col++;
        }
      }
      return new JsonException(source + ":" + line + ":" + col + ": " + message, line, col);
    }
  }
}
