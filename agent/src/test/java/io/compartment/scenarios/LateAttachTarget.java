package io.compartment.scenarios;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A running application that the agent is attached to late (agentmain): its service class is loaded
 * and in use before the agent arrives, so it must be retransformed in place.
 */
public final class LateAttachTarget {
  private LateAttachTarget() {}

  public static void main(String[] args) throws Exception {
    Path go = Path.of(args[0]);
    Accounts accounts = new Accounts();
    Random r = new Random(3);
    accounts.deposit(new Messages.Deposit("before", 1));
    System.out.println("READY");
    System.out.flush();
    long deadline = System.currentTimeMillis() + 60_000;
    while (!Files.exists(go) && System.currentTimeMillis() < deadline) {
      accounts.deposit(new Messages.Deposit("acct" + r.nextInt(50), 1));
      Thread.sleep(1);
    }
    for (int i = 0; i < 2000; i++) {
      accounts.deposit(new Messages.Deposit("acct" + r.nextInt(50), 1 + r.nextInt(5)));
      accounts.transfer(new Messages.Transfer("acct" + r.nextInt(50), "x" + r.nextInt(50), 1));
    }
    System.out.println("SCENARIOS DONE");
  }
}
