package io.compartment.analyzer.json;

/**
 * A JSON document could not be read. A syntax error names the source, line and column; an error in
 * the document's structure (a missing or mistyped member) names where in the document it is, as a
 * path such as {@code trace.json.services[0].handlers[2]}, and has line and column 0 until located
 * with {@link Json#locate}.
 */
public final class JsonException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int line;
  private final int column;
  private final String where;
  private final String problem;

  public JsonException(String message, int line, int column) {
    super(message);
    this.line = line;
    this.column = column;
    this.where = null;
    this.problem = message;
  }

  /**
   * A structural error.
   *
   * @param where the path of the offending value ({@code source.services[0].handlers[2].fields})
   * @param problem what is wrong with it
   */
  public JsonException(String where, String problem) {
    super(where + ": " + problem);
    this.line = 0;
    this.column = 0;
    this.where = where;
    this.problem = problem;
  }

  /** One-based line of the problem; 0 for a structural error not yet located. */
  public int line() {
    return line;
  }

  /** One-based column of the problem; 0 for a structural error not yet located. */
  public int column() {
    return column;
  }

  /** For a structural error, the path of the value at fault; otherwise null. */
  public String where() {
    return where;
  }

  /** The problem without its location. */
  public String problem() {
    return problem;
  }
}
