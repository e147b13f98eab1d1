package io.tiercel.distributions.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.component.Kind;
import io.tiercel.core.config.ConfigError;
import io.tiercel.core.config.ConfigException;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.config.DistributionManifest;
import io.tiercel.core.config.ServiceConfig;
import io.tiercel.core.service.Service;
import io.tiercel.core.telemetry.MetricsRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each tier's component manifest ({@code components/<tier>.yaml}, shipped as the archive's {@code
 * lib/components.yaml}) lists exactly issue 8's components, every one of them exists on the full
 * classpath, the tier's shipped config validates with only those, and a config naming another type
 * is refused at its place.
 */
class TierComponentsTest {
  private static final Path COMPONENTS = Path.of("components");
  private static final Map<String, String> ENV =
      Map.of("OTLP_ENDPOINT", "http://backend.example:4317");
  private final ComponentRegistry all = ComponentRegistry.load();

  @TempDir Path tmp;

  private ComponentRegistry tier(String tier) throws ConfigException {
    return DistributionManifest.read(COMPONENTS.resolve(tier + ".yaml")).restrict(all);
  }

  private static List<String> types(ComponentRegistry r, Kind k) {
    return List.copyOf(r.factories(k).keySet());
  }

  @Test
  void theManifestsAreTheTwoTiers() throws Exception {
    try (var files = Files.list(COMPONENTS)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("ingestion.yaml", "processing.yaml");
    }
  }

  @Test
  void ingestionHasExactlyItsComponents() throws Exception {
    ComponentRegistry r = tier("ingestion");
    assertThat(r.distribution()).contains("tiercel-ingestion");
    assertThat(types(r, Kind.RECEIVER)).containsExactly("otlp");
    assertThat(types(r, Kind.PROCESSOR))
        .containsExactly("batch", "filter", "memory_limiter", "transform");
    assertThat(types(r, Kind.EXPORTER)).containsExactly("debug", "kafka");
    assertThat(types(r, Kind.EXTENSION))
        .containsExactly(
            "basicauth",
            "bearertokenauth",
            "file_storage",
            "health_check",
            "json_log_encoding",
            "otlp_encoding",
            "text_encoding",
            "zipkin_encoding",
            "zpages");
  }

  @Test
  void processingHasExactlyItsComponents() throws Exception {
    ComponentRegistry r = tier("processing");
    assertThat(r.distribution()).contains("tiercel-processing");
    assertThat(types(r, Kind.RECEIVER)).containsExactly("kafka");
    assertThat(types(r, Kind.PROCESSOR))
        .containsExactly("batch", "filter", "memory_limiter", "tail_sampling", "transform");
    assertThat(types(r, Kind.EXPORTER)).containsExactly("debug", "file", "otlp_grpc", "otlp_http");
    assertThat(r.typeNames(Kind.EXPORTER))
        .as("with the collector's aliases")
        .containsExactly("debug", "file", "otlp", "otlp_grpc", "otlp_http", "otlphttp");
    assertThat(types(r, Kind.EXTENSION))
        .containsExactly(
            "basicauth",
            "bearertokenauth",
            "file_storage",
            "health_check",
            "json_log_encoding",
            "otlp_encoding",
            "text_encoding",
            "zipkin_encoding",
            "zpages");
  }

  @Test
  void eachTiersShippedConfigValidatesWithOnlyItsComponents() throws Exception {
    for (String tier : List.of("ingestion", "processing")) {
      ServiceConfig cfg =
          new ConfigLoader(tier(tier), ENV::get)
              .load(List.of(Path.of("config", tier + ".yaml").toString()), List.of());
      new Service(cfg, BuildInfo.DEFAULT, new MetricsRegistry(), Clock.systemUTC()).build();
    }
  }

  @Test
  void tailSamplingOnTheIngestionTierIsRefusedNamingThePlaceAndWhatTheTierHas() throws Exception {
    Path yaml =
        Files.writeString(
            tmp.resolve("sampling.yaml"),
            """
            receivers: {otlp: {protocols: {grpc: {endpoint: 127.0.0.1:0}}}}
            processors:
              tail_sampling/errors: {policies: [{name: e, type: status_code, status_code: {status_codes: [ERROR]}}]}
            exporters: {debug: {}, file: {path: /tmp/x.jsonl}}
            service:
              pipelines: {traces: {receivers: [otlp], processors: [tail_sampling/errors], exporters: [debug, file]}}
            """);
    assertThatThrownBy(
            () ->
                new ConfigLoader(tier("ingestion"), ENV::get)
                    .load(List.of(yaml.toString()), List.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        new ConfigError(
                            "processors.tail_sampling/errors",
                            "processor type \"tail_sampling\" is not included in this distribution"
                                + " (tiercel-ingestion); its processor types are: batch, filter,"
                                + " memory_limiter, transform"),
                        new ConfigError(
                            "exporters.file",
                            "exporter type \"file\" is not included in this distribution "
                                + "(tiercel-ingestion); its exporter types are: debug, kafka")));
    // the whole classpath (bin/tiercel of a checkout) accepts the same config
    new ConfigLoader(all, ENV::get).load(List.of(yaml.toString()), List.of());
  }

  @Test
  void theProcessingTierRefusesTheIngestionTiersEnds() throws Exception {
    Path yaml =
        Files.writeString(
            tmp.resolve("ends.yaml"),
            """
            receivers: {otlp: {}}
            exporters: {kafka: {}}
            service: {pipelines: {traces: {receivers: [otlp], exporters: [kafka]}}}
            """);
    assertThatThrownBy(
            () ->
                new ConfigLoader(tier("processing"), ENV::get)
                    .load(List.of(yaml.toString()), List.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        new ConfigError(
                            "receivers.otlp",
                            "receiver type \"otlp\" is not included in this distribution "
                                + "(tiercel-processing); its receiver types are: kafka"),
                        new ConfigError(
                            "exporters.kafka",
                            "exporter type \"kafka\" is not included in this distribution"
                                + " (tiercel-processing); its exporter types are: debug, file,"
                                + " otlp, otlp_grpc, otlp_http, otlphttp")));
  }
}
