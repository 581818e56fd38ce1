package io.compartment.transport.codec;

/**
 * Thrown when a value cannot be encoded, or bytes cannot be decoded, by {@link MessageCodec}.
 *
 * <p>Decoding failures carry the byte offset (absolute index in the buffer) at which the problem
 * was found, or {@code -1} when no offset applies (for example an encoding failure).
 */
public final class CodecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int offset;

  /**
   * @param message what went wrong.
   * @param offset absolute buffer index at which it went wrong, or {@code -1}.
   */
  public CodecException(final String message, final int offset) {
    this(message, offset, null);
  }

  /**
   * @param message what went wrong.
   * @param offset absolute buffer index at which it went wrong, or {@code -1}.
   * @param cause the underlying failure, may be {@code null}.
   */
  public CodecException(final String message, final int offset, final Throwable cause) {
    super(offset >= 0 ? message + " (at offset " + offset + ")" : message, cause);
    this.offset = offset;
  }

  /**
   * @return absolute buffer index at which decoding failed, or {@code -1} when not applicable.
   */
  public int offset() {
    return offset;
  }
}
