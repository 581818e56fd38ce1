package io.compartment.analyzer.cli;

import io.compartment.analyzer.classify.Classifier;
import io.compartment.analyzer.json.Json;
import io.compartment.analyzer.json.JsonException;
import io.compartment.analyzer.report.Report;
import io.compartment.analyzer.trace.Trace;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/** Reads a trace or a report file, with one-line errors that name the file, line and column. */
final class Documents {
  private Documents() {}

  /** A document that could not be read; the message is {@code file:line:col: problem}. */
  static final class BadDocument extends Exception {
    private static final long serialVersionUID = 1L;

    BadDocument(String message) {
      super(message);
    }
  }

  /** What a file held: a trace (then also classified) or a report. */
  record Loaded(Trace trace, Report report) {}

  static Loaded load(Path file) throws BadDocument {
    String source = file.toString();
    String text = read(file);
    try {
      Object root = Json.parse(text, source);
      if (!(root instanceof Map<?, ?> map)) {
        throw new BadDocument(source + ":1:1: expected a JSON object with a \"schema\" member");
      }
      Object schema = map.get("schema");
      if (Trace.SCHEMA.equals(schema)) {
        Trace trace = Trace.fromJson(text, source);
        return new Loaded(trace, Classifier.classify(trace));
      }
      if (Report.SCHEMA.equals(schema)) {
        return new Loaded(null, Report.fromJson(text, source));
      }
      int[] at = Json.locate(text, map.containsKey("schema") ? ".schema" : "");
      throw new BadDocument(
          source
              + ":"
              + at[0]
              + ":"
              + at[1]
              + ": schema is "
              + (schema == null ? "missing" : "\"" + schema + "\"")
              + ", expected \""
              + Trace.SCHEMA
              + "\" (a trace) or \""
              + Report.SCHEMA
              + "\" (a report)");
    } catch (JsonException e) {
      throw new BadDocument(describe(e, text, source));
    }
  }

  /** The file's text; a missing or unreadable file becomes a one-line error. */
  static String read(Path file) throws BadDocument {
    String source = file.toString();
    try {
      if (Files.isDirectory(file))
        throw new BadDocument(source + ": is a directory, expected a JSON file");
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new BadDocument(source + ": no such file");
    } catch (AccessDeniedException e) {
      throw new BadDocument(source + ": permission denied");
    } catch (MalformedInputException e) {
      throw new BadDocument(source + ":1:1: not UTF-8 text");
    } catch (IOException e) {
      throw new BadDocument(source + ": cannot read: " + e.getMessage());
    }
  }

  /**
   * {@code file:line:col: problem} for a syntax error or a structural one (located in the text).
   */
  static String describe(JsonException e, String text, String source) {
    if (e.line() > 0) return e.getMessage();
    String where = e.where();
    if (where != null && where.startsWith(source)) {
      String path = where.substring(source.length());
      int[] at = Json.locate(text, path);
      String member =
          path.isEmpty() ? "" : (path.startsWith(".") ? path.substring(1) : path) + ": ";
      return source + ":" + at[0] + ":" + at[1] + ": " + member + e.problem();
    }
    return source + ":1:1: " + e.getMessage();
  }
}
