package io.compartment.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every answer the clients of this process received, by request id, written to the file named by
 * {@value #FILE_PROP} when the workload ends: one {@code <requestId> TAB <answer>} line per answer,
 * in request id order. Two runs of the same seeded workload (the monolith, and a run toggled
 * compartmentalized) can then be compared answer by answer. Off unless the property is set; only
 * clients that know their answers' request ids record them.
 */
public final class AnswerLog {
  public static final String FILE_PROP = "compartment.demo.answers";

  private static final Map<Long, String> ANSWERS = new TreeMap<>();

  private AnswerLog() {}

  static boolean enabled() {
    return System.getProperty(FILE_PROP) != null;
  }

  /** Notes one answer; called on the network's loop thread. */
  static synchronized void record(long requestId, Object answer) {
    String previous = ANSWERS.put(requestId, String.valueOf(answer));
    if (previous != null) {
      ANSWERS.put(requestId, previous + " AND AGAIN " + answer);
    }
  }

  /** Writes the file, if one is asked for. */
  static synchronized void write() {
    String file = System.getProperty(FILE_PROP);
    if (file == null) {
      return;
    }
    try (Writer w = Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8)) {
      for (Map.Entry<Long, String> e : ANSWERS.entrySet()) {
        w.write(e.getKey() + "\t" + e.getValue() + "\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the answers to " + file, e);
    }
  }
}
