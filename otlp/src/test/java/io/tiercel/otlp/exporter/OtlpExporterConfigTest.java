package io.tiercel.otlp.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.config.ConfigBinder;
import io.tiercel.core.config.ConfigError;
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OtlpExporterConfigTest {
  private static OtlpGrpcExporterConfig grpc(String endpoint) {
    return new OtlpGrpcExporterConfig(
        endpoint, null, null, null, null, null, null, false, null, null);
  }

  private static OtlpHttpExporterConfig http(String endpoint, String traces) {
    return new OtlpHttpExporterConfig(
        endpoint, traces, null, null, null, null, null, null, null, null, null);
  }

  @Test
  void grpcEndpointForms() {
    assertThat(grpc("collector:4317").target()).isEqualTo("collector:4317");
    assertThat(grpc("http://collector:4317").plaintext()).isTrue();
    assertThat(grpc("https://collector:4317/").target()).isEqualTo("collector:4317");
    assertThat(grpc("collector:4317").plaintext()).isFalse();
    assertThatThrownBy(() -> grpc(null).validate())
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("is required (host:port of the OTLP gRPC server)");
    assertThatThrownBy(() -> grpc("collector").validate())
        .hasMessage("\"collector\" is not host:port (or http(s)://host:port)");
    assertThatThrownBy(
            () ->
                new OtlpGrpcExporterConfig(
                    "a:1", null, null, null, null, null, null, false, "random", null))
        .hasMessage("\"random\" is not one of pick_first, round_robin");
  }

  @Test
  void httpUrlsPerSignal() {
    var c = http("https://backend:4318/", "https://traces.example/ingest");
    c.validate();
    assertThat(c.url(Signal.TRACES)).isEqualTo("https://traces.example/ingest");
    assertThat(c.url(Signal.METRICS)).isEqualTo("https://backend:4318/v1/metrics");
    assertThat(c.url(Signal.LOGS)).isEqualTo("https://backend:4318/v1/logs");
    assertThatThrownBy(() -> http(null, null).validate())
        .hasMessage("is required (or traces_endpoint, metrics_endpoint and logs_endpoint)");
    assertThatThrownBy(() -> http("ftp://x:1", null).validate())
        .hasMessage("\"ftp://x:1\" is not an http:// or https:// URL");
    assertThat(OtlpHttpExporterConfig.DEFAULT.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(OtlpGrpcExporterConfig.DEFAULT.timeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void httpEncodingIsProtoByDefaultAndJsonOnRequest() {
    List<ConfigError> errors = new ArrayList<>();
    OtlpHttpExporterConfig dflt = new OtlpExporterFactory.Http().createDefaultConfig();
    assertThat(
            ConfigBinder.bind(
                    OtlpHttpExporterConfig.class,
                    dflt,
                    Map.of("endpoint", "http://b:4318"),
                    "exporters.otlp_http",
                    errors)
                .encoding())
        .isEqualTo(Encoding.PROTO);
    OtlpHttpExporterConfig json =
        ConfigBinder.bind(
            OtlpHttpExporterConfig.class,
            dflt,
            Map.of("endpoint", "http://b:4318", "encoding", "json"),
            "exporters.otlp_http",
            errors);
    assertThat(errors).isEmpty();
    assertThat(json.encoding()).isEqualTo(Encoding.JSON);
    assertThat(json.encoding().contentType()).isEqualTo("application/json");
    assertThat(Encoding.PROTO.contentType()).isEqualTo("application/x-protobuf");
    ConfigBinder.bind(
        OtlpHttpExporterConfig.class,
        dflt,
        Map.of("endpoint", "http://b:4318", "encoding", "xml"),
        "exporters.otlp_http",
        errors);
    assertThat(errors)
        .extracting(ConfigError::toString)
        .containsExactly("exporters.otlp_http.encoding: \"xml\" is not one of proto, json");
  }

  @Test
  void retryAfterSecondsAndDates() {
    assertThat(HttpTransport.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
    assertThat(HttpTransport.retryAfter(null)).isNull();
    assertThat(HttpTransport.retryAfter("soon")).isNull();
    assertThat(HttpTransport.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
  }

  @ParameterizedTest(name = "{0} retryable={1}")
  @CsvSource({
    "UNAVAILABLE,true",
    "DEADLINE_EXCEEDED,true",
    "CANCELLED,true",
    "ABORTED,true",
    "OUT_OF_RANGE,true",
    "DATA_LOSS,true",
    "RESOURCE_EXHAUSTED,false",
    "INVALID_ARGUMENT,false",
    "INTERNAL,false",
    "UNAUTHENTICATED,false",
    "PERMISSION_DENIED,false",
    "UNIMPLEMENTED,false"
  })
  void grpcStatusClassificationFollowsTheOtlpSpec(Status.Code code, boolean retryable) {
    var t =
        new GrpcTransport<Traces>(
            Settings.forTest(Kind.EXPORTER, ComponentId.of("otlp_grpc"), Signal.TRACES),
            grpc("http://h:1"));
    PipelineException pe =
        t.classify(Status.fromCode(code).withDescription("x").asRuntimeException());
    assertThat(pe.isRetryable()).isEqualTo(retryable);
    assertThat(pe).hasMessage("gRPC " + code + " from http://h:1: x");
  }

  @Test
  void clientCertAndKeyGoTogether() {
    assertThatThrownBy(() -> new ClientTls(false, false, null, "/c.pem", null, null))
        .hasMessage("cert_file and key_file must be set together");
  }
}
