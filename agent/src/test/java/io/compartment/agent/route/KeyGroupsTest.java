package io.compartment.agent.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KeyGroupsTest {
  private final KeyGroups kg = new KeyGroups(256);

  @Test
  void anIntAndALongOfTheSameValueAreOneKey() {
    assertThat(kg.groupOf(41)).isEqualTo(kg.groupOf(41L));
    assertThat(kg.groupOf((short) 41)).isEqualTo(kg.groupOf(41L));
  }

  @Test
  void anotherJvmPutsEveryKeyInTheSameGroup() throws Exception {
    StringBuilder here = new StringBuilder();
    for (Object k : KeyGroupsProbe.keys()) here.append(kg.groupOf(k)).append(' ');
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                KeyGroupsProbe.class.getName())
            .redirectError(new File("/dev/null"))
            .start();
    String there = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(there).isEqualTo(here.toString().trim());
  }

  @Test
  void consecutiveSlotsSpreadEvenlyOverTheGroups() {
    int[] counts = new int[256];
    for (long slot = 0; slot < 25_600; slot++) counts[kg.groupOf(slot)]++;
    for (int c : counts) assertThat(c).isBetween(50, 150);
  }

  @Test
  void aKeyWithoutAStableHashIsRefusedNamingItsClass() {
    assertThatThrownBy(() -> kg.groupOf(new Object()))
        .isInstanceOf(KeyGroups.UnstableKeyException.class)
        .hasMessageContaining("java.lang.Object");
  }

  @Test
  void groupsAreAPowerOfTwoAndWorkersShareThemRoundRobin() {
    assertThatThrownBy(() -> new KeyGroups(100)).hasMessageContaining("power of two");
    assertThat(KeyGroups.workerOf(9, 4)).isEqualTo(1);
    assertThatThrownBy(() -> KeyGroups.workerOf(1, 0)).hasMessageContaining("positive");
  }
}
