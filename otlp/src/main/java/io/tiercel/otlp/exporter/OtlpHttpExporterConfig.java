package io.tiercel.otlp.exporter;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.OptionalSection;
import io.tiercel.core.config.Secret;
import io.tiercel.core.exporterhelper.QueueConfig;
import io.tiercel.core.exporterhelper.RetryConfig;
import io.tiercel.core.extension.auth.AuthConfig;
import io.tiercel.core.pdata.Signal;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

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
 * @param compression gzip (default), zlib, deflate, snappy, x-snappy-framed, zstd, lz4 or none
 * @param encoding proto (default)
 * @param timeout per attempt (30s)
 * @param retryOnFailure backoff for retryable failures ({@code Retry-After} is honoured)
 * @param sendingQueue the bounded queue in front of the sends
 * @param compressionParams the compression level
 * @param readBufferSize accepted for collector configs; okhttp sizes its own buffers
 * @param writeBufferSize accepted for collector configs (default 512 KiB, as the collector's);
 *     okhttp sizes its own buffers
 * @param maxIdleConns idle connections kept in total (default 100; 0: no limit)
 * @param maxIdleConnsPerHost idle connections kept per host (0: Go's default, 2)
 * @param maxConnsPerHost connections (and so requests in flight) per host (0: no limit)
 * @param idleConnTimeout close a connection idle this long (default 90s; 0: no limit)
 * @param disableKeepAlives one connection per request ({@code Connection: close}, none kept)
 * @param auth the client authenticator that gives every request its credentials, or null
 */
public record OtlpHttpExporterConfig(
    String endpoint,
    String tracesEndpoint,
    String metricsEndpoint,
    String logsEndpoint,
    @Nullable String profilesEndpoint,
    ClientTls tls,
    Map<String, Secret> headers,
    Compression compression,
    Encoding encoding,
    Duration timeout,
    RetryConfig retryOnFailure,
    QueueConfig sendingQueue,
    CompressionParams compressionParams,
    int readBufferSize,
    int writeBufferSize,
    int maxIdleConns,
    int maxIdleConnsPerHost,
    int maxConnsPerHost,
    Duration idleConnTimeout,
    boolean disableKeepAlives,
    @OptionalSection @Nullable AuthConfig auth)
    implements OtlpExporterConfig {
  /**
   * Go's {@code http.DefaultMaxIdleConnsPerHost}, used when {@code max_idle_conns_per_host} is 0.
   */
  static final int GO_DEFAULT_MAX_IDLE_CONNS_PER_HOST = 2;

  /** The settings without an authenticator. */
  public OtlpHttpExporterConfig(
      String endpoint,
      String tracesEndpoint,
      String metricsEndpoint,
      String logsEndpoint,
      @Nullable String profilesEndpoint,
      ClientTls tls,
      Map<String, Secret> headers,
      Compression compression,
      Encoding encoding,
      Duration timeout,
      RetryConfig retryOnFailure,
      QueueConfig sendingQueue,
      CompressionParams compressionParams,
      int readBufferSize,
      int writeBufferSize,
      int maxIdleConns,
      int maxIdleConnsPerHost,
      int maxConnsPerHost,
      Duration idleConnTimeout,
      boolean disableKeepAlives) {
    this(
        endpoint,
        tracesEndpoint,
        metricsEndpoint,
        logsEndpoint,
        profilesEndpoint,
        tls,
        headers,
        compression,
        encoding,
        timeout,
        retryOnFailure,
        sendingQueue,
        compressionParams,
        readBufferSize,
        writeBufferSize,
        maxIdleConns,
        maxIdleConnsPerHost,
        maxConnsPerHost,
        idleConnTimeout,
        disableKeepAlives,
        null);
  }

  /** The settings before the compression level, profiles and connection keys existed. */
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
        sendingQueue,
        CompressionParams.DEFAULT,
        0,
        OtlpGrpcExporterConfig.DEFAULT_WRITE_BUFFER_SIZE,
        100,
        0,
        0,
        Duration.ofSeconds(90),
        false);
  }

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
          QueueConfig.DEFAULT,
          CompressionParams.DEFAULT,
          0,
          OtlpGrpcExporterConfig.DEFAULT_WRITE_BUFFER_SIZE,
          100,
          0,
          0,
          Duration.ofSeconds(90),
          false,
          null);

  public OtlpHttpExporterConfig {
    tls = tls == null ? ClientTls.DEFAULT : tls;
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    compression = compression == null ? Compression.GZIP : compression;
    encoding = encoding == null ? Encoding.PROTO : encoding;
    timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
    retryOnFailure = retryOnFailure == null ? RetryConfig.DEFAULT : retryOnFailure;
    sendingQueue = sendingQueue == null ? QueueConfig.DEFAULT : sendingQueue;
    compressionParams = compressionParams == null ? CompressionParams.DEFAULT : compressionParams;
    idleConnTimeout = idleConnTimeout == null ? Duration.ZERO : idleConnTimeout;
    if (timeout.isNegative()) {
      throw new InvalidValueException("timeout", "must not be negative, got " + timeout);
    }
    if (compression.compresses()) {
      BodyCompressor.validate(compression, compressionParams.level());
    }
    nonNegative("max_idle_conns", maxIdleConns);
    nonNegative("max_idle_conns_per_host", maxIdleConnsPerHost);
    nonNegative("max_conns_per_host", maxConnsPerHost);
    if (idleConnTimeout.isNegative()) {
      throw new InvalidValueException(
          "idle_conn_timeout", "must not be negative, got " + idleConnTimeout);
    }
  }

  private static void nonNegative(String key, int value) {
    if (value < 0) {
      throw new InvalidValueException(key, "must not be negative, got " + value);
    }
  }

  /**
   * The idle connections the pool keeps: none without keep-alives, else the smaller of the total
   * and the per-host limit (an exporter talks to one host per signal).
   */
  int idleConnections() {
    if (disableKeepAlives) {
      return 0;
    }
    int perHost =
        maxIdleConnsPerHost > 0 ? maxIdleConnsPerHost : GO_DEFAULT_MAX_IDLE_CONNS_PER_HOST;
    return maxIdleConns > 0 ? Math.min(maxIdleConns, perHost) : perHost;
  }

  @Override
  public void validate() {
    if ((endpoint == null || endpoint.isBlank())
        && (tracesEndpoint == null || metricsEndpoint == null || logsEndpoint == null)) {
      if (tracesEndpoint == null
          && metricsEndpoint == null
          && logsEndpoint == null
          && profilesEndpoint == null) {
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
