package io.compartment.transport.worker;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * A dynamic AppCDS archive (JDK 17, JEP 350) of the classes a worker loads, so that its next JVM
 * maps them instead of loading, parsing and verifying them from the jars again.
 *
 * <p>A launch finds the archive ready and starts with {@code -XX:SharedArchiveFile}; a launch that
 * does not writes one at its exit with {@code -XX:ArchiveClassesAtExit} into a file of its own
 * ({@code <archive>.<random>.part}). A later launch adopts a part file by renaming it to the
 * archive once it has not changed for {@value #SETTLED_MS} ms (its writer is done or dead). A
 * process killed with SIGKILL writes nothing. The JVM checks an archive before it uses it (JVM
 * version, class path, the jars' sizes and times) and, with the default {@code -Xshare:auto},
 * starts without it when the archive is missing, stale, corrupt or for another JVM: an archive can
 * slow a start down by at most the check, never stop it.
 *
 * <p>The agent runs in every worker ({@code -javaagent}): archiving then needs the diagnostic flag
 * {@code AllowArchivingWithJavaAgent}, and so does using the archive (the JVM prints one warning
 * line saying the archive was made so). Classes the agent transforms are transformed from their
 * original bytes as without the archive.
 *
 * <p>System properties: {@value #ENABLED_PROP} ({@code true} by default), {@value #DIR_PROP} (the
 * folder of the archives, default {@code <java.io.tmpdir>/compartment-<user>/cds}).
 */
public final class WorkerCds {
  /** System property: {@code false} starts workers without an archive and writes none. */
  public static final String ENABLED_PROP = "compartment.worker.cds";

  /** System property: the folder of the archives. */
  public static final String DIR_PROP = "compartment.worker.cds.dir";

  /** A part file unchanged this long is adopted as the archive: {@value} ms. */
  static final long SETTLED_MS = 5_000;

  static final List<String> UNLOCK =
      List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+AllowArchivingWithJavaAgent");

  private WorkerCds() {}

  private static final boolean BASE_ARCHIVE_LOADED = baseArchiveLoaded();

  /**
   * Whether workers use and write archives: {@value #ENABLED_PROP} is not {@code false}, and this
   * JVM runs with the JDK's base CDS archive mapped. Workers run the same {@code java}; without a
   * base archive (a JDK image built without one, {@code -Xshare:off}) a JVM refuses to start with
   * {@code -XX:ArchiveClassesAtExit}, so no archive is attempted.
   */
  public static boolean enabled() {
    return BASE_ARCHIVE_LOADED
        && Boolean.parseBoolean(System.getProperty(ENABLED_PROP, "true").trim());
  }

  /** Whether this JVM maps a CDS archive (the flag {@code UseSharedSpaces} as the JVM left it). */
  static boolean baseArchiveLoaded() {
    try {
      return "true"
          .equals(
              ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                  .getVMOption("UseSharedSpaces")
                  .getValue());
    } catch (RuntimeException | LinkageError e) {
      return false; // not a HotSpot JVM, or no such flag: no archive is safe
    }
  }

  /**
   * The archive for workers started with {@code key} (class path, JVM flags, anything that decides
   * which classes load): one file per distinct key, in {@value #DIR_PROP}, for this JVM.
   */
  public static Path archiveFor(String key) {
    String dir = System.getProperty(DIR_PROP);
    Path base =
        dir != null
            ? Paths.get(dir)
            : Paths.get(
                System.getProperty("java.io.tmpdir"),
                "compartment-" + System.getProperty("user.name").replaceAll("[^A-Za-z0-9_.-]", "_"),
                "cds");
    String jvm = System.getProperty("java.home") + "|" + System.getProperty("java.vm.version");
    return base.resolve("worker-" + hash(jvm + "|" + key) + ".jsa");
  }

  /**
   * The JVM flags of one launch with {@code archive}: use it if it is there (adopting a finished
   * part file first), else write a part file at exit. Never throws: without a usable folder the
   * launch gets no flags.
   */
  static List<String> flags(Path archive) {
    List<String> flags = new ArrayList<>(UNLOCK);
    try {
      Files.createDirectories(archive.getParent());
      adopt(archive);
      if (Files.isRegularFile(archive) && Files.size(archive) > 0) {
        flags.add("-XX:SharedArchiveFile=" + archive);
      } else {
        flags.add(
            "-XX:ArchiveClassesAtExit="
                + archive.resolveSibling(
                    archive.getFileName()
                        + "."
                        + UUID.randomUUID().toString().substring(0, 8)
                        + ".part"));
      }
      return flags;
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /**
   * Without an archive, renames the newest settled part file to {@code archive}; deletes the other
   * settled part files either way.
   */
  private static void adopt(Path archive) throws IOException {
    long now = System.currentTimeMillis();
    Path best = null;
    long bestTime = 0;
    List<Path> settled = new ArrayList<>();
    try (DirectoryStream<Path> parts =
        Files.newDirectoryStream(archive.getParent(), archive.getFileName() + ".*.part")) {
      for (Path p : parts) {
        long t = Files.getLastModifiedTime(p).toMillis();
        if (now - t < SETTLED_MS) continue; // still being written, perhaps
        settled.add(p);
        if (Files.size(p) > 0 && t > bestTime) {
          best = p;
          bestTime = t;
        }
      }
    }
    if (best != null && !Files.isRegularFile(archive)) {
      try {
        Files.move(best, archive, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        // another host adopted one first
      }
    }
    for (Path p : settled) Files.deleteIfExists(p);
  }

  private static String hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      return Integer.toHexString(s.hashCode());
    }
  }
}
