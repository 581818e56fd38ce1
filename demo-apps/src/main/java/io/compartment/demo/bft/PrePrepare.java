package io.compartment.demo.bft;

/** The sequencer's order: {@code request} is number {@code seq}, with the sequencer's code. */
public record PrePrepare(long seq, SignedRequest request, byte[] mac) {

  /** The text the sequencer's code covers. */
  public String text() {
    return seq + "#" + request.text();
  }
}
