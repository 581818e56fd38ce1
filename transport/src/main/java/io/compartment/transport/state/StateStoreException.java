package io.compartment.transport.state;

import java.nio.file.Path;

/**
 * A partition store could not be opened or used: the file is corrupt or truncated, is held by
 * another process, or an I/O operation failed. The message always names the file and what is wrong.
 */
public class StateStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /**
   * @param file the file concerned.
   * @param message what is wrong with it.
   * @param cause the underlying failure, may be null.
   */
  public StateStoreException(final Path file, final String message, final Throwable cause) {
    super(file + ": " + message + (cause == null ? "" : " (" + cause + ")"), cause);
    this.file = file;
  }

  /**
   * @param file the file concerned.
   * @param message what is wrong with it.
   */
  public StateStoreException(final Path file, final String message) {
    this(file, message, null);
  }

  /**
   * @return the file concerned.
   */
  public Path file() {
    return file;
  }
}
