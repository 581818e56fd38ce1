package io.compartment.transport.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.openhft.chronicle.hash.VanillaGlobalMutableState;
import net.openhft.chronicle.values.Values;
import org.junit.jupiter.api.Test;

/**
 * The class Chronicle Values would compile with javac in every process that opens a map is compiled
 * at build time instead (transport/src/main/java/net/openhft/chronicle/hash): it must be the one
 * Chronicle picks up, and its source must still be what the Chronicle Values on the class path
 * generates, so that a dependency upgrade that changes the generated code fails here rather than in
 * a worker.
 */
class PrecompiledNativeTest {
  private static final String NAME = "VanillaGlobalMutableState$$Native";

  @Test
  void chronicleUsesThePrecompiledClass() {
    Class<?> c = Values.nativeClassFor(VanillaGlobalMutableState.class);
    assertThat(c.getName()).isEqualTo("net.openhft.chronicle.hash." + NAME);
    // loaded from this module's classes, not defined by Chronicle's run-time compiler
    assertThat(c.getClassLoader()).isSameAs(PrecompiledNativeTest.class.getClassLoader());
    assertThat(c.getProtectionDomain().getCodeSource()).isNotNull();
  }

  @Test
  void sourceIsWhatChronicleValuesGenerates() throws Exception {
    Class<?> models = Class.forName("net.openhft.chronicle.values.ValueModel");
    Method acquire = models.getDeclaredMethod("acquire", Class.class);
    acquire.setAccessible(true);
    Object model = acquire.invoke(null, VanillaGlobalMutableState.class);
    Class<?> generators = Class.forName("net.openhft.chronicle.values.Generators");
    Method generate = generators.getDeclaredMethod("generateNativeClass", models, String.class);
    generate.setAccessible(true);
    String generated = (String) generate.invoke(null, model, NAME);
    String kept =
        Files.readString(
            Path.of("src/main/java/net/openhft/chronicle/hash/" + NAME + ".java"),
            StandardCharsets.UTF_8);
    assertThat(normalize(kept)).isEqualTo(normalize(generated));
  }

  /** The code without the header comment, imports and whitespace (the build reformats it). */
  private static String normalize(String source) {
    String s = source.substring(source.indexOf("package "));
    StringBuilder out = new StringBuilder();
    for (String line : s.split("\n")) {
      if (line.trim().startsWith("import ")) continue;
      out.append(line.replaceAll("\\s+", ""));
    }
    return out.toString();
  }
}
