package io.tiercel.otlp.exporter;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.OptionalSection;
import io.tiercel.core.config.Secret;
import io.tiercel.core.exporterhelper.QueueConfig;
import io.tiercel.core.exporterhelper.RetryConfig;
import io.tiercel.core.extension.auth.AuthConfig;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Config of the {@code otlp_grpc} exporter (alias {@code otlp}).
 *
 * @param endpoint {@code host:port}, or a URL: {@code http://} means plain text, {@code https://}
 *     TLS (required)
 * @param tls client TLS
 * @param headers extra request metadata, e.g. an API key (values are secrets: redacted in printed
 *     configs)
 * @param compression gzip (default), snappy, zstd or none; zlib, deflate, x-snappy-framed and lz4
 *     (which the collector's gRPC client does not send either) are refused
 * @param timeout per attempt (5s)
 * @param retryOnFailure backoff for retryable failures
 * @param sendingQueue the bounded queue in front of the sends
 * @param waitForReady queue calls while the connection is being (re)established instead of failing
 *     at once
 * @param balancerName gRPC load balancing policy: {@code round_robin} (default, as in the
 *     collector) or {@code pick_first}
 * @param authority overrides the {@code :authority} of the calls
 * @param keepalive client keepalive pings, or null for none (the collector's {@code otlp} default)
 * @param readBufferSize the most bytes one socket read takes (0: Netty's adaptive default)
 * @param writeBufferSize accepted for collector configs (default 512 KiB, as the collector's);
 *     Netty writes what each flush holds
 * @param auth the client authenticator that gives every call its credentials, or null
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
    @Nullable String authority,
    @OptionalSection @Nullable Keepalive keepalive,
    int readBufferSize,
    int writeBufferSize,
    @OptionalSection @Nullable AuthConfig auth)
    implements OtlpExporterConfig {
  /** The collector's default balancer since v0.103. */
  public static final String DEFAULT_BALANCER = "round_robin";

  /** The collector's {@code write_buffer_size} default of its OTLP exporters. */
  public static final int DEFAULT_WRITE_BUFFER_SIZE = 512 * 1024;

  /**
   * {@code keepalive} of the gRPC client (grpc-go's {@code keepalive.ClientParameters}). Present
   * means on; unset fields get grpc-go's values.
   *
   * @param time ping after this long without activity (0 or anything below 10s is 10s, as in
   *     grpc-go and grpc-java)
   * @param timeout close the connection when a ping is not answered within this (0: 20s, grpc-go's
   *     default)
   * @param permitWithoutStream also ping while no call is open
   */
  public record Keepalive(Duration time, Duration timeout, boolean permitWithoutStream) {
    /** The least ping interval grpc-go and grpc-java allow. */
    static final Duration MIN_TIME = Duration.ofSeconds(10);

    /** grpc-go's ping timeout when none is set. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    public Keepalive {
      time = time == null ? Duration.ZERO : time;
      timeout = timeout == null ? Duration.ZERO : timeout;
      if (time.isNegative()) {
        throw new InvalidValueException("time", "must not be negative, got " + time);
      }
      if (timeout.isNegative()) {
        throw new InvalidValueException("timeout", "must not be negative, got " + timeout);
      }
    }

    /** The ping interval used. */
    Duration effectiveTime() {
      return time.compareTo(MIN_TIME) < 0 ? MIN_TIME : time;
    }

    /** The ping timeout used. */
    Duration effectiveTimeout() {
      return timeout.isZero() ? DEFAULT_TIMEOUT : timeout;
    }
  }

  /** The settings without an authenticator. */
  public OtlpGrpcExporterConfig(
      String endpoint,
      ClientTls tls,
      Map<String, Secret> headers,
      Compression compression,
      Duration timeout,
      RetryConfig retryOnFailure,
      QueueConfig sendingQueue,
      boolean waitForReady,
      String balancerName,
      @Nullable String authority,
      @Nullable Keepalive keepalive,
      int readBufferSize,
      int writeBufferSize) {
    this(
        endpoint,
        tls,
        headers,
        compression,
        timeout,
        retryOnFailure,
        sendingQueue,
        waitForReady,
        balancerName,
        authority,
        keepalive,
        readBufferSize,
        writeBufferSize,
        null);
  }

  /** The settings before keepalive and the buffer sizes were keys. */
  public OtlpGrpcExporterConfig(
      String endpoint,
      ClientTls tls,
      Map<String, Secret> headers,
      Compression compression,
      Duration timeout,
      RetryConfig retryOnFailure,
      QueueConfig sendingQueue,
      boolean waitForReady,
      String balancerName,
      @Nullable String authority) {
    this(
        endpoint,
        tls,
        headers,
        compression,
        timeout,
        retryOnFailure,
        sendingQueue,
        waitForReady,
        balancerName,
        authority,
        null,
        0,
        DEFAULT_WRITE_BUFFER_SIZE);
  }

  /** The encodings the collector's gRPC client can send. */
  private static final Set<Compression> GRPC_COMPRESSIONS =
      EnumSet.of(Compression.GZIP, Compression.SNAPPY, Compression.ZSTD, Compression.NONE);

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
          DEFAULT_BALANCER,
          null,
          null,
          0,
          DEFAULT_WRITE_BUFFER_SIZE,
          null);

  public OtlpGrpcExporterConfig {
    tls = tls == null ? ClientTls.DEFAULT : tls;
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    compression = compression == null ? Compression.GZIP : compression;
    timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
    retryOnFailure = retryOnFailure == null ? RetryConfig.DEFAULT : retryOnFailure;
    sendingQueue = sendingQueue == null ? QueueConfig.DEFAULT : sendingQueue;
    balancerName = balancerName == null ? DEFAULT_BALANCER : balancerName;
    if (timeout.isNegative()) {
      throw new InvalidValueException("timeout", "must not be negative, got " + timeout);
    }
    if (!balancerName.equals("pick_first") && !balancerName.equals("round_robin")) {
      throw new InvalidValueException(
          "balancer_name", "\"" + balancerName + "\" is not one of pick_first, round_robin");
    }
    if (!GRPC_COMPRESSIONS.contains(compression)) {
      throw new InvalidValueException(
          "compression",
          "\""
              + compression.wireName()
              + "\" is not a gRPC message encoding (one of gzip, snappy, zstd, none)");
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
