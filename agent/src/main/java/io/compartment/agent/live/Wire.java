package io.compartment.agent.live;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Frames exchanged between the host and a worker. Every frame starts with a fixed header; the body,
 * where there is one, is a {@link io.compartment.transport.codec.MessageCodec} value that may name
 * only classes the service registered.
 *
 * <pre>
 *   0  byte  type
 *   1  byte  flags
 *   8  long  sequence number (host-assigned, per worker, from 1; 0 on frames that carry none)
 *  16  long  ack: host to worker, the highest sequence whose result the host has taken;
 *            worker to host, the last sequence applied (on HELLO)
 *  24  int   handler index in the worker setup (CALL), else 0
 *  28  ...   body
 * </pre>
 *
 * <p>Host to worker: {@link #CALL}, {@link #LOAD} (state share and configuration at enable), {@link
 * #COLLECT} (send your state back; it follows every call sent before it). Worker to host: {@link
 * #HELLO} (ready, with the last sequence applied), {@link #RESULT} (the return value, the emits, or
 * the failure of one call, load or collect), {@link #FAULT} (a frame the worker could not read).
 */
final class Wire {
  static final byte CALL = 1;
  static final byte LOAD = 2;
  static final byte COLLECT = 3;
  static final byte HELLO = 10;
  static final byte RESULT = 11;
  static final byte FAULT = 12;

  /** RESULT flag: the handler threw; the body is its message. */
  static final byte FLAG_FAILED = 1;

  /** RESULT flag: a replay of a result already sent once (the host drops it if it has it). */
  static final byte FLAG_REPLAY = 2;

  static final int TYPE = 0;
  static final int FLAGS = 1;
  static final int SEQ = 8;
  static final int ACK = 16;
  static final int HANDLER = 24;
  static final int BODY = 28;

  private Wire() {}

  static void header(
      MutableDirectBuffer b, byte type, byte flags, long seq, long ack, int handler) {
    b.putByte(TYPE, type);
    b.putByte(FLAGS, flags);
    b.putShort(2, (short) 0);
    b.putInt(4, 0);
    b.putLong(SEQ, seq);
    b.putLong(ACK, ack);
    b.putInt(HANDLER, handler);
  }

  static String describe(DirectBuffer b, int offset, int length) {
    if (length < BODY)
      return "frame of " + length + " bytes (shorter than the " + BODY + "-byte header)";
    return "frame type "
        + b.getByte(offset + TYPE)
        + " seq "
        + b.getLong(offset + SEQ)
        + " ("
        + length
        + " bytes)";
  }
}
