package io.tiercel.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ConfigException;
import io.tiercel.core.config.ConfigLoader;
import java.util.List;
import java.util.Map;

/**
 * Fuzz target of the YAML config loader: any text given as a config source loads or is refused with
 * a {@link ConfigException} naming its problems; nothing else escapes (no parser exception, no
 * stack overflow, no hang on aliases). Regression mode replays {@code ConfigLoaderFuzzTestInputs}.
 */
class ConfigLoaderFuzzTest {
  private static final ConfigLoader LOADER =
      new ConfigLoader(ComponentRegistry.load(), Map.of("HOME", "/home/fuzz")::get);

  @FuzzTest(maxDuration = "30s")
  void yaml(String text) {
    try {
      LOADER.load(List.of("yaml:" + text), List.of());
    } catch (ConfigException refused) {
      assertThat(refused.getMessage()).isNotBlank();
    }
  }
}
