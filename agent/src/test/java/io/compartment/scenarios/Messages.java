package io.compartment.scenarios;

/** Message types of the rule scenarios. */
final class Messages {
  private Messages() {}

  record Request(String client, int seq) {}

  record Assigned(String client, long id) {}

  record Prepare(long ballot) {}

  record Promise(long ballot) {}

  record Transfer(String from, String to, long amount) {}

  record Deposit(String account, long amount) {}

  record Append(long slot, String value) {}

  record Truncate(long upTo) {}

  record Vote(long request, int voter) {}

  record Entry(long slot, String value) {}

  record Write(String key, long delta) {}

  record Read(String key) {}

  record Upsert(String key, int value) {}

  record Peers(java.util.List<String> list) {}

  record Ping(String from) {}

  /** A message written as a plain class with getters, the key two levels deep. */
  static final class Envelope {
    private final Header header;
    private final String payload;

    Envelope(Header header, String payload) {
      this.header = header;
      this.payload = payload;
    }

    public Header getHeader() {
      return header;
    }

    public String getPayload() {
      return payload;
    }
  }

  static final class Header {
    private final long txId;
    private final String origin;

    Header(long txId, String origin) {
      this.txId = txId;
      this.origin = origin;
    }

    public long getTxId() {
      return txId;
    }

    public String getOrigin() {
      return origin;
    }
  }
}
