package io.compartment.scenarios;

import io.compartment.scenarios.Messages.Append;
import io.compartment.scenarios.Messages.Deposit;
import io.compartment.scenarios.Messages.Entry;
import io.compartment.scenarios.Messages.Envelope;
import io.compartment.scenarios.Messages.Header;
import io.compartment.scenarios.Messages.Peers;
import io.compartment.scenarios.Messages.Ping;
import io.compartment.scenarios.Messages.Prepare;
import io.compartment.scenarios.Messages.Request;
import io.compartment.scenarios.Messages.Transfer;
import io.compartment.scenarios.Messages.Truncate;
import io.compartment.scenarios.Messages.Upsert;
import io.compartment.scenarios.Messages.Vote;
import java.util.List;
import java.util.Random;

/**
 * Drives every rule scenario with a seeded workload; run in a child JVM under the real agent by the
 * integration tests. Prints {@code SCENARIOS DONE} last so a test can tell it ran to the end.
 */
public final class Scenarios {
  private Scenarios() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    Random r = new Random(42);
    Sequencer sequencer = new Sequencer();
    MaxRegister max = new MaxRegister();
    Accounts accounts = new Accounts();
    TruncatingLog log = new TruncatingLog();
    DeepKeys deep = new DeepKeys();
    Helpers helpers = new Helpers();
    Ledgered ledgered = new Ledgered();
    Misc misc = new Misc();
    for (int i = 0; i < n; i++) {
      sequencer.assign(new Request("c" + r.nextInt(10), i));
      sequencer.count(new Request("c" + r.nextInt(10), i));
      max.promise(new Prepare(r.nextInt(1000)));
      accounts.deposit(new Deposit("acct" + r.nextInt(200), 1 + r.nextInt(10)));
      accounts.transfer(new Transfer("acct" + r.nextInt(200), "acct" + (200 + r.nextInt(200)), 1));
      log.append(new Append(i, "v" + i));
      if (i % 50 == 49) log.truncate(new Truncate(i - 10));
      deep.onEnvelope(new Envelope(new Header(r.nextInt(500), "n" + r.nextInt(3)), "p" + i));
      helpers.onVote(new Vote(i / 3, i % 3));
      ledgered.onEntry(new Entry(r.nextInt(1000), "e" + i));
      misc.relay(new Ping("n" + r.nextInt(5)));
      misc.upsert(new Upsert("k" + r.nextInt(100), r.nextInt()));
      if (i % 500 == 0) misc.reconfigure(new Peers(List.of("a", "b", "c" + i)));
    }
    System.out.println("SCENARIOS DONE");
  }
}
