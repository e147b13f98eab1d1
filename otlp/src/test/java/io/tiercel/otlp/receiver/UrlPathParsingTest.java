package io.tiercel.otlp.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.config.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code *_url_path} settings are refused where the collector's URL parsing refuses them (its
 * own testdata uses {@code ":invalid"}), and accepted where it accepts them.
 */
class UrlPathParsingTest {
  private static OtlpReceiverConfig.Http withPaths(String traces, String metrics, String logs) {
    return new OtlpReceiverConfig.Http(
        null, null, null, null, false, traces, metrics, logs, null, null, null);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        ":invalid | missing protocol scheme",
        "1a:b/c | first path segment in URL cannot contain colon",
        "9:x | first path segment in URL cannot contain colon",
        "/v1/%zz | invalid URL escape",
        "/v1/100% | invalid URL escape",
        "'/v1/\u0001' | invalid control character in URL",
      })
  void refusedAsTheCollectorRefusesThem(String path, String reason) {
    assertThatThrownBy(() -> withPaths(path, null, null))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("\"" + path + "\" is not a valid URL path (" + reason + ")")
        .extracting(e -> ((InvalidValueException) e).key())
        .isEqualTo("traces_url_path");
    assertThatThrownBy(() -> withPaths(null, path, null))
        .extracting(e -> ((InvalidValueException) e).key())
        .isEqualTo("metrics_url_path");
    assertThatThrownBy(() -> withPaths(null, null, path))
        .extracting(e -> ((InvalidValueException) e).key())
        .isEqualTo("logs_url_path");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "traces | /traces",
        "/v2/metrics | /v2/metrics",
        "log/ingest | /log/ingest",
        "/a:b | /a:b",
        "x/y:z | /x/y:z",
        "/v1/%41 | /v1/A",
        "/v1/traces?tenant=a | /v1/traces",
        "/v1/logs#part | /v1/logs",
        "'/with space' | '/with space'",
        "http://collector:4318/custom | /custom",
        "//collector/custom | /custom",
        "///triple | ///triple",
        "mailto:x | /",
        "/v1/x?q=%zz | /v1/x",
      })
  void acceptedAndReadAsTheCollectorReadsThem(String path, String expected) {
    assertThat(withPaths(path, null, null).tracesUrlPath()).isEqualTo(expected);
  }

  @Test
  void anAuthorityWithABadPortIsRefused() {
    assertThatThrownBy(() -> withPaths("//collector:port/x", null, null))
        .hasMessage(
            "\"//collector:port/x\" is not a valid URL path (invalid port \":port\" after host)");
  }
}
