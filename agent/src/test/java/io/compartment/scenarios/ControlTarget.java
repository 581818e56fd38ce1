package io.compartment.scenarios;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A service application that keeps running until told to stop (a file appears), so that the control
 * endpoint can be asked about it while it works. Accounts plans KEEP, DeepKeys PARTITION.
 */
public final class ControlTarget {
  private ControlTarget() {}

  public static void main(String[] args) throws Exception {
    Path stop = Path.of(args[0]);
    Accounts accounts = new Accounts();
    DeepKeys deep = new DeepKeys();
    Random r = new Random(5);
    long deadline = System.currentTimeMillis() + 90_000;
    int i = 0;
    while (!Files.exists(stop) && System.currentTimeMillis() < deadline) {
      accounts.deposit(new Messages.Deposit("acct" + r.nextInt(50), 1));
      accounts.transfer(new Messages.Transfer("acct" + r.nextInt(50), "b" + r.nextInt(50), 1));
      deep.onEnvelope(new Messages.Envelope(new Messages.Header(r.nextInt(300), "o"), "p" + i++));
      if (i % 1000 == 0) Thread.sleep(1);
    }
    System.out.println("SCENARIOS DONE");
  }
}
