package io.tiercel.otlp.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.config.InvalidValueException;
import org.junit.jupiter.api.Test;

/**
 * The gRPC exporter's endpoint port must be a number, as the collector's gRPC client config
 * requires ({@code example.com:port} is in its invalid configs).
 */
class GrpcEndpointPortTest {
  private static OtlpGrpcExporterConfig grpc(String endpoint) {
    return new OtlpGrpcExporterConfig(
        endpoint, null, null, null, null, null, null, false, null, null);
  }

  @Test
  void aNamedPortIsRefused() {
    assertThatThrownBy(() -> grpc("example.com:port").validate())
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("\"example.com:port\" has an invalid port \"port\"")
        .extracting(e -> ((InvalidValueException) e).key())
        .isEqualTo("endpoint");
    assertThatThrownBy(() -> grpc("https://example.com:44x3").validate())
        .hasMessage("\"https://example.com:44x3\" has an invalid port \"44x3\"");
  }

  @Test
  void aNumericPortIsKept() {
    assertThat(grpc("example.com:443").target()).isEqualTo("example.com:443");
    assertThat(grpc("[::1]:4317").target()).isEqualTo("[::1]:4317");
  }
}
