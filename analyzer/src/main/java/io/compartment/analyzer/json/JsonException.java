package io.compartment.analyzer.json;

/** A JSON document could not be read; the message names the source, line and column. */
public final class JsonException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int line;
  private final int column;

  public JsonException(String message, int line, int column) {
    super(message);
    this.line = line;
    this.column = column;
  }

  /** One-based line of the problem. */
  public int line() {
    return line;
  }

  /** One-based column of the problem. */
  public int column() {
    return column;
  }
}
