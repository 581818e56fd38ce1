package io.compartment.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) p.setProperty(kv[i], kv[i + 1]);
    return p;
  }

  @Test
  void liveIdleDefaultsToBackoff() {
    AgentConfig c = AgentConfig.load(null, Map.of(), props());
    assertThat(c.liveIdle()).isEqualTo("backoff");
    assertThat(c.errors()).isEmpty();
  }

  @Test
  void liveIdleFromEachSourceFirstFoundWins() {
    assertThat(AgentConfig.load("live.idle=spin", Map.of(), props()).liveIdle()).isEqualTo("spin");
    assertThat(AgentConfig.load(null, Map.of(), props("compartment.live.idle", "yield")).liveIdle())
        .isEqualTo("yield");
    assertThat(AgentConfig.load(null, Map.of("COMPARTMENT_LIVE_IDLE", "SPIN"), props()).liveIdle())
        .isEqualTo("spin");
    AgentConfig all =
        AgentConfig.load(
            "live.idle=yield",
            Map.of("COMPARTMENT_LIVE_IDLE", "backoff"),
            props("compartment.live.idle", "spin"));
    assertThat(all.liveIdle()).isEqualTo("yield");
    assertThat(all.errors()).isEmpty();
  }

  @Test
  void badLiveIdleIsNamedWithTheKnownValuesAndTheDefaultIsUsed() {
    AgentConfig c = AgentConfig.load("live.idle=fast", Map.of(), props());
    assertThat(c.liveIdle()).isEqualTo("backoff");
    assertThat(c.errors())
        .singleElement()
        .asString()
        .contains("live.idle=fast")
        .contains("backoff, yield, spin");
  }

  @Test
  void envNamesTurnDotsIntoUnderscores() {
    assertThat(AgentConfig.envName("live.idle")).isEqualTo("COMPARTMENT_LIVE_IDLE");
    assertThat(AgentConfig.envName("mode")).isEqualTo("COMPARTMENT_MODE");
  }
}
