package io.tiercel.otlp.exporter;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.Secret;
import io.tiercel.core.exporterhelper.QueueConfig;
import io.tiercel.core.exporterhelper.RetryConfig;
import io.tiercel.core.pdata.Signal;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Config of the {@code otlp_http} exporter (alias {@code otlphttp}).
 *
 * @param endpoint base URL; the signal path ({@code /v1/traces}, ...) is appended
 * @param tracesEndpoint full URL for traces, overriding {@code endpoint}
 * @param metricsEndpoint full URL for metrics
 * @param logsEndpoint full URL for logs
 * @param profilesEndpoint full URL for profiles (else {@code endpoint} + {@code
 *     /v1development/profiles}, the collector's path while the signal is in development)
 * @param tls client TLS for {@code https://}
 * @param headers extra request headers (secrets: redacted when printed)
 * @param compression gzip (default) or none
 * @param encoding proto (default)
 * @param timeout per attempt (30s)
 * @param retryOnFailure backoff for retryable failures ({@code Retry-After} is honoured)
 * @param sendingQueue the bounded queue in front of the sends
 */
public record OtlpHttpExporterConfig(
    String endpoint,
    String tracesEndpoint,
    String metricsEndpoint,
    String logsEndpoint,
    String profilesEndpoint,
    ClientTls tls,
    Map<String, Secret> headers,
    Compression compression,
    Encoding encoding,
    Duration timeout,
    RetryConfig retryOnFailure,
    QueueConfig sendingQueue)
    implements OtlpExporterConfig {
  public static final OtlpHttpExporterConfig DEFAULT =
      new OtlpHttpExporterConfig(
          null,
          null,
          null,
          null,
          null,
          ClientTls.DEFAULT,
          Map.of(),
          Compression.GZIP,
          Encoding.PROTO,
          Duration.ofSeconds(30),
          RetryConfig.DEFAULT,
          QueueConfig.DEFAULT);

  public OtlpHttpExporterConfig {
    tls = tls == null ? ClientTls.DEFAULT : tls;
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    compression = compression == null ? Compression.GZIP : compression;
    encoding = encoding == null ? Encoding.PROTO : encoding;
    timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
    retryOnFailure = retryOnFailure == null ? RetryConfig.DEFAULT : retryOnFailure;
    sendingQueue = sendingQueue == null ? QueueConfig.DEFAULT : sendingQueue;
    if (timeout.isNegative()) {
      throw new InvalidValueException("timeout", "must not be negative, got " + timeout);
    }
  }

  /** The config without {@code profiles_endpoint}. */
  public OtlpHttpExporterConfig(
      String endpoint,
      String tracesEndpoint,
      String metricsEndpoint,
      String logsEndpoint,
      ClientTls tls,
      Map<String, Secret> headers,
      Compression compression,
      Encoding encoding,
      Duration timeout,
      RetryConfig retryOnFailure,
      QueueConfig sendingQueue) {
    this(
        endpoint,
        tracesEndpoint,
        metricsEndpoint,
        logsEndpoint,
        null,
        tls,
        headers,
        compression,
        encoding,
        timeout,
        retryOnFailure,
        sendingQueue);
  }

  @Override
  public void validate() {
    if ((endpoint == null || endpoint.isBlank())
        && (tracesEndpoint == null || metricsEndpoint == null || logsEndpoint == null)) {
      if (tracesEndpoint == null && metricsEndpoint == null && logsEndpoint == null) {
        throw new InvalidValueException(
            "endpoint", "is required (or traces_endpoint, metrics_endpoint and logs_endpoint)");
      }
    }
    for (Signal s : Signal.values()) {
      String key = s.id() + "_endpoint";
      String own = own(s);
      if (own != null) {
        checkUrl(key, own);
      }
    }
    if (endpoint != null && !endpoint.isBlank()) {
      checkUrl("endpoint", endpoint);
    }
  }

  private String own(Signal s) {
    return switch (s) {
      case TRACES -> tracesEndpoint;
      case METRICS -> metricsEndpoint;
      case LOGS -> logsEndpoint;
      case PROFILES -> profilesEndpoint;
    };
  }

  private static void checkUrl(String key, String url) {
    try {
      URI u = new URI(url.strip());
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
        throw new InvalidValueException(key, "\"" + url + "\" is not an http:// or https:// URL");
      }
    } catch (java.net.URISyntaxException e) {
      throw new InvalidValueException(key, "\"" + url + "\" is not a valid URL: " + e.getReason());
    }
  }

  /** The URL data of {@code signal} is posted to, or null when none is configured for it. */
  String url(Signal signal) {
    String own = own(signal);
    if (own != null) {
      return own.strip();
    }
    if (endpoint == null || endpoint.isBlank()) {
      return null;
    }
    String base = endpoint.strip();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + (signal == Signal.PROFILES ? "/v1development/" : "/v1/") + signal.id();
  }
}
