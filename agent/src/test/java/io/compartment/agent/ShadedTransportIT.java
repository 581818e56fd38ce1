package io.compartment.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport and its libraries ride in the shaded agent jar, relocated, and work in a plain JVM:
 * the child JVM gets the agent jar and the test classes, no unshaded transport and no module flags.
 */
class ShadedTransportIT {
  private static final String PREFIX = "io/compartment/agent/shaded/";

  /** Top-level packages of every third-party library in the jar, before relocation. */
  private static final List<String> THIRD_PARTY =
      List.of(
          "org/agrona/",
          "io/aeron/",
          "net/openhft/",
          "software/chronicle/",
          "org/slf4j/",
          "com/squareup/",
          "com/sun/jna/",
          "com/kenai/",
          "jnr/",
          "org/jetbrains/",
          "org/intellij/",
          "net/bytebuddy/",
          "org/objectweb/");

  @TempDir Path dir;

  static Path agentJar() {
    String configured = System.getProperty("compartment.agent.jar");
    Path jar = configured != null ? Path.of(configured) : Path.of("target/compartment-agent.jar");
    assertThat(jar).as("the shaded agent jar (built by mvn package)").exists();
    return jar.toAbsolutePath();
  }

  @Test
  void aeronIpcAndPartitionStoreWorkFromTheAgentJarWithoutModuleFlags() throws Exception {
    Path jar = agentJar();
    Path testClasses =
        Path.of(
            ShadedTransportMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-javaagent:" + jar + "=mode=off",
            "-cp",
            testClasses + File.pathSeparator + jar,
            ShadedTransportMain.class.getName(),
            dir.toString());
    Path log = dir.resolve("output.txt");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError(
          "child JVM did not finish in 120 s: " + cmd + "\n" + Files.readString(log));
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);

    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("transport from " + jar)
        .contains("relocated agrona true")
        .contains("top-level agrona false")
        .contains("aeron received over relocated aeron")
        .contains("aeron dir removed true")
        .contains("store opened CREATED")
        .contains("store reopened REOPENED lastAppliedSeq=7 size=2")
        .contains("SHADED TRANSPORT OK");
    // nothing asks for flags, no logging back end is missing, no library complains
    assertThat(output)
        .doesNotContain("--add-")
        .doesNotContain("SLF4J")
        .doesNotContain("WARNING")
        .doesNotContain("Exception")
        .doesNotContain("compartment-transport:");
  }

  @Test
  void agentJarHoldsNoThirdPartyClassOutsideTheRelocationPrefix() throws IOException {
    List<String> names = new ArrayList<>();
    try (ZipFile zip = new ZipFile(agentJar().toFile())) {
      zip.stream().map(ZipEntry::getName).filter(n -> !n.endsWith("/")).forEach(names::add);
    }
    List<String> misplaced = new ArrayList<>();
    for (String name : names) {
      String path = name.replaceFirst("^META-INF/versions/\\d+/", "");
      if (name.endsWith(".class")
          && !path.startsWith(PREFIX)
          && !path.startsWith("io/compartment/agent/")
          && !path.startsWith("io/compartment/analyzer/")
          && !path.startsWith("io/compartment/transport/")) {
        misplaced.add(name);
      }
      if (THIRD_PARTY.stream().anyMatch(path::startsWith)) misplaced.add(name);
    }
    assertThat(misplaced).as("classes and resources outside " + PREFIX).isEmpty();
    assertThat(names)
        .contains(
            "io/compartment/transport/aeron/EmbeddedTransport.class",
            "io/compartment/transport/state/PartitionStore.class",
            PREFIX + "org/agrona/DirectBuffer.class",
            PREFIX + "io/aeron/Aeron.class",
            PREFIX + "io/aeron/driver/MediaDriver.class",
            PREFIX + "net/openhft/chronicle/map/ChronicleMap.class",
            PREFIX + "org/slf4j/nop/NOPServiceProvider.class")
        .noneMatch(n -> n.startsWith("io/compartment/api/"))
        .noneMatch(n -> n.matches(".*\\.(so|dll|jnilib|dylib)$"));
  }

  @Test
  void serviceFilesNameAndListOnlyRelocatedTypes() throws IOException {
    List<String> services = new ArrayList<>();
    try (ZipFile zip = new ZipFile(agentJar().toFile())) {
      for (ZipEntry e : zip.stream().toList()) {
        String name = e.getName();
        if (!name.startsWith("META-INF/services/") || name.endsWith("/")) continue;
        services.add(name);
        assertThat(name).startsWith("META-INF/services/" + PREFIX.replace('/', '.'));
        try (InputStream in = zip.getInputStream(e)) {
          for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            String provider = line.replaceFirst("#.*", "").trim();
            if (!provider.isEmpty()) {
              assertThat(provider).as(name).startsWith(PREFIX.replace('/', '.'));
              assertThat(zip.getEntry(provider.replace('.', '/') + ".class"))
                  .as(provider)
                  .isNotNull();
            }
          }
        }
      }
    }
    assertThat(services)
        .contains(
            "META-INF/services/" + PREFIX.replace('/', '.') + "org.slf4j.spi.SLF4JServiceProvider");
  }
}
