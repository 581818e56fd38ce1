package io.compartment.agent.control;

import io.compartment.analyzer.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a running agent announces itself, as the JDK's attach mechanism does: {@code
 * <java.io.tmpdir>/compartment-<user>/<pid>.json} holding pid, host, port and token, in a folder
 * only its user may enter and a file only its user may read. Removed at exit.
 */
public final class DiscoveryFile {
  private DiscoveryFile() {}

  /** The folder of discovery files for the current user (shared with the command line). */
  public static Path folder() {
    return io.compartment.analyzer.cli.AgentDiscovery.folder();
  }

  static Path write(String host, int port, String token) throws IOException {
    Path dir = folder();
    Files.createDirectories(dir);
    ownerOnly(dir, "rwx------");
    removeStale(dir);
    long pid = ProcessHandle.current().pid();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pid", pid);
    m.put("host", host);
    m.put("port", port);
    m.put("token", token);
    m.put("command", ProcessHandle.current().info().command().orElse(""));
    Path file = dir.resolve(pid + ".json");
    Path tmp = dir.resolve(pid + ".json.tmp");
    Files.writeString(tmp, Json.write(m) + "\n", StandardCharsets.UTF_8);
    ownerOnly(tmp, "rw-------");
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  /** Removes files of agents whose process is gone (killed before they could clean up). */
  private static void removeStale(Path dir) {
    try (var files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        try {
          long pid = Long.parseLong(name.substring(0, name.length() - ".json".length()));
          if (ProcessHandle.of(pid).isEmpty()) Files.deleteIfExists(f);
        } catch (NumberFormatException | IOException notOurs) {
          // leave anything we did not write alone
        }
      }
    } catch (IOException ignored) {
      // stale files only cost a look-up in the command line
    }
  }

  private static void ownerOnly(Path p, String perms) throws IOException {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    } catch (UnsupportedOperationException notPosix) {
      // a file system without POSIX permissions: the temp folder's own protection applies
    }
  }
}
