package io.tiercel.otlp.exporter;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Settings;
import io.tiercel.core.config.Secret;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.extension.auth.ClientAuthenticator;
import io.tiercel.core.pdata.MalformedDataException;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.json.OtlpJson;
import io.tiercel.core.pdata.json.OtlpJsonException;
import io.tiercel.otlp.wire.TlsOptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.TlsVersion;
import okhttp3.internal.tls.OkHostnameVerifier;
import org.jspecify.annotations.Nullable;

/**
 * OTLP/HTTP with okhttp: one POST per attempt, asynchronous (okhttp's dispatcher threads, never the
 * caller's). 429, 502, 503 and 504 are retryable and honour {@code Retry-After}; other non-2xx
 * answers are permanent.
 */
final class HttpTransport<T extends OtlpData> implements OtlpExporter.Transport<T> {

  private final Settings settings;
  private final OtlpHttpExporterConfig cfg;
  private final String url;
  private final int maxConcurrent;
  private final PartialSuccess partial;
  private final MediaType mediaType;
  private final @Nullable BodyCompressor compressor;
  private volatile OkHttpClient client;
  private volatile @Nullable ClientAuthenticator auth;

  HttpTransport(Settings settings, OtlpHttpExporterConfig cfg) {
    this.settings = settings;
    this.cfg = cfg;
    this.url = cfg.url(settings.signal());
    if (url == null) {
      throw new IllegalArgumentException(
          "exporters."
              + settings.id()
              + ": no endpoint for "
              + settings.signal()
              + " (set endpoint or "
              + settings.signal().id()
              + "_endpoint)");
    }
    if (settings.signal() == Signal.PROFILES && cfg.encoding() == Encoding.JSON) {
      // OTLP/JSON of profiles is not implemented: profiles travel as protobuf bytes
      throw new IllegalArgumentException(
          "exporters."
              + settings.id()
              + ": encoding json does not support the profiles signal; use encoding: proto");
    }
    this.maxConcurrent = cfg.sendingQueue().enabled() ? cfg.sendingQueue().numConsumers() : 64;
    this.partial = new PartialSuccess(settings);
    this.mediaType = MediaType.get(cfg.encoding().contentType());
    this.compressor =
        cfg.compression().compresses()
            ? new BodyCompressor(cfg.compression(), cfg.compressionParams())
            : null;
  }

  @Override
  public void open(@Nullable ClientAuthenticator auth) throws Exception {
    this.auth = auth;
    Dispatcher d = new Dispatcher();
    d.setMaxRequests(Math.max(maxConcurrent, 1));
    int perHost = Math.max(maxConcurrent, 1);
    if (cfg.maxConnsPerHost() > 0) {
      // okhttp has no connection limit of its own: limiting the requests in flight limits the
      // HTTP/1.1 connections they need to the same number
      perHost = Math.min(perHost, cfg.maxConnsPerHost());
    }
    d.setMaxRequestsPerHost(perHost);
    Duration idle = cfg.idleConnTimeout().isZero() ? Duration.ofDays(365) : cfg.idleConnTimeout();
    OkHttpClient.Builder b =
        new OkHttpClient.Builder()
            .dispatcher(d)
            .connectionPool(
                new ConnectionPool(cfg.idleConnections(), idle.toMillis(), TimeUnit.MILLISECONDS))
            .callTimeout(cfg.timeout())
            .retryOnConnectionFailure(false);
    if (url.startsWith("https://")) {
      ClientTls tls = cfg.tls();
      var tm = tls.trustManager();
      b.sslSocketFactory(tls.sslContext().getSocketFactory(), tm);
      TlsOptions o = tls.options();
      List<TlsVersion> versions = new ArrayList<>();
      for (String p : o.protocols()) {
        versions.add(TlsVersion.forJavaName(p));
      }
      ConnectionSpec.Builder spec =
          new ConnectionSpec.Builder(ConnectionSpec.MODERN_TLS)
              .tlsVersions(versions.toArray(TlsVersion[]::new));
      List<String> ciphers = o.ciphers();
      if (ciphers != null) {
        spec.cipherSuites(ciphers.toArray(String[]::new));
      }
      b.connectionSpecs(List.of(spec.build(), ConnectionSpec.CLEARTEXT));
      if (tls.insecureSkipVerify()) {
        b.hostnameVerifier((host, session) -> true);
      } else if (tls.serverNameOverride() != null) {
        String name = tls.serverNameOverride();
        b.hostnameVerifier((host, session) -> OkHostnameVerifier.INSTANCE.verify(name, session));
      }
    }
    client = b.build();
  }

