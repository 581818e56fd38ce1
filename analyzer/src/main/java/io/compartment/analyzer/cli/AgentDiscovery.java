package io.compartment.analyzer.cli;

import io.compartment.analyzer.json.Json;
import io.compartment.analyzer.json.JsonObject;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds running agents through their discovery files: {@code
 * <java.io.tmpdir>/compartment-<user>/<pid>.json} with pid, host, port and token. The agent writes
 * them (readable only by its user) and removes them at exit; a file whose pid no longer lives is
 * stale and ignored.
 */
public final class AgentDiscovery {
  private AgentDiscovery() {}

  /** A running agent's control endpoint. */
  public record Endpoint(long pid, String host, int port, String token) {
    String base() {
      return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /** The folder of discovery files of the current user. */
  public static Path folder() {
    return Path.of(
        System.getProperty("java.io.tmpdir"),
        "compartment-"
            + System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_"));
  }

  /** Every live agent announced in {@link #folder()}. */
  public static List<Endpoint> running() throws IOException {
    List<Endpoint> found = new ArrayList<>();
    Path dir = folder();
    if (!Files.isDirectory(dir)) return found;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path f : files) {
        try {
          Endpoint e = read(f);
          if (ProcessHandle.of(e.pid()).map(ProcessHandle::isAlive).orElse(false)) found.add(e);
        } catch (RuntimeException | IOException unreadable) {
          // a file being written, or not ours: skip it
        }
      }
    }
    return found;
  }

  static Endpoint read(Path file) throws IOException {
    JsonObject o = new JsonObject(Json.parse(Files.readString(file), file.toString()), "discovery");
    return new Endpoint(
        o.number("pid", -1), o.string("host"), (int) o.number("port", 0), o.string("token"));
  }
}
