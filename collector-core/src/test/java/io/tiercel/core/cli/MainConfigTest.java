package io.tiercel.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.cli.NopFactories.NopExporterFactory;
import io.tiercel.core.cli.NopFactories.NopReceiverFactory;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.extension.health.HealthCheckExtensionFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI with the real config loader ({@link ConfigSources}) over a small registry. */
class MainConfigTest {
  private static final String VALID =
      """
      receivers:
        nop:
      exporters:
        nop:
      extensions:
        health_check:
          endpoint: ${env:HEALTH}
      service:
        extensions: [health_check]
        pipelines:
          traces:
            receivers: [nop]
            exporters: [nop]
      """;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Map<String, String> env = Map.of("HEALTH", "127.0.0.1:0");
  private final ComponentRegistry registry =
      ComponentRegistry.of(
          List.of(
              new NopReceiverFactory(),
              new NopExporterFactory(),
              new HealthCheckExtensionFactory()));

  private int run(String... args) {
    return new Main(
            registry,
            ConfigSources.loader(registry, env::get),
            BuildInfo.DEFAULT,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .execute(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private static Path write(Path dir, String yaml) throws Exception {
    Path p = dir.resolve("config.yaml");
    Files.writeString(p, yaml);
    return p;
  }

  @Test
  void validateAcceptsAValidConfigAndBuildsItsGraph(@TempDir Path dir) throws Exception {
    assertThat(run("validate", "--config", write(dir, VALID).toString())).as(err()).isZero();
    assertThat(out()).isEqualTo("config is valid\n");
    assertThat(err()).isEmpty();
  }

  @Test
  void validateListsEveryErrorWithItsPath(@TempDir Path dir) throws Exception {
    Path bad =
        write(
            dir,
            VALID
                .replace("${env:HEALTH}", "127.0.0.1:0\n    path: health")
                .replace("exporters: [nop]", "exporters: [nop, fil]"));
    assertThat(run("validate", "--config", bad.toString())).isEqualTo(1);
    assertThat(err())
        .isEqualTo(
            "Error: invalid configuration (2 errors):\n"
                + "  extensions.health_check.path: \"health\" must start with /\n"
                + "  service.pipelines.traces: references exporter \"fil\" which is not"
                + " configured\n");
    assertThat(out()).isEmpty();
  }

  @Test
  void validateReportsWhatOnlyTheGraphFinds(@TempDir Path dir) throws Exception {
    // the nop receiver has no metrics support; the loader may or may not catch it, the graph does
    Path bad = write(dir, VALID.replace("traces:", "metrics:"));
    assertThat(run("validate", "--config", bad.toString())).isEqualTo(1);
    assertThat(err()).startsWith("Error: ").contains("does not support the metrics signal");
  }

  @Test
  void aProfilesPipelineNamesEachComponentWithoutProfiles(@TempDir Path dir) throws Exception {
    Path bad = write(dir, VALID.replace("traces:", "profiles/x:"));
    assertThat(run("validate", "--config", bad.toString())).isEqualTo(1);
    assertThat(err())
        .startsWith("Error: ")
        .contains(
            "service.pipelines.profiles/x: receiver \"nop\" does not support the profiles signal")
        .contains(
            "service.pipelines.profiles/x: exporter \"nop\" does not support the profiles signal");
  }

  @Test
  void runWithAnInvalidConfigExitsWith1BeforeStartingAnything(@TempDir Path dir) throws Exception {
    Path bad = write(dir, VALID.replace("${env:HEALTH}", "localhost"));
    assertThat(run("run", "--config", bad.toString())).isEqualTo(1);
    assertThat(err())
        .isEqualTo(
            "Error: invalid configuration (1 error):\n"
                + "  extensions.health_check.endpoint: \"localhost\" must be host:port\n");
  }

  @Test
  void printConfigShowsTheEffectiveConfigWithSetsAndEnvApplied(@TempDir Path dir) throws Exception {
    Path c = write(dir, VALID);
    assertThat(
            run(
                "print-config",
                "--config",
                c.toString(),
                "--set",
                "extensions.health_check.path=/up"))
        .as(err())
        .isZero();
    assertThat(out()).contains("  health_check:\n    endpoint: 127.0.0.1:0\n    path: /up\n");
  }

  @Test
  void componentsListsTheRegistry() {
    assertThat(run("components")).isZero();
    assertThat(out())
        .contains("receivers:\n  - name: nop\n")
        .contains("\n  - name: health_check\n    stability:\n      extension: Beta\n");
  }
}
