package io.tiercel.otlp.receiver;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.OptionalSection;
import io.tiercel.core.config.Secret;
import io.tiercel.core.config.Validatable;
import io.tiercel.core.extension.auth.AuthConfig;
import io.tiercel.otlp.wire.TlsOptions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Config of the {@code otlp} receiver, with the OpenTelemetry Collector's keys and defaults. A
 * protocol is enabled when its key is present ({@code protocols: {grpc: }} enables gRPC with every
 * default); a protocol that is absent (null) is disabled. Nested records fill every unset (null)
 * field with its default, so a partial YAML map and an empty one both give a complete, valid value.
 *
 * @param protocols the protocols to serve; the receiver needs at least one ({@link #validate()})
 */
public record OtlpReceiverConfig(Protocols protocols) implements Validatable {
  /** 20 MiB, the collector's {@code max_request_body_size} default. */
  public static final long DEFAULT_MAX_REQUEST_BODY_SIZE = 20L * 1024 * 1024;

  public OtlpReceiverConfig {
    protocols = protocols == null ? new Protocols(null, null) : protocols;
  }

  /** Fails when the config names no protocol (the default names none: the user picks). */
  @Override
  public void validate() {
    if (noProtocol()) {
      throw new InvalidValueException(
          "protocols", "must specify at least one protocol when using the OTLP receiver");
    }
  }

  /** True when neither protocol is configured. */
  public boolean noProtocol() {
    return protocols.grpc() == null && protocols.http() == null;
  }

  /**
   * {@code protocols}: which servers to run.
   *
   * @param grpc the gRPC server, or null when gRPC is off
   * @param http the HTTP server, or null when HTTP is off
   */
  public record Protocols(@OptionalSection Grpc grpc, @OptionalSection Http http) {}

  /**
   * {@code protocols.grpc}.
   *
   * @param endpoint {@code host:port} to listen on (default {@code localhost:4317}; {@code :4317}
   *     is every interface; port 0 picks a free port)
   * @param transport {@code tcp} (default), {@code tcp4}, {@code tcp6} or {@code unix} (then {@code
   *     endpoint} is the path of a unix domain socket)
   * @param tls server TLS, or null for plain text
   * @param maxRecvMsgSizeMib largest request accepted, in MiB (default 4)
   * @param maxConcurrentStreams limit of concurrent calls per connection (null: no limit)
   * @param readBufferSize the most bytes one socket read takes (0 or null: Netty's adaptive
   *     default)
   * @param writeBufferSize accepted for compatibility with collector configs; Netty writes what
   *     each flush holds
   * @param keepalive keepalive settings, or null for grpc-java's defaults
   * @param includeMetadata put the request's metadata into the pipeline {@code Context}
   * @param auth the server authenticator every call must pass, or null (none)
   */
  public record Grpc(
      String endpoint,
      String transport,
      @OptionalSection Tls tls,
      Integer maxRecvMsgSizeMib,
      Integer maxConcurrentStreams,
      Integer readBufferSize,
      Integer writeBufferSize,
      Keepalive keepalive,
      boolean includeMetadata,
      @OptionalSection AuthConfig auth) {
    public static final String DEFAULT_ENDPOINT = "localhost:4317";

    /** gRPC without an authenticator. */
    public Grpc(
        String endpoint,
        String transport,
        Tls tls,
        Integer maxRecvMsgSizeMib,
        Integer maxConcurrentStreams,
        Integer readBufferSize,
        Integer writeBufferSize,
        Keepalive keepalive,
        boolean includeMetadata) {
      this(
          endpoint,
          transport,
          tls,
          maxRecvMsgSizeMib,
          maxConcurrentStreams,
          readBufferSize,
          writeBufferSize,
          keepalive,
          includeMetadata,
          null);
    }

    public Grpc {
      transport = checkTransport(transport);
      endpoint = checkEndpoint(transport, endpoint == null ? DEFAULT_ENDPOINT : endpoint);
      nonNegative("read_buffer_size", readBufferSize);
      nonNegative("write_buffer_size", writeBufferSize);
      maxRecvMsgSizeMib = maxRecvMsgSizeMib == null ? 4 : maxRecvMsgSizeMib;
      if (maxRecvMsgSizeMib <= 0 || maxRecvMsgSizeMib > 2047) {
        throw new InvalidValueException(
            "max_recv_msg_size_mib", "must be between 1 and 2047, got " + maxRecvMsgSizeMib);
      }
      if (maxConcurrentStreams != null && maxConcurrentStreams <= 0) {
        throw new InvalidValueException(
            "max_concurrent_streams", "must be positive, got " + maxConcurrentStreams);
      }
    }

    /** gRPC with every default. */
    public static Grpc defaults() {
      return new Grpc(null, null, null, null, null, null, null, null, false, null);
    }
  }

  /**
   * {@code protocols.http}.
   *
   * @param endpoint {@code host:port} to listen on (default {@code localhost:4318})
   * @param tls server TLS, or null for plain text
   * @param cors CORS for browser clients, or null (off)
   * @param maxRequestBodySize largest request body in bytes, checked before and after decompression
   *     (default 20 MiB; zero or less means the default)
   * @param includeMetadata put the request's headers into the pipeline {@code Context}
   * @param tracesUrlPath path of trace exports (default {@code /v1/traces})
   * @param metricsUrlPath path of metric exports (default {@code /v1/metrics})
   * @param logsUrlPath path of log exports (default {@code /v1/logs})
   * @param profilesUrlPath path of profile exports (default {@code /v1development/profiles}, the
   *     collector's path while the signal is in development)
   * @param compressionAlgorithms the request {@code Content-Encoding}s accepted (default: all of
   *     {@code ""}, gzip, zstd, zlib, snappy, deflate, lz4, x-snappy-framed); others get 400
   * @param idleTimeout close a connection that has been idle this long (default 1m)
   * @param responseHeaders headers added to every response
   * @param transport {@code tcp} (default), {@code tcp4}, {@code tcp6} or {@code unix} (then {@code
   *     endpoint} is the path of a unix domain socket)
   * @param auth the server authenticator every request must pass, or null (none)
   * @param readTimeout the longest a whole request (head and body) may take to arrive (default 0:
   *     no limit)
   * @param readHeaderTimeout the longest a request head may take to arrive, from its first byte
   *     (from the accept for a connection's first request); default 1m; 0 means {@code
   *     read_timeout}
   * @param writeTimeout the longest from a request's head to its answer being written (default 30s;
   *     0: no limit)
   */
  public record Http(
      String endpoint,
      @OptionalSection Tls tls,
      @OptionalSection Cors cors,
      Long maxRequestBodySize,
      boolean includeMetadata,
      String tracesUrlPath,
      String metricsUrlPath,
      String logsUrlPath,
      String profilesUrlPath,
      List<String> compressionAlgorithms,
      Duration idleTimeout,
      java.util.Map<String, String> responseHeaders,
      String transport,
      @OptionalSection HttpAuth auth,
      Duration readTimeout,
      Duration readHeaderTimeout,
      Duration writeTimeout) {
    public static final String DEFAULT_ENDPOINT = "localhost:4318";

    /** confighttp's {@code read_header_timeout} default. */
    public static final Duration DEFAULT_READ_HEADER_TIMEOUT = Duration.ofMinutes(1);

    /** confighttp's {@code write_timeout} default. */
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(30);

    /** HTTP without an authenticator. */
    public Http(
        String endpoint,
        Tls tls,
        Cors cors,
        Long maxRequestBodySize,
        boolean includeMetadata,
        String tracesUrlPath,
        String metricsUrlPath,
        String logsUrlPath,
        String profilesUrlPath,
        List<String> compressionAlgorithms,
        Duration idleTimeout,
        java.util.Map<String, String> responseHeaders,
        String transport) {
      this(
          endpoint,
          tls,
          cors,
          maxRequestBodySize,
          includeMetadata,
          tracesUrlPath,
          metricsUrlPath,
          logsUrlPath,
          profilesUrlPath,
          compressionAlgorithms,
          idleTimeout,
          responseHeaders,
          transport,
          null,
          null,
          null,
          null);
    }

    /** HTTP with the default profiles path and transport. */
    public Http(
        String endpoint,
        Tls tls,
        Cors cors,
        Long maxRequestBodySize,
        boolean includeMetadata,
        String tracesUrlPath,
        String metricsUrlPath,
        String logsUrlPath,
        List<String> compressionAlgorithms,
        Duration idleTimeout,
        java.util.Map<String, String> responseHeaders) {
      this(
          endpoint,
          tls,
          cors,
          maxRequestBodySize,
          includeMetadata,
          tracesUrlPath,
          metricsUrlPath,
          logsUrlPath,
          null,
          compressionAlgorithms,
          idleTimeout,
          responseHeaders,
          null,
          null,
          null,
          null,
          null);
    }

    public Http {
      transport = checkTransport(transport);
      endpoint = checkEndpoint(transport, endpoint == null ? DEFAULT_ENDPOINT : endpoint);
      // as in the collector, zero or less means the default
      maxRequestBodySize =
          maxRequestBodySize == null || maxRequestBodySize <= 0
              ? DEFAULT_MAX_REQUEST_BODY_SIZE
              : maxRequestBodySize;
      if (maxRequestBodySize > Integer.MAX_VALUE - 8) {
        throw new InvalidValueException(
            "max_request_body_size",
            "must be between 1 and "
                + (Integer.MAX_VALUE - 8)
                + " bytes, got "
                + maxRequestBodySize);
      }
      tracesUrlPath = UrlPaths.check("traces_url_path", tracesUrlPath, "/v1/traces");
      metricsUrlPath = UrlPaths.check("metrics_url_path", metricsUrlPath, "/v1/metrics");
      logsUrlPath = UrlPaths.check("logs_url_path", logsUrlPath, "/v1/logs");
      profilesUrlPath =
          UrlPaths.check("profiles_url_path", profilesUrlPath, "/v1development/profiles");
      if (compressionAlgorithms == null) {
        compressionAlgorithms = BodyDecoder.ALGORITHMS;
      } else {
        List<String> algos = new java.util.ArrayList<>();
        for (String a : compressionAlgorithms) {
          String c = BodyDecoder.canonical(BodyDecoder.normalize(a));
          if (!BodyDecoder.ALGORITHMS.contains(c)) {
            throw new InvalidValueException(
                "compression_algorithms",
                "\""
                    + a
                    + "\" is not one of \"\", "
                    + String.join(
                        ", ", BodyDecoder.ALGORITHMS.subList(1, BodyDecoder.ALGORITHMS.size())));
          }
          algos.add(c);
        }
        compressionAlgorithms = List.copyOf(algos);
      }
      idleTimeout = idleTimeout == null ? Duration.ofMinutes(1) : idleTimeout;
      positive("idle_timeout", idleTimeout);
      readTimeout = notNegative("read_timeout", readTimeout, Duration.ZERO);
      readHeaderTimeout =
          notNegative("read_header_timeout", readHeaderTimeout, DEFAULT_READ_HEADER_TIMEOUT);
      writeTimeout = notNegative("write_timeout", writeTimeout, DEFAULT_WRITE_TIMEOUT);
      responseHeaders =
          responseHeaders == null ? java.util.Map.of() : java.util.Map.copyOf(responseHeaders);
    }

    /** HTTP with every default. */
    public static Http defaults() {
      return new Http(
          null, null, null, null, false, null, null, null, null, null, null, null, null, null, null,
          null, null);
    }
  }

  /**
   * {@code auth} of the HTTP server (the collector's {@code confighttp.AuthConfig}).
   *
   * @param authenticator the id of a server authenticator extension
   * @param requestParams query parameters handed to the authenticator as if they were headers (a
   *     parameter wins over a header of the same name)
   */
  public record HttpAuth(
      io.tiercel.core.component.ComponentId authenticator, List<String> requestParams) {
    public HttpAuth {
      if (authenticator == null) {
        throw new InvalidValueException(
            "authenticator", "is required (the id of an authenticator extension)");
      }
      requestParams = requestParams == null ? List.of() : List.copyOf(requestParams);
    }

    /** The authenticator as the shared {@code auth} shape. */
    public AuthConfig config() {
      return new AuthConfig(authenticator);
    }
  }

  /**
   * {@code tls} of a server (the collector's {@code configtls.ServerConfig}). Keys are PEM; the
   * private key must be PKCS#8 ({@code BEGIN PRIVATE KEY}).
   *
   * @param certFile the server's certificate chain
   * @param keyFile the server's private key
   * @param clientCaFile when set, clients must present a certificate signed by one of these CAs
   *     (mTLS)
   * @param caFile accepted for compatibility; a server verifies clients with {@code client_ca_file}
   * @param certPem the certificate chain as PEM text instead of {@code cert_file}
   * @param keyPem the private key as PEM text instead of {@code key_file} (a secret)
   * @param caPem accepted for compatibility, as {@code ca_file}
   * @param minVersion lowest TLS version: 1.0, 1.1, 1.2 (default) or 1.3
   * @param maxVersion highest TLS version (default 1.3)
   * @param cipherSuites TLS 1.2 and lower suites to allow, by IANA name (default: the runtime's)
   * @param includeInsecureCipherSuites allow the suites the collector calls insecure
   * @param includeSystemCaCertsPool accepted for compatibility (it concerns {@code ca_file})
   * @param reloadInterval reread {@code cert_file}/{@code key_file} this often (default: never)
   * @param clientCaFileReload reread {@code client_ca_file} when it changes
   */
  public record Tls(
      String certFile,
      String keyFile,
      String clientCaFile,
      String caFile,
      Secret certPem,
      Secret keyPem,
      Secret caPem,
      String minVersion,
      String maxVersion,
      List<String> cipherSuites,
      boolean includeInsecureCipherSuites,
      boolean includeSystemCaCertsPool,
      Duration reloadInterval,
      boolean clientCaFileReload) {
    public Tls {
      cipherSuites = cipherSuites == null ? List.of() : List.copyOf(cipherSuites);
      if ((certFile == null || certFile.isBlank()) && (certPem == null || certPem.isEmpty())) {
        throw new InvalidValueException("cert_file", "is required when tls is set");
      }
      if ((keyFile == null || keyFile.isBlank()) && (keyPem == null || keyPem.isEmpty())) {
        throw new InvalidValueException("key_file", "is required when tls is set");
      }
      options(
          certFile,
          keyFile,
          caFile,
          certPem,
          keyPem,
          caPem,
          minVersion,
          maxVersion,
          cipherSuites,
          includeInsecureCipherSuites,
          includeSystemCaCertsPool,
          reloadInterval);
    }

    /** Certificate, key and client CA files only. */
    public Tls(String certFile, String keyFile, String clientCaFile, String caFile) {
      this(
          certFile,
          keyFile,
          clientCaFile,
          caFile,
          null,
          null,
          null,
          null,
          null,
          List.of(),
          false,
          false,
          null,
          false);
    }

    private static TlsOptions options(
        String certFile,
        String keyFile,
        String caFile,
        Secret certPem,
        Secret keyPem,
        Secret caPem,
        String minVersion,
        String maxVersion,
        List<String> cipherSuites,
        boolean includeInsecureCipherSuites,
        boolean includeSystemCaCertsPool,
        Duration reloadInterval) {
      return new TlsOptions(
          caFile,
          caPem,
          certFile,
          certPem,
          keyFile,
          keyPem,
          minVersion,
          maxVersion,
          cipherSuites,
          includeInsecureCipherSuites,
          includeSystemCaCertsPool,
          reloadInterval);
    }

    /** The shared TLS settings of this config. */
    public TlsOptions options() {
      return options(
          certFile,
          keyFile,
          caFile,
          certPem,
          keyPem,
          caPem,
          minVersion,
          maxVersion,
          cipherSuites,
          includeInsecureCipherSuites,
          includeSystemCaCertsPool,
          reloadInterval);
    }
  }

  /**
   * {@code keepalive} of the gRPC server.
   *
   * @param serverParameters what the server does (null: grpc-java defaults)
   * @param enforcementPolicy what the server tolerates from clients (null: grpc-java defaults)
   */
  public record Keepalive(ServerParameters serverParameters, EnforcementPolicy enforcementPolicy) {}

  /**
   * {@code keepalive.server_parameters}; null fields keep grpc-java's defaults.
   *
   * @param maxConnectionIdle close a connection idle this long
   * @param maxConnectionAge close a connection this old (gracefully)
   * @param maxConnectionAgeGrace time given to calls in flight after {@code max_connection_age}
   * @param time ping an idle connection after this long
   * @param timeout close the connection when a ping is not answered within this
   */
  public record ServerParameters(
      Duration maxConnectionIdle,
      Duration maxConnectionAge,
      Duration maxConnectionAgeGrace,
      Duration time,
      Duration timeout) {
    public ServerParameters {
      positive("max_connection_idle", maxConnectionIdle);
      positive("max_connection_age", maxConnectionAge);
      positive("max_connection_age_grace", maxConnectionAgeGrace);
      positive("time", time);
      positive("timeout", timeout);
    }
  }

  /**
   * {@code keepalive.enforcement_policy}.
   *
   * @param minTime least time between client pings (null: grpc-java's 5 minutes)
   * @param permitWithoutStream allow pings when no call is open
   */
  public record EnforcementPolicy(Duration minTime, boolean permitWithoutStream) {
    public EnforcementPolicy {
      if (minTime != null && minTime.isNegative()) {
        throw new InvalidValueException("min_time", "must not be negative, got " + minTime);
      }
    }
  }

  /**
   * {@code cors} of the HTTP server.
   *
   * @param allowedOrigins origins allowed to send requests; {@code *} matches any run of characters
   * @param allowedHeaders request headers allowed beyond the safe ones; {@code *} allows all
   * @param maxAge seconds a browser may cache a preflight answer (0: header not sent)
   */
  public record Cors(List<String> allowedOrigins, List<String> allowedHeaders, int maxAge) {
    public Cors {
      allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
      allowedHeaders = allowedHeaders == null ? List.of() : List.copyOf(allowedHeaders);
      if (maxAge < 0) {
        throw new InvalidValueException("max_age", "must not be negative, got " + maxAge);
      }
    }
  }

  private static String checkTransport(String transport) {
    if (transport == null || transport.isEmpty()) {
      return "tcp";
    }
    String t = transport.toLowerCase(Locale.ROOT);
    if (!t.equals("tcp") && !t.equals("tcp4") && !t.equals("tcp6") && !t.equals("unix")) {
      throw new InvalidValueException(
          "transport", "\"" + transport + "\" is not one of tcp, tcp4, tcp6, unix");
    }
    return t;
  }

  private static void nonNegative(String key, Integer value) {
    if (value != null && value < 0) {
      throw new InvalidValueException(key, "must not be negative, got " + value);
    }
  }

  private static String checkEndpoint(String transport, String endpoint) {
    String key = "endpoint";
    if (transport.equals("unix")) {
      if (endpoint.isBlank()) {
        throw new InvalidValueException(key, "the path of the unix socket is required");
      }
      return endpoint;
    }
    try {
      Endpoint.parse(endpoint);
    } catch (IllegalArgumentException e) {
      throw new InvalidValueException(key, e.getMessage());
    }
    return endpoint;
  }

  private static Duration notNegative(String key, Duration d, Duration dflt) {
    if (d == null) {
      return dflt;
    }
    if (d.isNegative()) {
      throw new InvalidValueException(key, "must not be negative, got " + d);
    }
    return d;
  }

  private static void positive(String key, Duration d) {
    if (d != null && (d.isNegative() || d.isZero())) {
      throw new InvalidValueException(key, "must be positive, got " + d);
    }
  }
}
