package io.compartment.scenarios;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A service application that keeps running until told to stop (a file appears), so that the control
 * endpoint can be asked about it while it works. Accounts plans KEEP, DeepKeys and Registers
 * PARTITION. Every read of a register is checked against the writes made so far: a read that
 * disagrees (a write lost, applied twice or out of order, wherever the compartment runs) makes the
 * application exit with status 1.
 */
public final class ControlTarget {
  private ControlTarget() {}

  public static void main(String[] args) throws Exception {
    Path stop = Path.of(args[0]);
    Accounts accounts = new Accounts();
    DeepKeys deep = new DeepKeys();
    Registers registers = new Registers();
    java.util.Map<String, Long> expected = new java.util.HashMap<>();
    long reads = 0;
    long wrong = 0;
    Random r = new Random(5);
    long deadline = System.currentTimeMillis() + 90_000;
    int i = 0;
    while (!Files.exists(stop) && System.currentTimeMillis() < deadline) {
      accounts.deposit(new Messages.Deposit("acct" + r.nextInt(50), 1));
      accounts.transfer(new Messages.Transfer("acct" + r.nextInt(50), "b" + r.nextInt(50), 1));
      deep.onEnvelope(new Messages.Envelope(new Messages.Header(r.nextInt(300), "o"), "p" + i++));
      String key = "r" + r.nextInt(100);
      registers.write(new Messages.Write(key, 1));
      expected.merge(key, 1L, Long::sum);
      if (i % 10 == 0) {
        String k = "r" + r.nextInt(100);
        long got = registers.read(new Messages.Read(k));
        reads++;
        if (got != expected.getOrDefault(k, 0L)) {
          wrong++;
          if (wrong <= 5)
            System.out.println("WRONG READ " + k + ": " + got + " != " + expected.get(k));
        }
      }
      if (i % 1000 == 0) Thread.sleep(1);
    }
    System.out.println("SCENARIOS DONE reads=" + reads + " wrong=" + wrong);
    if (wrong > 0) System.exit(1);
  }
}
