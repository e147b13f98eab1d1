package io.tiercel.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.config.TestFactories.BatchConfig;
import io.tiercel.core.config.TestFactories.Compression;
import io.tiercel.core.config.TestFactories.Encoding;
import io.tiercel.core.config.TestFactories.GeneratorConfig;
import io.tiercel.core.config.TestFactories.KafkaConfig;
import io.tiercel.core.config.TestFactories.OtlpGrpcConfig;
import io.tiercel.core.config.TestFactories.OtlpReceiverConfig;
import io.tiercel.core.pdata.Signal;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private final ConfigLoader loader = new ConfigLoader(TestFactories.registry(), name -> null);

  static String testdata(String name) {
    try {
      return Path.of(ConfigLoaderTest.class.getResource("/testdata/" + name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void loadsRealisticConfig() throws Exception {
    ServiceConfig c = loader.load(List.of(testdata("config.yaml")), List.of());

    assertThat(c.receivers().keySet())
        .extracting(ComponentId::toString)
        .containsExactly("otlp", "generator", "generator/fast");
    OtlpReceiverConfig otlp =
        (OtlpReceiverConfig) c.receivers().get(ComponentId.of("otlp")).config();
    assertThat(otlp.protocols().grpc().endpoint()).isEqualTo("0.0.0.0:4317");
    assertThat(otlp.protocols().http().endpoint())
        .isEqualTo("localhost:4318"); // default kept in a partial map
    assertThat(c.receivers().get(ComponentId.of("generator")).config())
        .isEqualTo(
            new TestFactories.Generator().createDefaultConfig()); // "generator:" with nothing
    GeneratorConfig fast =
        (GeneratorConfig) c.receivers().get(ComponentId.parse("generator/fast")).config();
    assertThat(fast)
        .isEqualTo(
            new GeneratorConfig(
                5000,
                Duration.ofSeconds(90),
                "gen",
                true,
                1.0,
                10_000_000_000L,
                Map.of("env", "prod", "region", "eu-west-1"),
                List.of("a", "b")));

    BatchConfig batch = (BatchConfig) c.processors().get(ComponentId.of("batch")).config();
    assertThat(batch).isEqualTo(new BatchConfig(Duration.ofSeconds(2), 1024, 0));

    KafkaConfig kafka = (KafkaConfig) c.exporters().get(ComponentId.parse("kafka/traces")).config();
    assertThat(kafka.brokers()).containsExactly("kafka-1:9092", "kafka-2:9092");
    assertThat(kafka.encoding()).isEqualTo(Encoding.OTLP_JSON);
    assertThat(kafka.auth().password().value()).isEqualTo("s3cr3t-pw");
    assertThat(kafka.producer().compression()).isEqualTo(Compression.ZSTD);
    assertThat(kafka.producer().maxMessageBytes()).isEqualTo(1_000_000);
    assertThat(kafka.producer().passthrough())
        .containsExactly(Map.entry("linger.ms", 5), Map.entry("acks", "all"));
    assertThat(kafka.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(kafka.clientTimeoutMs()).isNull();

    // "otlp" is an alias of otlp_grpc: the id stays as written, the factory is otlp_grpc's
    var otlpExp = c.exporters().get(ComponentId.of("otlp"));
    assertThat(otlpExp.factory().type()).isEqualTo("otlp_grpc");
    assertThat(((OtlpGrpcConfig) otlpExp.config()).headers().get("authorization").value())
        .isEqualTo("Bearer abc123");

    assertThat(c.extensions()).containsOnlyKeys(ComponentId.of("health_check"));
    assertThat(c.serviceExtensions()).containsExactly(ComponentId.of("health_check"));
    assertThat(c.pipelines().keySet())
        .extracting(PipelineId::toString)
        .containsExactly("traces", "metrics/gen", "logs");
    PipelineConfig traces = c.pipelines().get(new PipelineId(Signal.TRACES, ""));
    assertThat(traces.receivers())
        .extracting(ComponentId::toString)
        .containsExactly("otlp", "generator/fast");
    assertThat(traces.processors())
        .extracting(ComponentId::toString)
        .containsExactly("memory_limiter", "batch");
    assertThat(traces.exporters())
        .extracting(ComponentId::toString)
        .containsExactly("kafka/traces", "otlp");
    assertThat(c.telemetry())
        .isEqualTo(new TelemetryConfig("detailed", "0.0.0.0", 9888, "debug", "json"));
  }

  @Test
  void effectiveConfigRoundTripsThroughYaml() throws Exception {
    ServiceConfig c = loader.load(List.of(testdata("config.yaml")), List.of());
    String yaml = EffectiveConfig.toYaml(EffectiveConfig.tree(c));

    assertThat(yaml)
        .contains(
            """
            exporters:
              kafka/traces:
                brokers:
                - kafka-1:9092
                - kafka-2:9092
                topic: otlp_spans
                encoding: otlp_json
                auth:
                  username: tiercel
                  password: '[REDACTED]'
                producer:
                  compression: zstd
                  max_message_bytes: 1000000
                  passthrough:
                    linger.ms: 5
                    acks: all
                timeout: 10s
                client_timeout_ms: null
            """);
    assertThat(yaml)
        .contains(
            """
              generator/fast:
                spans_per_second: 5000
                interval: 1m30s
                service_name: gen
                enabled: true
                ratio: 1.0
                max_items: 10000000000
            """);
    assertThat(yaml).doesNotContain("s3cr3t-pw").doesNotContain("abc123");

    ServiceConfig again = loader.load(List.of("yaml:" + yaml), List.of());
    assertThat(again.receivers()).isEqualTo(c.receivers());
    assertThat(again.processors()).isEqualTo(c.processors());
    assertThat(again.pipelines()).isEqualTo(c.pipelines());
    assertThat(again.telemetry()).isEqualTo(c.telemetry());
    assertThat(
            ((KafkaConfig) again.exporters().get(ComponentId.parse("kafka/traces")).config())
                .auth()
                .password()
                .value())
        .isEqualTo("[REDACTED]");
  }

  @Test
  void mergesFilesThenAppliesSets() throws Exception {
    ServiceConfig c =
        loader.load(
            List.of(testdata("config.yaml"), "file:" + testdata("override.yaml")),
            List.of(
                "exporters.kafka/traces.topic=spans_v2",
                "processors::batch::send_batch_size=7",
                "service.telemetry.metrics.level=none",
                "exporters.kafka/traces.auth.password=0123"));

    BatchConfig batch = (BatchConfig) c.processors().get(ComponentId.of("batch")).config();
    assertThat(batch).isEqualTo(new BatchConfig(Duration.ofSeconds(5), 7, 0));
    KafkaConfig kafka = (KafkaConfig) c.exporters().get(ComponentId.parse("kafka/traces")).config();
    assertThat(kafka.brokers()).containsExactly("kafka-9:9092"); // lists are replaced, not appended
    assertThat(kafka.producer().compression()).isEqualTo(Compression.LZ4);
    assertThat(kafka.producer().passthrough()).containsOnlyKeys("linger.ms", "acks"); // maps merge
    assertThat(kafka.topic()).isEqualTo("spans_v2");
    assertThat(kafka.encoding()).isEqualTo(Encoding.OTLP_JSON);
    assertThat(kafka.auth().password().value())
        .isEqualTo("0123"); // a --set number keeps its text for a string
    assertThat(c.telemetry())
        .isEqualTo(new TelemetryConfig("none", "0.0.0.0", 9888, "warn", "json"));
  }

  @Test
  void inlineYamlAndEnvSources() throws Exception {
    ConfigLoader l =
        new ConfigLoader(
            TestFactories.registry(),
            Map.<String, String>of(
                    "CFG",
                    """
                    receivers: {generator: }
                    exporters: {logs_only: }
                    service: {pipelines: {logs: {receivers: [generator], exporters: [logs_only]}}}
                    """)
                ::get);
    ServiceConfig c =
        l.load(
            List.of(
                "env:CFG",
                "yaml:receivers::generator::interval: 250ms",
                "yaml:service::telemetry::metrics::address: :7777"),
            List.of("receivers.generator.tags=[x, y]"));
    GeneratorConfig g = (GeneratorConfig) c.receivers().get(ComponentId.of("generator")).config();
    assertThat(g.interval()).isEqualTo(Duration.ofMillis(250));
    assertThat(g.tags()).containsExactly("x", "y");
    assertThat(c.telemetry().metricsHost()).isEqualTo("0.0.0.0");
    assertThat(c.telemetry().metricsPort()).isEqualTo(7777);
  }

  @Test
  void anchorsAliasesAndMergeKeys() throws Exception {
    ServiceConfig c =
        loader.load(
            List.of(
                "yaml:"
                    + """
                    receivers:
                      generator: &gen
                        spans_per_second: 10
                        tags: [x]
                        attributes: {a: "1"}
                      generator/2:
                        <<: *gen
                        spans_per_second: 20
                      generator/3: *gen
                    exporters: {kafka: }
                    service:
                      pipelines:
                        traces: {receivers: [generator], exporters: [kafka]}
                    """),
            List.of("receivers.generator/2.attributes.k=v"));
    assertThat(c.receivers().values())
        .extracting(r -> ((GeneratorConfig) r.config()).spansPerSecond())
        .containsExactly(10, 20, 10);
    assertThat(c.receivers().values())
        .extracting(r -> ((GeneratorConfig) r.config()).tags())
        .containsOnly(List.of("x"));
    assertThat(c.receivers().values())
        .extracting(r -> ((GeneratorConfig) r.config()).attributes())
        .containsExactly(Map.of("a", "1"), Map.of("a", "1", "k", "v"), Map.of("a", "1"));
  }

  @Test
  void documentWithOnlyAMarkerIsEmpty() {
    assertThatThrownBy(() -> loader.loadRaw(List.of("yaml:---\n"), List.of()))
        .hasMessage("inline yaml (config source 1): the config is empty");
  }

  @Test
  void setOnComponentIdWithSlashAndDots() throws Exception {
    Map<String, Object> raw =
        loader.loadRaw(
            List.of(testdata("config.yaml")),
            List.of(
                "exporters.logs_only/out.path=x.log",
                "exporters::otlp/my.backend::endpoint=b:4317",
                "a.b="));
    assertThat(raw.get("exporters"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("logs_only/out", Map.of("path", "x.log"))
        .containsEntry("otlp/my.backend", Map.of("endpoint", "b:4317"));
    assertThat(raw.get("a")).isEqualTo(java.util.Collections.singletonMap("b", null));
  }

  @Test
  void badSetsAreReportedTogether() {
    assertThatThrownBy(
            () ->
                loader.loadRaw(
                    List.of(testdata("config.yaml")),
                    List.of("novalue", "a..b=1", "service.extensions.x=1")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            """
            --set "novalue": expected key=value
            --set "a..b": empty key segment
            --set "service.extensions.x": service.extensions is not a map\
            """);
  }

  @Test
  void missingFileAndUnsupportedSource(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.yaml"), "# nothing here\n");
    assertThatThrownBy(
            () ->
                loader.loadRaw(
                    List.of(
                        "/no/such.yaml", "http://x/c.yaml", "env:NOPE", empty.toString(), "yaml:"),
                    List.of()))
        .hasMessage(
            "/no/such.yaml: no such file\n"
                + "unsupported config source \"http://x/c.yaml\": use a file path, file:PATH,"
                + " env:VAR or yaml:INLINE\n"
                + "env:NOPE: environment variable \"NOPE\" is not set\n"
                + empty
                + ": the config is empty\n"
                + "inline yaml (config source 5): the config is empty");
    assertThatThrownBy(() -> loader.loadRaw(List.of(), List.of()))
        .hasMessage("no config source given: pass at least one --config");
  }
}
