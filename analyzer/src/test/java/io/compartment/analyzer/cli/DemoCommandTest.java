package io.compartment.analyzer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.compartment.analyzer.cli.CompartmentCliTest.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code demo} against a stand-in agent and demo compiled here, in a real child JVM. */
class DemoCommandTest {
  @TempDir Path dir;
  private final String savedAgent = System.getProperty("compartment.agent.jar");
  private final String savedDemo = System.getProperty("compartment.demo.jar");
  private final String savedFlags = System.getProperty("compartment.jvm.flags");

  @AfterEach
  void restore() {
    restore("compartment.agent.jar", savedAgent);
    restore("compartment.demo.jar", savedDemo);
    restore("compartment.jvm.flags", savedFlags);
  }

  private static void restore(String key, String value) {
    if (value == null) System.clearProperty(key);
    else System.setProperty(key, value);
  }

  private static final String AGENT =
      """
      package fake;
      public class Agent {
        public static void premain(String args, java.lang.instrument.Instrumentation inst) {
          String file = args.substring(args.indexOf("report=") + 7);
          if (Boolean.getBoolean("fake.noReport")) return;
          Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
              java.nio.file.Files.writeString(java.nio.file.Path.of(file),
                  "{\\"schema\\": \\"compartment.report/1\\", \\"services\\": [{\\"service\\": \\"demo.Kv\\","
                  + " \\"handlers\\": [{\\"handler\\": \\"put\\", \\"class\\": \\"PARTITIONABLE\\","
                  + " \\"partitionKey\\": \\"arg0\\", \\"invocations\\": 10, \\"confirmed\\": true}]}]}");
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }));
        }
      }
      """;

  private static final String DEMO =
      """
      package io.compartment.demo;
      public class DemoMain {
        public static void main(String[] args) {
          System.out.println("hello from " + args[0] + " " + String.join(" ", args));
          boolean correct = !Boolean.getBoolean("fake.wrong");
          System.out.println("DEMO_RESULT name=" + args[0] + " correct=" + correct + " ops=500 ops_per_s=250");
          System.exit(Integer.getInteger("fake.exit", 0));
        }
      }
      """;

  private void build() throws IOException {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("fake"));
    Files.createDirectories(src.resolve("io/compartment/demo"));
    Files.writeString(src.resolve("fake/Agent.java"), AGENT);
    Files.writeString(src.resolve("io/compartment/demo/DemoMain.java"), DEMO);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc =
        javac.run(
            null,
            null,
            null,
            "-d",
            classes.toString(),
            src.resolve("fake/Agent.java").toString(),
            src.resolve("io/compartment/demo/DemoMain.java").toString());
    assertThat(rc).isZero();
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    mf.getMainAttributes().put(new Attributes.Name("Premain-Class"), "fake.Agent");
    Path agentJar = dir.resolve("agent.jar");
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(agentJar), mf)) {
      jar.putNextEntry(new JarEntry("fake/Agent.class"));
      jar.write(Files.readAllBytes(classes.resolve("fake/Agent.class")));
      jar.closeEntry();
    }
    System.setProperty("compartment.agent.jar", agentJar.toString());
    System.setProperty("compartment.demo.jar", classes.toString());
  }

  @Test
  void aDemoRunStreamsTheChildPrintsTheReportAndEndsWithTheDemoLine() throws IOException {
    build();
    System.setProperty("compartment.jvm.flags", "-Xmx64m");
    Path report = dir.resolve("r.json");

    Result r =
        CompartmentCliTest.run(
            "demo", "kv", "--duration", "2", "--partitions", "4", "--report", report.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("  | hello from kv kv --duration 2", "Service demo.Kv");
    assertThat(r.lastLine())
        .isEqualTo(
            "DEMO name=kv correct=true monolith_ops_per_s=250 compartmentalized_ops_per_s=- pause_ms=-");
    assertThat(report).exists();
  }

  @Test
  void aFailingChildIsReportedAndTheDemoLineSaysIncorrect() throws IOException {
    build();
    System.setProperty("compartment.jvm.flags", "-Dfake.exit=3");

    Result r = CompartmentCliTest.run("demo", "kv", "--report", dir.resolve("r.json").toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("demo kv failed: it exited with status 3");
    assertThat(r.lastLine()).startsWith("DEMO name=kv correct=false monolith_ops_per_s=250 ");
  }

  @Test
  void aMissingReportIsAFailure() throws IOException {
    build();
    System.setProperty("compartment.jvm.flags", "-Dfake.noReport=true");

    Result r = CompartmentCliTest.run("demo", "kv", "--report", dir.resolve("r.json").toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("no report at", "the agent did not write one");
    assertThat(r.lastLine()).startsWith("DEMO name=kv correct=false");
  }

  @Test
  void anIncorrectDemoIsAFailure() throws IOException {
    build();
    System.setProperty("compartment.jvm.flags", "-Dfake.wrong=true");

    Result r = CompartmentCliTest.run("demo", "kv", "--report", dir.resolve("r.json").toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.lastLine()).startsWith("DEMO name=kv correct=false monolith_ops_per_s=250");
  }

  @Test
  void withoutTheJarsTheDemoFailsClearly() {
    System.clearProperty("compartment.agent.jar");
    System.setProperty("compartment.demo.jar", dir.resolve("missing.jar").toString());

    Result r = CompartmentCliTest.run("demo", "kv");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("compartment.agent.jar is not set", "demo jar not found");
    assertThat(r.lastLine())
        .isEqualTo(
            "DEMO name=kv correct=false monolith_ops_per_s=- compartmentalized_ops_per_s=- pause_ms=-");
    assertThat(List.of(r.out().split("\n"))).hasSize(1);
  }
}