  @Override
  public CompletableFuture<Void> send(Context ctx, T data) {
    OkHttpClient c = client;
    if (c == null) {
      return CompletableFuture.failedFuture(
          new RetryableException("exporter " + settings.id() + " is not started"));
    }
    Request.Builder rb =
        new Request.Builder()
            .url(url)
            .header("User-Agent", "Tiercel/" + settings.build().version());
    for (Map.Entry<String, Secret> h : cfg.headers().entrySet()) {
      rb.header(h.getKey(), h.getValue().value());
    }
    ClientAuthenticator a = auth;
    if (a != null) {
      a.requestHeaders().forEach(rb::header);
    }
    byte[] body;
    try {
      body = cfg.encoding() == Encoding.JSON ? OtlpJson.encode(data) : data.bytes();
    } catch (MalformedDataException | PermanentException malformed) {
      return CompletableFuture.failedFuture(PipelineException.classify(malformed));
    }
    if (compressor != null) {
      body = compressor.compress(body);
      rb.header("Content-Encoding", compressor.contentEncoding());
    }
    if (cfg.disableKeepAlives()) {
      rb.header("Connection", "close");
    }
    rb.post(RequestBody.create(body, mediaType));
    CompletableFuture<Void> result = new CompletableFuture<>();
    c.newCall(rb.build())
        .enqueue(
            new Callback() {
              @Override
              public void onFailure(Call call, IOException e) {
                String what = e instanceof InterruptedIOException ? "timed out" : "failed";
                result.completeExceptionally(
                    new RetryableException("HTTP POST to " + url + " " + what + ": " + e, e));
              }

              @Override
              public void onResponse(Call call, Response response) {
                try (response) {
                  handle(response, result);
                } catch (IOException | RuntimeException e) {
                  result.completeExceptionally(
                      new RetryableException(
                          "reading the response of " + url + " failed: " + e, e));
                }
              }
            });
    return result;
  }

  private void handle(Response response, CompletableFuture<Void> result) throws IOException {
    int code = response.code();
    ResponseBody rb = response.body();
    byte[] body = rb == null ? new byte[0] : rb.bytes();
    if (code >= 200 && code < 300) {
      reportPartialSuccess(body, response.header("Content-Type"));
      result.complete(null);
      return;
    }
    String detail = errorDetail(body, response.header("Content-Type"));
    String msg = "HTTP " + code + " from " + url + (detail.isEmpty() ? "" : ": " + detail);
    if (code == 429 || code == 502 || code == 503 || code == 504) {
      result.completeExceptionally(
          new RetryableException(msg, null, retryAfter(response.header("Retry-After"))));
    } else {
      result.completeExceptionally(new PermanentException(msg));
    }
  }

  /** {@code Retry-After} as delay-seconds or an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    try {
      long s = Long.parseLong(v);
      return s >= 0 ? Duration.ofSeconds(s) : null;
    } catch (NumberFormatException notSeconds) {
      try {
        Duration d =
            Duration.between(
                ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException e) {
        return null;
      }
    }
  }

  /**
   * Reports the {@code partialSuccess} of a 2xx answer, read in the encoding its {@code
   * Content-Type} names (as the collector does: other types are not read).
   */
  private void reportPartialSuccess(byte[] body, String contentType) {
    if (body.length == 0 || contentType == null) {
      return;
    }
    try {
      if (contentType.startsWith("application/json")) {
        OtlpJson.PartialSuccess p = OtlpJson.decodePartialSuccess(settings.signal(), body);
        partial.report(p.rejected(), p.errorMessage());
        return;
      }
      if (!contentType.startsWith("application/x-protobuf")) {
        return;
      }
      switch (settings.signal()) {
        case TRACES -> {
          var r = ExportTraceServiceResponse.parseFrom(body);
          if (r.hasPartialSuccess()) {
            partial.report(
                r.getPartialSuccess().getRejectedSpans(), r.getPartialSuccess().getErrorMessage());
          }
        }
        case METRICS -> {
          var r = ExportMetricsServiceResponse.parseFrom(body);
          if (r.hasPartialSuccess()) {
            partial.report(
                r.getPartialSuccess().getRejectedDataPoints(),
                r.getPartialSuccess().getErrorMessage());
          }
        }
        case LOGS -> {
          var r = ExportLogsServiceResponse.parseFrom(body);
          if (r.hasPartialSuccess()) {
            partial.report(
                r.getPartialSuccess().getRejectedLogRecords(),
                r.getPartialSuccess().getErrorMessage());
          }
        }
        case PROFILES -> {
          // counts rejected profiles, not samples: the response names no finer unit
          var r = ExportProfilesServiceResponse.parseFrom(body);
          if (r.hasPartialSuccess()) {
            partial.report(
                r.getPartialSuccess().getRejectedProfiles(),
                r.getPartialSuccess().getErrorMessage());
          }
        }
      }
    } catch (com.google.protobuf.InvalidProtocolBufferException | OtlpJsonException ignored) {
      // a 2xx with an unreadable body still means the data was accepted
    }
  }

  /**
   * The message of a {@code google.rpc.Status} body (protobuf or JSON), or the start of a text
   * body.
   */
  private static String errorDetail(byte[] body, String contentType) {
    if (body.length == 0) {
      return "";
    }
    if (contentType != null && contentType.startsWith("application/x-protobuf")) {
      try {
        return com.google.rpc.Status.parseFrom(body).getMessage();
      } catch (com.google.protobuf.InvalidProtocolBufferException ignored) {
        return "(unreadable protobuf body)";
      }
    }
    if (contentType != null && contentType.startsWith("application/json")) {
      try {
        return OtlpJson.decodeStatusMessage(body);
      } catch (OtlpJsonException notAStatus) {
        // fall through: show the start of the text
      }
    }
    String text = new String(body, 0, Math.min(body.length, 512), StandardCharsets.UTF_8).strip();
    return text.replaceAll("\\s+", " ");
  }

  @Override
  public void close(Deadline deadline) throws InterruptedException {
    OkHttpClient c = client;
    if (c != null) {
      c.dispatcher().executorService().shutdown();
      c.dispatcher()
          .executorService()
          .awaitTermination(Math.max(1, deadline.remainingMillis()), TimeUnit.MILLISECONDS);
      c.connectionPool().evictAll();
    }
  }
}
