package io.tiercel.otlp.exporter;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.Secret;
import io.tiercel.core.exporterhelper.QueueConfig;
import io.tiercel.core.exporterhelper.RetryConfig;
import java.time.Duration;
import java.util.Map;

/**
 * Config of the {@code otlp_grpc} exporter (alias {@code otlp}).
 *
 * @param endpoint {@code host:port}, or a URL: {@code http://} means plain text, {@code https://}
 *     TLS (required)
 * @param tls client TLS
 * @param headers extra request metadata, e.g. an API key (values are secrets: redacted in printed
 *     configs)
 * @param compression gzip (default) or none
 * @param timeout per attempt (5s)
 * @param retryOnFailure backoff for retryable failures
 * @param sendingQueue the bounded queue in front of the sends
 * @param waitForReady queue calls while the connection is being (re)established instead of failing
 *     at once
 * @param balancerName gRPC load balancing policy: {@code pick_first} (default) or {@code
 *     round_robin}
 * @param authority overrides the {@code :authority} of the calls
 */
public record OtlpGrpcExporterConfig(
    String endpoint,
    ClientTls tls,
    Map<String, Secret> headers,
    Compression compression,
    Duration timeout,
    RetryConfig retryOnFailure,
    QueueConfig sendingQueue,
    boolean waitForReady,
    String balancerName,
    String authority)
    implements OtlpExporterConfig {
  public static final OtlpGrpcExporterConfig DEFAULT =
      new OtlpGrpcExporterConfig(
          null,
          ClientTls.DEFAULT,
          Map.of(),
          Compression.GZIP,
          Duration.ofSeconds(5),
          RetryConfig.DEFAULT,
          QueueConfig.DEFAULT,
          false,
          "pick_first",
          null);

  public OtlpGrpcExporterConfig {
    tls = tls == null ? ClientTls.DEFAULT : tls;
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    compression = compression == null ? Compression.GZIP : compression;
    timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
    retryOnFailure = retryOnFailure == null ? RetryConfig.DEFAULT : retryOnFailure;
    sendingQueue = sendingQueue == null ? QueueConfig.DEFAULT : sendingQueue;
    balancerName = balancerName == null ? "pick_first" : balancerName;
    if (timeout.isNegative()) {
      throw new InvalidValueException("timeout", "must not be negative, got " + timeout);
    }
    if (!balancerName.equals("pick_first") && !balancerName.equals("round_robin")) {
      throw new InvalidValueException(
          "balancer_name", "\"" + balancerName + "\" is not one of pick_first, round_robin");
    }
  }

  @Override
  public void validate() {
    if (endpoint == null || endpoint.isBlank()) {
      throw new InvalidValueException(
          "endpoint", "is required (host:port of the OTLP gRPC server)");
    }
    target();
  }

  /** The gRPC target ({@code host:port}) with the scheme removed. */
  String target() {
    String e = endpoint.strip();
    int scheme = e.indexOf("://");
    String rest = scheme >= 0 ? e.substring(scheme + 3) : e;
    if (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    int colon = rest.lastIndexOf(':');
    if (colon <= 0 || colon == rest.length() - 1 || rest.indexOf('/') >= 0) {
      throw new InvalidValueException(
          "endpoint", "\"" + endpoint + "\" is not host:port (or http(s)://host:port)");
    }
    String port = rest.substring(colon + 1);
    if (!port.matches("[+-]?[0-9]+")) {
      // the collector parses the port as a number (strconv.Atoi): a service name is refused
      throw new InvalidValueException(
          "endpoint", "\"" + endpoint + "\" has an invalid port \"" + port + "\"");
    }
    return rest;
  }

  /**
   * True when the connection is plain text: {@code tls.insecure} or an {@code http://} endpoint.
   */
  boolean plaintext() {
    return tls.insecure() || endpoint.strip().startsWith("http://");
  }
}
