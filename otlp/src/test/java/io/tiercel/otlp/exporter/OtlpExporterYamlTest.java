package io.tiercel.otlp.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ConfigException;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.config.Secret;
import io.tiercel.core.config.ServiceConfig;
import io.tiercel.core.exporterhelper.QueueConfig;
import io.tiercel.core.exporterhelper.RetryConfig;
import io.tiercel.core.exporterhelper.Sizer;
import io.tiercel.otlp.receiver.OtlpReceiverFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The exporters' YAML through the real config loader: {@code testdata/otlp_grpc/} and {@code
 * testdata/otlp_http/}, each a {@code config.yaml} and an {@code invalid_configs.yaml}.
 */
class OtlpExporterYamlTest {
  @TempDir Path dir;

  private static ServiceConfig load(Path file) throws ConfigException {
    ConfigLoader loader =
        new ConfigLoader(
            ComponentRegistry.of(
                List.of(
                    new OtlpReceiverFactory(),
                    new OtlpExporterFactory.Grpc(),
                    new OtlpExporterFactory.Http())),
            k -> null);
    return loader.load(List.of(file.toString()), List.of());
  }

  private static ServiceConfig testdata(String type) throws Exception {
    return load(
        Path.of(
            OtlpExporterYamlTest.class.getResource("/testdata/" + type + "/config.yaml").toURI()));
  }

  private static Record exporter(ServiceConfig c, String id) {
    return c.exporters().get(ComponentId.parse(id)).config();
  }

