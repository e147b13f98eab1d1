package io.tiercel.core.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.cli.NopFactories.NopExporterFactory;
import io.tiercel.core.cli.NopFactories.NopReceiverFactory;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.component.Kind;
import io.tiercel.core.config.ConfigError;
import io.tiercel.core.config.ConfigException;
import io.tiercel.core.extension.health.HealthCheckExtensionFactory;
import io.tiercel.core.extension.storage.FileStorageExtensionFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A distribution manifest ({@code -Dtiercel.components=FILE}) restricts what {@code components}
 * lists and what a config may use; a withheld type is refused with a message naming the
 * distribution and what it offers.
 */
class MainDistributionTest {
  private static final BuildInfo BUILD = new BuildInfo("tiercel", "Tiercel test build", "9.9.9");
  private final ComponentRegistry all =
      ComponentRegistry.of(
          List.of(
              new NopReceiverFactory(),
              new NopExporterFactory(),
              new HealthCheckExtensionFactory(),
              new FileStorageExtensionFactory()));
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @TempDir Path dir;

  private Main.Distribution distribution(String manifestYaml) throws Exception {
    Path m = Files.writeString(dir.resolve("components.yaml"), manifestYaml);
    return Main.distribution(all, BUILD, m.toString());
  }

  private int run(Main.Distribution d, String... args) {
    return new Main(
            d.registry(),
            ConfigSources.loader(d.registry(), k -> null),
            d.build(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .execute(args);
  }

  private static final String EDGE =
      """
      dist: {name: tiercel-edge, description: Tiercel edge test tier}
      receivers: [nop]
      exporters: [nop]
      extensions: [health_check]
      """;

  @Test
  void componentsListsOnlyTheManifestsTypesUnderItsName() throws Exception {
    assertThat(run(distribution(EDGE), "components")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            """
            buildinfo:
              command: tiercel-edge
              description: Tiercel edge test tier
              version: 9.9.9
            receivers:
              - name: nop
                stability:
                  logs: Development
                  traces: Stable
            processors: []
            exporters:
              - name: nop
                aliases: [devnull, nothing]
                stability:
                  traces: Beta
            extensions:
              - name: health_check
                stability:
                  extension: Beta
            """);
    assertThat(run(distribution(EDGE), "--version")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).endsWith("tiercel-edge version 9.9.9\n");
  }

  @Test
  void aConfigNamingAWithheldTypeIsRefusedNamingTheDistributionAndWhatItHas() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("config.yaml"),
            """
            receivers: {nop: {}}
            exporters: {nop: {}}
            extensions: {file_storage: {}, file_storage/2: {}, health_chek: {}}
            service:
              pipelines: {traces: {receivers: [nop], exporters: [nop]}}
            """);
    assertThat(run(distribution(EDGE), "validate", "--config", config.toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            """
            Error: invalid configuration (3 errors):
              extensions.file_storage: extension type "file_storage" is not included in this distribution \
            (tiercel-edge); its extension types are: health_check
              extensions.file_storage/2: extension type "file_storage" is not included in this distribution \
            (tiercel-edge); its extension types are: health_check
              extensions.health_chek: unknown extension type "health_chek"; valid types are: health_check
            """);
  }

  @Test
  void theWholeRegistryAcceptsWhatTheDistributionWithholds() throws Exception {
    Main.Distribution d = Main.distribution(all, BUILD, null);
    assertThat(d.registry()).isSameAs(all);
    assertThat(d.build()).isSameAs(BUILD);
    assertThat(all.distribution()).isEmpty();
    assertThat(all.withheld(Kind.EXTENSION, "file_storage")).isFalse();
    ComponentRegistry edge = distribution(EDGE).registry();
    assertThat(edge.distribution()).contains("tiercel-edge");
    assertThat(edge.withheld(Kind.EXTENSION, "file_storage")).isTrue();
    assertThat(edge.withheld(Kind.EXTENSION, "health_check")).isFalse();
    assertThat(edge.find(Kind.EXPORTER, "devnull")).as("aliases follow their type").isNotNull();
    // restricting again narrows further and still knows the first restriction's withheld types
    Path m =
        Files.writeString(
            dir.resolve("narrow.yaml"),
            """
            dist: {name: tiercel-narrow, description: narrower}
            receivers: [nop]
            exporters: [nop]
            """);
    ComponentRegistry narrow = Main.distribution(edge, BUILD, m.toString()).registry();
    assertThat(narrow.withheld(Kind.EXTENSION, "file_storage")).isTrue();
    assertThat(narrow.withheld(Kind.EXTENSION, "health_check")).isTrue();
    assertThat(narrow.typeNames(Kind.EXTENSION)).isEmpty();
  }

  @Test
  void aManifestListingATypeTheClasspathLacksIsRefusedAtItsPlace() {
    assertThatThrownBy(
            () ->
                distribution(
                    """
                    dist: {name: tiercel-edge, description: Tiercel edge test tier}
                    receivers: [nop, otlp]
                    processors: [batch]
                    exporters: [nop]
                    """))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        new ConfigError(
                            "receivers[1]",
                            "no receiver type \"otlp\" on the classpath; the receiver types found"
                                + " are: nop"),
                        new ConfigError(
                            "processors[0]",
                            "no processor type \"batch\" on the classpath; there are none")));
  }

  @Test
  void manifestErrorsNameTheirPath() {
    assertThatThrownBy(
            () ->
                distribution(
                    """
                    receivers: [nop, nop]
                    connectors: [forward]
                    """))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        new ConfigError(
                            "",
                            "unknown key \"connectors\"; valid keys are: dist, receivers,"
                                + " processors, exporters, extensions")));
    assertThatThrownBy(() -> distribution("receivers: [nop, nop]\n"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        new ConfigError("dist", "must be set (name and description)")));
    assertThatThrownBy(
            () -> distribution("dist: {name: x, description: y}\nreceivers: [nop, nop]\n"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(new ConfigError("receivers[1]", "\"nop\" is listed twice")));
    assertThatThrownBy(() -> distribution("dist: {name: x}\n"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(new ConfigError("dist.description", "must be set")));
    assertThatThrownBy(() -> Main.distribution(all, BUILD, dir.resolve("absent.yaml").toString()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        new ConfigError("", dir.resolve("absent.yaml") + ": no such file")));
  }
}
