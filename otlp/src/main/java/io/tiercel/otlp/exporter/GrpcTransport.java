package io.tiercel.otlp.exporter;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
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
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.otlp.wire.GrpcEncodings;
import io.tiercel.otlp.wire.TlsOptions;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import org.jspecify.annotations.Nullable;

/**
 * One gRPC channel to an OTLP backend. Requests go out as the bytes the pipeline already holds (a
 * marshaller that streams {@link OtlpData#bytes()}), so data received as protobuf is never parsed
 * on the way through.
 */
final class GrpcTransport<T extends OtlpData> implements OtlpExporter.Transport<T> {
  /** Codes the OTLP specification calls retryable; RESOURCE_EXHAUSTED only with RetryInfo. */
  private static final Set<Status.Code> RETRYABLE =
      EnumSet.of(
          Status.Code.CANCELLED,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.ABORTED,
          Status.Code.OUT_OF_RANGE,
          Status.Code.UNAVAILABLE,
          Status.Code.DATA_LOSS);

  private final Settings settings;
  private final OtlpGrpcExporterConfig cfg;
  private final MethodDescriptor<OtlpData, com.google.protobuf.Message> method;
  private final PartialSuccess partial;
  private volatile ManagedChannel channel;
  private volatile io.grpc.Channel intercepted;

  GrpcTransport(Settings settings, OtlpGrpcExporterConfig cfg) {
    this.settings = settings;
    this.cfg = cfg;
    this.method = method(settings.signal());
    this.partial = new PartialSuccess(settings);
  }

  private static final MethodDescriptor.Marshaller<OtlpData> RAW =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(OtlpData value) {
          return new ByteArrayInputStream(value.bytes());
        }

