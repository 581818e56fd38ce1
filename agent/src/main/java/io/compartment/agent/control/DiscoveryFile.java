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

  private static void ownerOnly(Path p, String perms) throws IOException {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    } catch (UnsupportedOperationException notPosix) {
      // a file system without POSIX permissions: the temp folder's own protection applies
    }
  }
}
