package io.tiercel.otlp.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.config.InvalidValueException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OtlpReceiverConfigTest {
  @Test
  void grpcDefaultsAreTheCollectors() {
    OtlpReceiverConfig.Grpc g = OtlpReceiverConfig.Grpc.defaults();
    assertThat(g.endpoint()).isEqualTo("localhost:4317");
    assertThat(g.transport()).isEqualTo("tcp");
    assertThat(g.maxRecvMsgSizeMib()).isEqualTo(4);
    assertThat(g.maxConcurrentStreams()).isNull();
    assertThat(g.tls()).isNull();
    assertThat(g.keepalive()).isNull();
    assertThat(g.includeMetadata()).isFalse();
  }

  @Test
  void httpDefaultsAreTheCollectors() {
    OtlpReceiverConfig.Http h = OtlpReceiverConfig.Http.defaults();
    assertThat(h.endpoint()).isEqualTo("localhost:4318");
    assertThat(h.maxRequestBodySize()).isEqualTo(20L * 1024 * 1024);
    assertThat(h.tracesUrlPath()).isEqualTo("/v1/traces");
    assertThat(h.metricsUrlPath()).isEqualTo("/v1/metrics");
    assertThat(h.logsUrlPath()).isEqualTo("/v1/logs");
    assertThat(h.cors()).isNull();
    assertThat(h.includeMetadata()).isFalse();
  }

  @Test
  void pathsGetALeadingSlashAndZeroBodySizeMeansTheDefault() {
    OtlpReceiverConfig.Http h =
        new OtlpReceiverConfig.Http(
            ":4318", null, null, 0L, true, "traces", null, "/x/logs", null, null, null);
    assertThat(h.tracesUrlPath()).isEqualTo("/traces");
    assertThat(h.logsUrlPath()).isEqualTo("/x/logs");
    assertThat(h.maxRequestBodySize()).isEqualTo(OtlpReceiverConfig.DEFAULT_MAX_REQUEST_BODY_SIZE);
  }

  @Test
  void theDefaultConfigNamesNoProtocolAndFailsValidation() {
    OtlpReceiverConfig c = new OtlpReceiverFactory().createDefaultConfig();
    assertThat(c.protocols().grpc()).isNull();
    assertThat(c.protocols().http()).isNull();
    assertThatThrownBy(c::validate)
        .isInstanceOfSatisfying(
            InvalidValueException.class,
            e -> {
              assertThat(e.key()).isEqualTo("protocols");
              assertThat(e.getMessage())
                  .isEqualTo("must specify at least one protocol when using the OTLP receiver");
            });
    new OtlpReceiverConfig(
            new OtlpReceiverConfig.Protocols(null, OtlpReceiverConfig.Http.defaults()))
        .validate();
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        bad(
            "endpoint without port",
            "endpoint",
            "\"localhost\" must be host:port",
            () ->
                new OtlpReceiverConfig.Grpc(
                    "localhost", null, null, null, null, null, null, null, false)),
        bad(
            "port not a number",
            "endpoint",
            "\"localhost:http\": port \"http\" is not a number",
            () ->
                new OtlpReceiverConfig.Http(
                    "localhost:http", null, null, null, false, null, null, null, null, null, null)),
        bad(
            "port out of range",
            "endpoint",
            "\"localhost:70000\": port 70000 is out of range 0-65535",
            () ->
                new OtlpReceiverConfig.Grpc(
                    "localhost:70000", null, null, null, null, null, null, null, false)),
        bad(
            "bare ipv6",
            "endpoint",
            "\"::1:4317\": an IPv6 host must be enclosed in [ ]",
            () ->
                new OtlpReceiverConfig.Grpc(
                    "::1:4317", null, null, null, null, null, null, null, false)),
        bad(
            "unknown transport",
            "transport",
            "\"udp\" is not one of tcp, tcp4, tcp6, unix",
            () ->
                new OtlpReceiverConfig.Grpc(
                    null, "udp", null, null, null, null, null, null, false)),
        bad(
            "zero message size",
            "max_recv_msg_size_mib",
            "must be between 1 and 2047, got 0",
            () -> new OtlpReceiverConfig.Grpc(null, null, null, 0, null, null, null, null, false)),
        bad(
            "zero streams",
            "max_concurrent_streams",
            "must be positive, got 0",
            () -> new OtlpReceiverConfig.Grpc(null, null, null, null, 0, null, null, null, false)),
        bad(
            "path with a bad escape",
            "traces_url_path",
            "\"/v1/tra%zz\" is not a valid URL path (invalid URL escape)",
            () ->
                new OtlpReceiverConfig.Http(
                    null, null, null, null, false, "/v1/tra%zz", null, null, null, null, null)),
        bad(
            "unknown compression",
            "compression_algorithms",
            "\"br\" is not one of \"\", gzip, zstd, zlib, snappy, deflate, lz4, x-snappy-framed",
            () ->
                new OtlpReceiverConfig.Http(
                    null,
                    null,
                    null,
                    null,
                    false,
                    null,
                    null,
                    null,
                    List.of("gzip", "br"),
                    null,
                    null)),
        bad(
            "tls without key",
            "key_file",
            "is required when tls is set",
            () -> new OtlpReceiverConfig.Tls("cert.pem", null, null, null)),
        bad(
            "tls without cert",
            "cert_file",
            "is required when tls is set",
            () -> new OtlpReceiverConfig.Tls("", "key.pem", null, null)),
        bad(
            "negative keepalive time",
            "time",
            "must be positive, got PT-1S",
            () ->
                new OtlpReceiverConfig.ServerParameters(
                    null, null, null, Duration.ofSeconds(-1), null)),
        bad(
            "negative cors max age",
            "max_age",
            "must not be negative, got -1",
            () -> new OtlpReceiverConfig.Cors(List.of("*"), null, -1)));
  }

  private static Arguments bad(String name, String key, String message, Supplier<Object> make) {
    return Arguments.of(Named.of(name, make), key, message);
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void invalidValuesNameTheKey(Supplier<Object> make, String key, String message) {
    assertThatThrownBy(make::get)
        .isInstanceOfSatisfying(
            InvalidValueException.class,
            e -> {
              assertThat(e.key()).isEqualTo(key);
              assertThat(e.getMessage()).isEqualTo(message);
            });
  }

  @Test
  void endpointForms() {
    assertThat(Endpoint.parse(":4317").getAddress().isAnyLocalAddress()).isTrue();
    assertThat(Endpoint.parse("[::1]:4317").getHostString()).isEqualTo("::1");
    assertThat(Endpoint.parse("0.0.0.0:0").getPort()).isZero();
  }
}