        @Override
        public OtlpData parse(InputStream stream) {
          throw new UnsupportedOperationException(
              "client-side marshaller: requests are never parsed");
        }
      };

  @SuppressWarnings("unchecked")
  private static MethodDescriptor<OtlpData, com.google.protobuf.Message> method(Signal signal) {
    String service;
    com.google.protobuf.Message response;
    switch (signal) {
      case TRACES -> {
        service = "opentelemetry.proto.collector.trace.v1.TraceService";
        response = ExportTraceServiceResponse.getDefaultInstance();
      }
      case METRICS -> {
        service = "opentelemetry.proto.collector.metrics.v1.MetricsService";
        response = ExportMetricsServiceResponse.getDefaultInstance();
      }
      case LOGS -> {
        service = "opentelemetry.proto.collector.logs.v1.LogsService";
        response = ExportLogsServiceResponse.getDefaultInstance();
      }
      case PROFILES -> {
        service = "opentelemetry.proto.collector.profiles.v1development.ProfilesService";
        response = ExportProfilesServiceResponse.getDefaultInstance();
      }
      default -> throw new IllegalArgumentException("no OTLP service for " + signal);
    }
    return MethodDescriptor.<OtlpData, com.google.protobuf.Message>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(service, "Export"))
        .setRequestMarshaller(RAW)
        .setResponseMarshaller(
            (MethodDescriptor.Marshaller<com.google.protobuf.Message>)
                (MethodDescriptor.Marshaller<?>) ProtoUtils.marshaller(response))
        .build();
  }

  @Override
  public void open(@Nullable ClientAuthenticator auth) throws Exception {
    if (auth != null && cfg.plaintext()) {
      // as grpc-go refuses to send the collector's per-RPC credentials without transport security
      throw new IllegalStateException(
          "exporters."
              + settings.id()
              + ".auth: the authenticator's credentials are only sent over TLS, and "
              + cfg.endpoint()
              + " is plain text (tls.insecure or http://)");
    }
    NettyChannelBuilder b =
        NettyChannelBuilder.forTarget(cfg.target())
            .userAgent("Tiercel/" + settings.build().version())
            .defaultLoadBalancingPolicy(cfg.balancerName())
            .compressorRegistry(GrpcEncodings.compressors())
            .decompressorRegistry(GrpcEncodings.decompressors());
    if (cfg.plaintext()) {
      b.usePlaintext();
    } else {
      b.sslContext(sslContext(cfg.tls()));
    }
    OtlpGrpcExporterConfig.Keepalive ka = cfg.keepalive();
    if (ka != null) {
      b.keepAliveTime(ka.effectiveTime().toNanos(), TimeUnit.NANOSECONDS)
          .keepAliveTimeout(ka.effectiveTimeout().toNanos(), TimeUnit.NANOSECONDS)
          .keepAliveWithoutCalls(ka.permitWithoutStream());
    }
    if (cfg.readBufferSize() > 0) {
      // grpc-go reads at most this much per read call; Netty's adaptive allocator is capped to it
      int n = cfg.readBufferSize();
      b.withOption(
          ChannelOption.RCVBUF_ALLOCATOR,
          new AdaptiveRecvByteBufAllocator(Math.min(64, n), Math.min(2048, n), n));
    }
    String authority = cfg.authority() != null ? cfg.authority() : cfg.tls().serverNameOverride();
    if (authority != null) {
      b.overrideAuthority(authority);
    }
    channel = b.build();
    Metadata headers = new Metadata();
    for (Map.Entry<String, Secret> h : cfg.headers().entrySet()) {
      headers.put(
          Metadata.Key.of(h.getKey(), Metadata.ASCII_STRING_MARSHALLER), h.getValue().value());
    }
    io.grpc.Channel ch =
        headers.keys().isEmpty()
            ? channel
            : ClientInterceptors.intercept(
                channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    intercepted = auth == null ? ch : ClientInterceptors.intercept(ch, new Credentials(auth));
  }

  /** Adds the authenticator's current credentials to every call's metadata. */
  private static final class Credentials implements ClientInterceptor {
    private final ClientAuthenticator auth;

    Credentials(ClientAuthenticator auth) {
      this.auth = auth;
    }

    @Override
    public <Q, A> ClientCall<Q, A> interceptCall(
        MethodDescriptor<Q, A> method, CallOptions options, io.grpc.Channel next) {
      return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void start(Listener<A> listener, Metadata headers) {
          for (Map.Entry<String, String> h : auth.requestHeaders().entrySet()) {
            headers.put(
                Metadata.Key.of(h.getKey(), Metadata.ASCII_STRING_MARSHALLER), h.getValue());
          }
          super.start(listener, headers);
        }
      };
    }
  }

  /**
   * The client TLS context: the configured CAs (or trust-all for {@code insecure_skip_verify}), the
   * client certificate, and the allowed versions and cipher suites.
   */
  static SslContext sslContext(ClientTls tls) throws Exception {
    TlsOptions o = tls.options();
    SslContextBuilder ssl =
        GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
            .trustManager(tls.trustManager())
            .protocols(o.protocols());
    KeyManager km = o.keyManager();
    if (km != null) {
      ssl.keyManager(km);
    }
    if (o.ciphers() != null) {
      ssl.ciphers(o.ciphers());
    }
    return ssl.build();
  }

  @Override
  public CompletableFuture<Void> send(Context ctx, T data) {
    io.grpc.Channel ch = intercepted;
    if (ch == null) {
      return CompletableFuture.failedFuture(
          new RetryableException("exporter " + settings.id() + " is not started"));
    }
    CallOptions opts = CallOptions.DEFAULT;
    if (cfg.compression().compresses()) {
      opts = opts.withCompression(cfg.compression().wireName());
    }
    if (!cfg.timeout().isZero()) {
      opts = opts.withDeadlineAfter(cfg.timeout().toNanos(), TimeUnit.NANOSECONDS);
    }
    if (cfg.waitForReady()) {
      opts = opts.withWaitForReady();
    }
    CompletableFuture<Void> result = new CompletableFuture<>();
    ClientCalls.asyncUnaryCall(
        ch.newCall(method, opts),
        data,
        new StreamObserver<>() {
          @Override
          public void onNext(com.google.protobuf.Message response) {
            reportPartialSuccess(response);
          }

          @Override
          public void onError(Throwable t) {
            result.completeExceptionally(classify(t));
          }

          @Override
          public void onCompleted() {
            result.complete(null);
          }
        });
    return result;
  }

  private void reportPartialSuccess(com.google.protobuf.Message response) {
    if (response instanceof ExportTraceServiceResponse r && r.hasPartialSuccess()) {
      partial.report(
          r.getPartialSuccess().getRejectedSpans(), r.getPartialSuccess().getErrorMessage());
    } else if (response instanceof ExportMetricsServiceResponse r && r.hasPartialSuccess()) {
      partial.report(
          r.getPartialSuccess().getRejectedDataPoints(), r.getPartialSuccess().getErrorMessage());
    } else if (response instanceof ExportLogsServiceResponse r && r.hasPartialSuccess()) {
      partial.report(
          r.getPartialSuccess().getRejectedLogRecords(), r.getPartialSuccess().getErrorMessage());
    }
  }

  /** Maps a call failure to retryable/permanent the way the OTLP specification says. */
  PipelineException classify(Throwable t) {
    Status status = Status.fromThrowable(t);
    String msg =
        "gRPC "
            + status.getCode()
            + " from "
            + cfg.endpoint()
            + (status.getDescription() != null ? ": " + status.getDescription() : "");
    Duration throttle = null;
    if (t instanceof StatusRuntimeException sre) {
      com.google.rpc.Status details = StatusProto.fromThrowable(sre);
      if (details != null) {
        for (com.google.protobuf.Any any : details.getDetailsList()) {
          if (any.is(RetryInfo.class)) {
            try {
              var d = any.unpack(RetryInfo.class).getRetryDelay();
              throttle = Duration.ofSeconds(d.getSeconds(), d.getNanos());
            } catch (InvalidProtocolBufferException ignored) {
              // a malformed detail is ignored: the code decides
            }
          }
        }
      }
    }
    if (RETRYABLE.contains(status.getCode())
        || status.getCode() == Status.Code.RESOURCE_EXHAUSTED && throttle != null) {
      return new RetryableException(msg, t, throttle);
    }
    return new PermanentException(msg, t);
  }

  @Override
  public void close(Deadline deadline) throws InterruptedException {
    ManagedChannel ch = channel;
    if (ch != null) {
      ch.shutdown();
      if (!ch.awaitTermination(Math.max(1, deadline.remainingMillis()), TimeUnit.MILLISECONDS)) {
        ch.shutdownNow();
      }
    }
  }
}
