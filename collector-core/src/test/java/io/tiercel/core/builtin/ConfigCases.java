package io.tiercel.core.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tiercel.core.builtin.debug.DebugExporterFactory;
import io.tiercel.core.builtin.file.FileExporterFactory;
import io.tiercel.core.builtin.generator.GeneratorReceiverFactory;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ConfigException;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.config.ServiceConfig;
import io.tiercel.core.extension.health.HealthCheckExtensionFactory;
import io.tiercel.core.extension.storage.FileStorageExtensionFactory;
import io.tiercel.core.extension.zpages.ZPagesExtensionFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Loads the testdata configs of collector-core's components (built-in receivers and exporters,
 * extensions) through the real config loader, with only those factories.
 */
public final class ConfigCases {
  private ConfigCases() {}

  static ConfigLoader loader() {
    return new ConfigLoader(
        ComponentRegistry.of(
            List.of(
                new GeneratorReceiverFactory(),
                new DebugExporterFactory(),
                new FileExporterFactory(),
                new HealthCheckExtensionFactory(),
                new FileStorageExtensionFactory(),
                new io.tiercel.core.extension.basicauth.BasicAuthExtensionFactory(),
                new io.tiercel.core.extension.bearertokenauth.BearerTokenAuthExtensionFactory(),
                new ZPagesExtensionFactory())),
        name -> null);
  }

  /** Loads {@code testdata/<component>/config.yaml}. */
  public static ServiceConfig load(String component) throws ConfigException {
    try {
      Path p =
          Path.of(ConfigCases.class.getResource("/testdata/" + component + "/config.yaml").toURI());
      return loader().load(List.of(p.toString()), List.of());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The bound config record of component {@code id} in {@code config}. */
  public static Record config(
      Map<ComponentId, io.tiercel.core.config.ComponentConfig> section, String id) {
    return section.get(ComponentId.parse(id)).config();
  }

  /**
   * The named cases of {@code testdata/<component>/invalid_configs.yaml}: (name, config text,
   * error).
   */
  @SuppressWarnings("unchecked")
  public static Stream<Arguments> invalid(String component) throws IOException {
    try (InputStream in =
        ConfigCases.class.getResourceAsStream("/testdata/" + component + "/invalid_configs.yaml")) {
      Map<String, Map<String, String>> all =
          (Map<String, Map<String, String>>)
              new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      return all.entrySet().stream()
          .map(
              e ->
                  Arguments.of(
                      Named.of(e.getKey(), e.getKey()),
                      e.getValue().get("config"),
                      e.getValue().get("error")));
    }
  }

  /** Asserts that {@code yaml} fails to load with exactly {@code error}. */
  public static void assertFails(Path dir, String name, String yaml, String error)
      throws IOException {
    Path file = Files.writeString(dir.resolve(name + ".yaml"), yaml);
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> loader().load(List.of(file.toString()), List.of()));
    assertThat(e).as("case %s must fail", name).isNotNull();
    assertThat(e.getMessage()).isEqualTo(error);
  }
}