  @Test
  void grpcConfigYamlBinds() throws Exception {
    ServiceConfig c = testdata("otlp_grpc");
    assertThat(exporter(c, "otlp_grpc"))
        .isEqualTo(
            new OtlpGrpcExporterConfig(
                "backend:4317", null, null, null, null, null, null, false, null, null));
    assertThat(exporter(c, "otlp/alias"))
        .isEqualTo(
            new OtlpGrpcExporterConfig(
                "http://backend:4317", null, null, null, null, null, null, false, null, null));
    assertThat(exporter(c, "otlp_grpc/custom"))
        .isEqualTo(
            new OtlpGrpcExporterConfig(
                "https://backend.example:4317",
                new ClientTls(
                    false, false, "ca.pem", "client.pem", "client.key", "backend.example"),
                Map.of("Authorization", Secret.of("Bearer token")),
                Compression.NONE,
                Duration.ofSeconds(10),
                new RetryConfig(
                    true,
                    Duration.ofSeconds(1),
                    0.5,
                    1.5,
                    Duration.ofSeconds(30),
                    Duration.ofMinutes(1)),
                new QueueConfig(true, 4, 500, Sizer.REQUESTS, false, false, null),
                true,
                "round_robin",
                "backend.example"));
    OtlpGrpcExporterConfig options = (OtlpGrpcExporterConfig) exporter(c, "otlp_grpc/options");
    assertThat(options.compression()).isEqualTo(Compression.ZSTD);
    assertThat(options.keepalive())
        .isEqualTo(
            new OtlpGrpcExporterConfig.Keepalive(
                Duration.ofSeconds(20), Duration.ofSeconds(30), true));
    assertThat(options.readBufferSize()).isEqualTo(65536);
    assertThat(options.writeBufferSize()).isEqualTo(65536);
    assertThat(options.balancerName()).isEqualTo("round_robin");
    assertThat(options.tls().options().protocols()).containsExactly("TLSv1.3");
    assertThat(options.tls().includeSystemCaCertsPool()).isTrue();
    assertThat(options.tls().reloadInterval()).isEqualTo(Duration.ofMinutes(10));
    OtlpGrpcExporterConfig plain = (OtlpGrpcExporterConfig) exporter(c, "otlp_grpc");
    assertThat(plain.keepalive()).as("no keepalive, as the collector's otlp exporter").isNull();
    assertThat(plain.writeBufferSize()).isEqualTo(512 * 1024);
    OtlpGrpcExporterConfig.Keepalive empty =
        ((OtlpGrpcExporterConfig) exporter(c, "otlp_grpc/keepalive")).keepalive();
    assertThat(empty)
        .as("keepalive given with no value: on, with grpc-go's values")
        .isEqualTo(new OtlpGrpcExporterConfig.Keepalive(Duration.ZERO, Duration.ZERO, false));
    assertThat(empty.effectiveTime()).isEqualTo(Duration.ofSeconds(10));
    assertThat(empty.effectiveTimeout()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void httpConfigYamlBinds() throws Exception {
    ServiceConfig c = testdata("otlp_http");
    assertThat(exporter(c, "otlp_http"))
        .isEqualTo(
            new OtlpHttpExporterConfig(
                "http://backend:4318", null, null, null, null, null, null, null, null, null, null));
    assertThat(exporter(c, "otlphttp/alias"))
        .isEqualTo(
            new OtlpHttpExporterConfig(
                "https://backend:4318",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null));
    OtlpHttpExporterConfig custom = (OtlpHttpExporterConfig) exporter(c, "otlp_http/custom");
    assertThat(custom)
        .isEqualTo(
            new OtlpHttpExporterConfig(
                null,
                "https://traces.example/ingest",
                "https://metrics.example/ingest",
                "https://logs.example/ingest",
                new ClientTls(false, true, null, null, null, null),
                Map.of("X-Api-Key", Secret.of("secret")),
                Compression.NONE,
                Encoding.JSON,
                Duration.ofSeconds(10),
                new RetryConfig(
                    false,
                    Duration.ofSeconds(5),
                    0.5,
                    1.5,
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(300)),
                new QueueConfig(false, 10, 1000, Sizer.REQUESTS, false, false, null)));
    OtlpHttpExporterConfig options = (OtlpHttpExporterConfig) exporter(c, "otlp_http/options");
    assertThat(options.compression()).isEqualTo(Compression.ZSTD);
    assertThat(options.compressionParams()).isEqualTo(new CompressionParams(1));
    assertThat(options.profilesEndpoint()).isEqualTo("https://backend:4318/v1development/profiles");
    assertThat(options.readBufferSize()).isEqualTo(123);
    assertThat(options.writeBufferSize()).isEqualTo(345);
    assertThat(options.maxIdleConns()).isEqualTo(10);
    assertThat(options.maxIdleConnsPerHost()).isEqualTo(5);
    assertThat(options.maxConnsPerHost()).isEqualTo(8);
    assertThat(options.idleConnTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(options.disableKeepAlives()).isTrue();
    assertThat(options.idleConnections()).as("no keep-alives: nothing kept idle").isZero();
    assertThat(options.tls().cipherSuites())
        .containsExactly("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    OtlpHttpExporterConfig plain = (OtlpHttpExporterConfig) exporter(c, "otlp_http");
    assertThat(plain.maxIdleConns()).isEqualTo(100);
    assertThat(plain.idleConnTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(plain.idleConnections()).as("Go's two idle connections per host").isEqualTo(2);
  }

  @SuppressWarnings("unchecked")
  private static Stream<Arguments> invalid(String type) throws IOException {
    try (InputStream in =
        OtlpExporterYamlTest.class.getResourceAsStream(
            "/testdata/" + type + "/invalid_configs.yaml")) {
      Map<String, Map<String, Object>> all =
          (Map<String, Map<String, Object>>)
              new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      return all.entrySet().stream()
          .map(e -> Arguments.of(Named.of(e.getKey(), e.getKey()), e.getValue()));
    }
  }

  static Stream<Arguments> invalidGrpc() throws IOException {
    return invalid("otlp_grpc");
  }

  static Stream<Arguments> invalidHttp() throws IOException {
    return invalid("otlp_http");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidGrpc")
  void invalidGrpcConfigFailsWithExactMessage(String name, Map<String, Object> c) throws Exception {
    assertFails("otlp_grpc", name, c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidHttp")
  void invalidHttpConfigFailsWithExactMessage(String name, Map<String, Object> c) throws Exception {
    assertFails("otlp_http", name, c);
  }

  /** Puts the case's YAML under {@code exporters.<type>} of a one-pipeline config and loads it. */
  private void assertFails(String type, String name, Map<String, Object> c) throws IOException {
    String body =
        ((String) c.get("config")).lines().map(l -> "    " + l).collect(Collectors.joining("\n"));
    String yaml =
        "receivers:\n  otlp:\n    protocols:\n      grpc:\n"
            + "exporters:\n  "
            + type
            + ":\n"
            + body
            + "\nservice:\n  pipelines:\n    traces: {receivers: [otlp], exporters: ["
            + type
            + "]}\n";
    Path file = Files.writeString(dir.resolve(type + "-" + name + ".yaml"), yaml);
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(file));
    assertThat(e).as("case %s must fail", name).isNotNull();
    assertThat(e.getMessage()).isEqualTo(c.get("error"));
  }
}
