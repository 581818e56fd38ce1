package io.compartment.scenarios;

import io.compartment.scenarios.strangers.Stranger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * A service application for live routing tests: it writes and reads registers (Registers) and shelf
 * items (Shelf) until a file {@code stop} appears in the folder given as {@code args[0]}, and
 * checks every read against the writes it made: a read that disagrees (a write lost, applied twice
 * or out of order, wherever the compartment runs) counts as wrong; a call that throws counts as
 * failed (a write that threw is taken as not applied, so a later read would show it if it was).
 * About every 200 ms it prints {@code PROGRESS reads=R wrong=W failed=F}; at the end {@code LIVE
 * DONE writes=N reads=R wrong=W failed=F}. It exits 1 if any read was wrong, else 2 if any call
 * failed, else 0.
 *
 * <p>While a file {@code writes-only} exists in the folder (looked for every 1,000 calls), it only
 * writes registers: no reads, no shelf calls. The writes are void calls, so they go out as fast as
 * the streams take them. {@code PROGRESS} lines end with {@code writes=N}.
 *
 * <p>When a file {@code stranger} appears in the folder, it puts one Shelf item whose payload is a
 * {@link Stranger} and writes what happened (the exception, or {@code no exception}) to {@code
 * stranger.out}.
 */
public final class LiveTarget {
  private LiveTarget() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Path stop = dir.resolve("stop");
    Path strangerTrigger = dir.resolve("stranger");
    boolean strangerSent = false;
    Registers registers = new Registers();
    Shelf shelf = new Shelf();
    Map<String, Long> expected = new HashMap<>();
    Map<String, Object> shelved = new HashMap<>();
    long writes = 0;
    long reads = 0;
    long wrong = 0;
    long failed = 0;
    Random r = new Random(11);
    long deadline = System.currentTimeMillis() + 150_000;
    long nextProgress = 0;
    Path writesOnlyTrigger = dir.resolve("writes-only");
    boolean writesOnly = false;
    for (int i = 1; !Files.exists(stop) && System.currentTimeMillis() < deadline; i++) {
      if (i % 1000 == 0) writesOnly = Files.exists(writesOnlyTrigger);
      String key = "r" + r.nextInt(100);
      writes++;
      try {
        registers.write(new Messages.Write(key, 1));
        expected.merge(key, 1L, Long::sum); // a write that threw must not have taken effect
      } catch (RuntimeException e) {
        failed++;
        if (failed <= 5) System.out.println("FAILED WRITE " + key + ": " + e);
      }
      if (i % 10 == 0 && !writesOnly) {
        String k = "r" + r.nextInt(100);
        reads++;
        try {
          long got = registers.read(new Messages.Read(k));
          if (got != expected.getOrDefault(k, 0L)) {
            wrong++;
            if (wrong <= 5) {
              System.out.println("WRONG READ " + k + ": " + got + " != " + expected.get(k));
            }
          }
        } catch (RuntimeException e) {
          failed++;
          if (failed <= 5) System.out.println("FAILED READ " + k + ": " + e);
        }
      }
      if (i % 20 == 0 && !writesOnly) {
        String k = "s" + r.nextInt(50);
        Long v = (long) i;
        try {
          shelf.put(new Shelf.Item(k, v));
          shelved.put(k, v);
        } catch (RuntimeException e) {
          failed++;
          if (failed <= 5) System.out.println("FAILED SHELF WRITE " + k + ": " + e);
        }
      }
      if (i % 50 == 0 && !writesOnly) {
        String k = "s" + r.nextInt(50);
        reads++;
        try {
          Object got = shelf.get(new Messages.Read(k));
          if (!java.util.Objects.equals(got, shelved.get(k))) {
            wrong++;
            if (wrong <= 5) {
              System.out.println("WRONG SHELF READ " + k + ": " + got + " != " + shelved.get(k));
            }
          }
        } catch (RuntimeException e) {
          failed++;
          if (failed <= 5) System.out.println("FAILED SHELF READ " + k + ": " + e);
        }
      }
      if (!strangerSent && i % 100 == 0 && Files.exists(strangerTrigger)) {
        strangerSent = true;
        String outcome;
        try {
          shelf.put(new Shelf.Item("stranger", new Stranger("x")));
          outcome = "no exception";
        } catch (RuntimeException e) {
          outcome = e.toString();
        }
        Files.writeString(dir.resolve("stranger.out.tmp"), outcome, StandardCharsets.UTF_8);
        Files.move(dir.resolve("stranger.out.tmp"), dir.resolve("stranger.out"));
      }
      if (i % 1000 == 0) Thread.sleep(1);
      long now = System.currentTimeMillis();
      if (now >= nextProgress) {
        nextProgress = now + 200;
        System.out.println(
            "PROGRESS reads="
                + reads
                + " wrong="
                + wrong
                + " failed="
                + failed
                + " writes="
                + writes);
      }
    }
    System.out.println(
        "LIVE DONE writes=" + writes + " reads=" + reads + " wrong=" + wrong + " failed=" + failed);
    if (wrong > 0) System.exit(1);
    if (failed > 0) System.exit(2);
  }
}
