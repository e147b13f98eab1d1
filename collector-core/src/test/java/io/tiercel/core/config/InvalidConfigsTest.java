package io.tiercel.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Every case of {@code testdata/invalid_configs.yaml} fails with exactly its message. */
class InvalidConfigsTest {
  @TempDir Path dir;

  @SuppressWarnings("unchecked")
  static Stream<Arguments> cases() throws IOException {
    try (InputStream in =
        InvalidConfigsTest.class.getResourceAsStream("/testdata/invalid_configs.yaml")) {
      Map<String, Map<String, Object>> all =
          (Map<String, Map<String, Object>>)
              new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      assertThat(all).hasSizeGreaterThanOrEqualTo(15);
      return all.entrySet().stream()
          .map(e -> Arguments.of(Named.of(e.getKey(), e.getKey()), e.getValue()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @SuppressWarnings("unchecked")
  void failsWithExactMessage(String name, Map<String, Object> c) throws IOException {
    Path file = Files.writeString(dir.resolve(name + ".yaml"), (String) c.get("config"));
    Map<String, String> env = (Map<String, String>) c.getOrDefault("env", Map.of());
    List<String> sets = (List<String>) c.getOrDefault("sets", List.of());
    ConfigLoader loader = new ConfigLoader(TestFactories.registry(), env::get);

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> loader.load(List.of(file.toString()), sets));

    assertThat(e).as("case %s must fail", name).isNotNull();
    assertThat(e.getMessage())
        .isEqualTo(((String) c.get("error")).replace("{file}", file.toString()));
    assertThat(e.errors()).hasSize(e.getMessage().split("\n").length);
  }
}
