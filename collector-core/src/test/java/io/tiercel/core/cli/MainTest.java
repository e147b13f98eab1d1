package io.tiercel.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.cli.NopFactories.Empty;
import io.tiercel.core.cli.NopFactories.NopExporterFactory;
import io.tiercel.core.cli.NopFactories.NopReceiverFactory;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ComponentConfig;
import io.tiercel.core.config.ConfigError;
import io.tiercel.core.config.ConfigException;
import io.tiercel.core.config.PipelineConfig;
import io.tiercel.core.config.PipelineId;
import io.tiercel.core.config.ServiceConfig;
import io.tiercel.core.config.TelemetryConfig;
import io.tiercel.core.extension.health.HealthCheckConfig;
import io.tiercel.core.extension.health.HealthCheckExtensionFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {
  private static final BuildInfo BUILD = new BuildInfo("tiercel", "Tiercel test build", "9.9.9");
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final NopReceiverFactory recv = new NopReceiverFactory();
  private final NopExporterFactory exp = new NopExporterFactory();
  private final HealthCheckExtensionFactory health = new HealthCheckExtensionFactory();
  private final ComponentRegistry registry = ComponentRegistry.of(List.of(recv, exp, health));
  private final List<List<String>> loaded = new ArrayList<>();

  /** A config source that returns {@code config}, or throws {@code error} when set. */
  private ConfigSource source(ServiceConfig config, ConfigException error) {
    return new ConfigSource() {
      @Override
      public ServiceConfig load(List<String> configs, List<String> sets) throws ConfigException {
        loaded.add(configs);
        loaded.add(sets);
        if (error != null) {
          throw error;
        }
        return config;
      }

      @Override
      public String effectiveYaml(ServiceConfig c) {
        return "receivers:\n  nop: {}\npassword: [REDACTED]\n";
      }
    };
  }

  private int run(ConfigSource src, String... args) {
    return new Main(
            registry,
            src,
            BUILD,
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

  private ServiceConfig config(String pipeline, ComponentConfig... extensions) {
    ComponentId r = ComponentId.of("nop");
    Map<ComponentId, ComponentConfig> ext = new java.util.LinkedHashMap<>();
    for (ComponentConfig c : extensions) {
      ext.put(c.id(), c);
    }
    PipelineId p = PipelineId.parse(pipeline);
    return new ServiceConfig(
        Map.of(r, new ComponentConfig(r, recv, new Empty())),
        Map.of(),
        Map.of(r, new ComponentConfig(r, exp, new Empty())),
        ext,
        List.copyOf(ext.keySet()),
        Map.of(p, new PipelineConfig(p, List.of(r), List.of(), List.of(r))),
        new TelemetryConfig("none", "localhost", 0, "info", "console"));
  }

  @Test
  void validateBuildsTheGraphAndSaysSo() {
    int code =
        run(
            source(config("traces"), null),
            "validate",
            "--config",
            "a.yaml",
            "--config=b.yaml",
            "--set",
            "exporters.nop.x=1");
    assertThat(code).isZero();
    assertThat(out()).isEqualTo("config is valid\n");
    assertThat(err()).isEmpty();
    assertThat(loaded).containsExactly(List.of("a.yaml", "b.yaml"), List.of("exporters.nop.x=1"));
  }

  @Test
  void validatePrintsEveryConfigError() {
    ConfigException e =
        new ConfigException(
            List.of(
                new ConfigError(
                    "exporters.kafka.producer.compression",
                    "\"lz5\" is not one of none, gzip, snappy, lz4, zstd"),
                new ConfigError("receivers", "unknown type \"otlpp\"")));
    assertThat(run(source(null, e), "validate", "--config", "x.yaml")).isEqualTo(1);
    assertThat(err())
        .isEqualTo(
            "Error: invalid configuration (2 errors):\n"
                + "  exporters.kafka.producer.compression: \"lz5\" is not one of none, gzip,"
                + " snappy, lz4, zstd\n"
                + "  receivers: unknown type \"otlpp\"\n");
    assertThat(out()).isEmpty();
  }

  @Test
  void validateReportsGraphErrors() {
    // the nop exporter has no metrics support: found when the graph is built
    assertThat(run(source(config("metrics"), null), "validate", "--config", "x.yaml")).isEqualTo(1);
    assertThat(err())
        .isEqualTo(
            "Error: cannot build the pipelines:\n"
                + "  exporter/nop[metrics]: component type \"nop\" does not support the metrics"
                + " signal\n"
                + "  receiver/nop: component type \"nop\" does not support the metrics signal\n");
  }

  @Test
  void runFailsWithExitCode1AndTheFullReportWhenAComponentCannotStart() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      ComponentId hid = ComponentId.of("health_check");
      ServiceConfig c =
          config(
              "traces",
              new ComponentConfig(
                  hid, health, new HealthCheckConfig("127.0.0.1:" + taken.getLocalPort(), "/")));
      assertThat(run(source(c, null), "run", "--config", "x.yaml", "--shutdown-timeout", "2s"))
          .isEqualTo(1);
      assertThat(err())
          .startsWith(
              "Error: cannot start the collector: failed to start extension/health_check: "
                  + "cannot listen on 127.0.0.1:"
                  + taken.getLocalPort()
                  + ": ")
          .contains(
              "\n  extension/health_check: cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void runRejectsABadShutdownTimeoutAsUsageError() {
    assertThat(
            run(
                source(config("traces"), null),
                "run",
                "--config",
                "x",
                "--shutdown-timeout",
                "soon"))
        .isEqualTo(2);
    assertThat(err())
        .contains("\"soon\" is not a duration (use Go syntax such as 200ms, 5s, 1m30s)");
    assertThat(loaded).isEmpty();
  }

  @Test
  void printConfigPrintsTheEffectiveConfig() {
    assertThat(run(source(config("traces"), null), "print-config", "--config", "x.yaml")).isZero();
    assertThat(out()).isEqualTo("receivers:\n  nop: {}\npassword: [REDACTED]\n");
  }

  @Test
  void componentsListsEveryTypeWithItsSignalsAndStability() {
    assertThat(run(source(null, null), "components")).isZero();
    assertThat(out())
        .isEqualTo(
            """
            buildinfo:
              command: tiercel
              description: Tiercel test build
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
  }

  @Test
  void versionAndMissingCommand() {
    assertThat(run(source(null, null), "--version")).isZero();
    assertThat(out()).isEqualTo("tiercel version 9.9.9\n");
    assertThat(run(source(null, null))).isEqualTo(2);
    assertThat(err()).startsWith("Error: a command is required");
  }

  @Test
  void validateRequiresAConfig() {
    assertThat(run(source(config("traces"), null), "validate")).isEqualTo(2);
    assertThat(err()).contains("Missing required option: '--config=URI'");
  }

  @Test
  void goDurations() {
    assertThat(GoDurations.parse("1m30s")).isEqualTo(java.time.Duration.ofSeconds(90));
    assertThat(GoDurations.parse("250ms")).isEqualTo(java.time.Duration.ofMillis(250));
    assertThat(GoDurations.parse("1.5h")).isEqualTo(java.time.Duration.ofMinutes(90));
    assertThat(GoDurations.parse("0")).isEqualTo(java.time.Duration.ZERO);
  }

  @Test
  @org.junit.jupiter.api.Timeout(20)
  void runStopsWithExitCode1WhenAComponentReportsAFatalError() {
    NopReceiverFactory fatal =
        new NopReceiverFactory() {
          @Override
          public io.tiercel.core.component.Receiver create(
              io.tiercel.core.component.Settings s,
              Empty c,
              io.tiercel.core.component.Consumers next) {
            return new io.tiercel.core.component.Receiver() {
              @Override
              public void start(io.tiercel.core.component.Host host) {
                // reported before start returns: the lifecycle's OK must not overwrite it
                host.status()
                    .report(
                        "receiver/nop",
                        io.tiercel.core.component.StatusRegistry.Status.FATAL_ERROR,
                        new IllegalStateException("partition assignment lost for good"));
              }

              @Override
              public void shutdown(io.tiercel.core.component.Deadline d) {}
            };
          }
        };
    ComponentId r = ComponentId.of("nop");
    PipelineId p = PipelineId.parse("traces");
    ServiceConfig c =
        new ServiceConfig(
            Map.of(r, new ComponentConfig(r, fatal, new Empty())),
            Map.of(),
            Map.of(r, new ComponentConfig(r, exp, new Empty())),
            Map.of(),
            List.of(),
            Map.of(p, new PipelineConfig(p, List.of(r), List.of(), List.of(r))),
            new TelemetryConfig("none", "localhost", 0, "info", "console"));
    assertThat(run(source(c, null), "run", "--config", "x.yaml")).isEqualTo(1);
    assertThat(err())
        .isEqualTo(
            "Error: receiver/nop reported a fatal error: partition assignment lost for good\n");
  }

  @Test
  void theRootCommandWithConfigRunsLikeTheCollector() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      ComponentId hid = ComponentId.of("health_check");
      ServiceConfig c =
          config(
              "traces",
              new ComponentConfig(
                  hid, health, new HealthCheckConfig("127.0.0.1:" + taken.getLocalPort(), "/")));
      // a start failure proves it went through run: load, build, start
      assertThat(run(source(c, null), "--config", "a.yaml", "--set", "k=v")).isEqualTo(1);
      assertThat(loaded).containsExactly(List.of("a.yaml"), List.of("k=v"));
      assertThat(err())
          .startsWith(
              "Error: cannot start the collector: failed to start extension/health_check: ");
    }
  }
}
