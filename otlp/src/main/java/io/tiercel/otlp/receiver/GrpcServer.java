package io.tiercel.otlp.receiver;

import com.google.protobuf.Message;
import io.grpc.KnownLength;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.IoHandlerFactory;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.protobuf.ProtoUtils;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceResponse;
import io.opentelemetry.proto.collector.profiles.v1development.ProfilesServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.extension.auth.AuthenticationException;
import io.tiercel.core.extension.auth.ServerAuthenticator;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.MalformedDataException;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Profiles;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.otlp.wire.GrpcEncodings;
import io.tiercel.otlp.wire.TlsOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The OTLP/gRPC server: one {@code Export} method per signal that has a pipeline (the others answer
 * {@code UNIMPLEMENTED}, since they are not registered). It runs on its own event loops (threads
 * {@code otlp-grpc-<receiver>-accept} and {@code -io-N}; epoll where available), not on gRPC's
 * process-wide shared ones, so that a process that also holds gRPC clients (an {@code otlp_grpc}
 * exporter) can tell the receiver's network work from the clients' in thread dumps and profiles.
 * Requests are kept as bytes: the request marshaller only copies them, and a worker checks their
 * structure in full ({@link OtlpData#checkStructure()}) before handing them to the pipeline. The
 * answer is sent when the consume future completes.
 */
final class GrpcServer {
  private final OtlpReceiverConfig.Grpc config;
  private final Intake intake;
  private final Logger logger;
  private final io.tiercel.core.util.ThrottledLogger failures;
  private final String name;
  private final @Nullable ServerAuthenticator auth;
  private Server server;
  private EventLoopGroup boss;
  private EventLoopGroup workers;

  GrpcServer(
      OtlpReceiverConfig.Grpc config,
      Intake intake,
      Logger logger,
      String name,
      @Nullable ServerAuthenticator auth) {
    this.config = config;
    this.auth = auth;
    this.intake = intake;
    this.logger = logger;
    this.name = name;
    this.failures =
        new io.tiercel.core.util.ThrottledLogger(logger, java.time.Duration.ofSeconds(10));
  }

  /** Binds and starts serving. */
  void start() throws IOException {
    boolean unix = config.transport().equals("unix");
    SocketAddress addr =
        unix ? UnixDomainSocketAddress.of(config.endpoint()) : Endpoint.resolve(config.endpoint());
    NettyServerBuilder b = NettyServerBuilder.forAddress(addr);
    SslContext ssl = sslContext();
    if (ssl != null) {
      b.sslContext(ssl);
    }
    b.decompressorRegistry(GrpcEncodings.decompressors())
        .compressorRegistry(GrpcEncodings.compressors());
    if (config.readBufferSize() != null && config.readBufferSize() > 0) {
      // grpc-go reads at most this much per read call; Netty's adaptive allocator is capped to it
      int n = config.readBufferSize();
      b.withChildOption(
          ChannelOption.RCVBUF_ALLOCATOR,
          new AdaptiveRecvByteBufAllocator(Math.min(64, n), Math.min(2048, n), n));
    }
    // JDK 16+ unix domain sockets run on NIO; epoll's own domain sockets would need the native
    // transport on every platform
    boolean epoll = !unix && Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    boss =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("otlp-grpc-" + name + "-accept", true), io);
    workers =
        new MultiThreadIoEventLoopGroup(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            new DefaultThreadFactory("otlp-grpc-" + name + "-io", true),
            io);
    b.bossEventLoopGroup(boss)
        .workerEventLoopGroup(workers)
        .channelType(
            unix
                ? NioServerDomainSocketChannel.class
                : epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
    // The handlers only copy bytes and hand work to the intake's workers, so they may run on the
    // transport threads.
    b.directExecutor();
    b.maxInboundMessageSize(config.maxRecvMsgSizeMib() * 1024 * 1024);
    if (config.maxConcurrentStreams() != null) {
      b.maxConcurrentCallsPerConnection(config.maxConcurrentStreams());
    }
    OtlpReceiverConfig.Keepalive ka = config.keepalive();
    if (ka != null && ka.serverParameters() != null) {
      OtlpReceiverConfig.ServerParameters p = ka.serverParameters();
      if (p.maxConnectionIdle() != null) {
        b.maxConnectionIdle(p.maxConnectionIdle().toNanos(), TimeUnit.NANOSECONDS);
      }
      if (p.maxConnectionAge() != null) {
        b.maxConnectionAge(p.maxConnectionAge().toNanos(), TimeUnit.NANOSECONDS);
      }
      if (p.maxConnectionAgeGrace() != null) {
        b.maxConnectionAgeGrace(p.maxConnectionAgeGrace().toNanos(), TimeUnit.NANOSECONDS);
      }
      if (p.time() != null) {
        b.keepAliveTime(p.time().toNanos(), TimeUnit.NANOSECONDS);
      }
      if (p.timeout() != null) {
        b.keepAliveTimeout(p.timeout().toNanos(), TimeUnit.NANOSECONDS);
      }
    }
    if (ka != null && ka.enforcementPolicy() != null) {
      OtlpReceiverConfig.EnforcementPolicy e = ka.enforcementPolicy();
      if (e.minTime() != null) {
        b.permitKeepAliveTime(e.minTime().toNanos(), TimeUnit.NANOSECONDS);
      }
      b.permitKeepAliveWithoutCalls(e.permitWithoutStream());
    }
    if (auth != null) {
      b.intercept(new Authentication(auth));
    }
    if (intake.consumer(Signal.TRACES) != null) {
      b.addService(
          service(
              TraceServiceGrpc.getExportMethod(),
              ExportTraceServiceResponse.getDefaultInstance(),
              Signal.TRACES,
              Traces::ofBytes));
    }
    if (intake.consumer(Signal.METRICS) != null) {
      b.addService(
          service(
              MetricsServiceGrpc.getExportMethod(),
              ExportMetricsServiceResponse.getDefaultInstance(),
              Signal.METRICS,
              Metrics::ofBytes));
    }
    if (intake.consumer(Signal.LOGS) != null) {
      b.addService(
          service(
              LogsServiceGrpc.getExportMethod(),
              ExportLogsServiceResponse.getDefaultInstance(),
              Signal.LOGS,
              Logs::ofBytes));
    }
    if (intake.consumer(Signal.PROFILES) != null) {
      b.addService(
          service(
              ProfilesServiceGrpc.getExportMethod(),
              ExportProfilesServiceResponse.getDefaultInstance(),
              Signal.PROFILES,
              Profiles::ofBytes));
    }
    try {
      server = b.build().start();
    } catch (IOException | RuntimeException e) {
      shutdownEventLoops(Deadline.in(java.time.Duration.ofSeconds(5)));
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(
          "cannot listen for OTLP/gRPC on " + config.endpoint() + ": " + e.getMessage(), e);
    }
    logger.info(
        "Starting OTLP/gRPC server on {}", unix ? "unix:" + config.endpoint() : boundAddress());
  }

  /** The server TLS context, or null for plain text. */
  private SslContext sslContext() throws IOException {
    OtlpReceiverConfig.Tls tls = config.tls();
    if (tls == null) {
      return null;
    }
    try {
      TlsOptions o = tls.options();
      SslContextBuilder ssl =
          GrpcSslContexts.configure(SslContextBuilder.forServer(o.keyManager()))
              .protocols(o.protocols());
      if (o.ciphers() != null) {
        ssl.ciphers(o.ciphers());
      }
      if (tls.clientCaFile() != null && !tls.clientCaFile().isBlank()) {
        ssl.trustManager(TlsOptions.clientCaTrust(tls.clientCaFile(), tls.clientCaFileReload()))
            .clientAuth(ClientAuth.REQUIRE);
      }
      return ssl.build();
    } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
      throw new IOException("invalid OTLP/gRPC tls settings: " + e.getMessage(), e);
    }
  }

  /**
   * The address the server listens on (the real port when the config said 0), or null before start.
   */
  InetSocketAddress boundAddress() {
    Server s = server;
    if (s == null) {
      return null;
    }
    List<? extends SocketAddress> addrs = s.getListenSockets();
    return addrs.isEmpty() || !(addrs.get(0) instanceof InetSocketAddress a) ? null : a;
  }

  /** Stops taking calls (new ones get UNAVAILABLE); calls in flight go on. */
  void stopAccepting() {
    Server s = server;
    if (s != null) {
      s.shutdown();
    }
  }

  /** Waits until {@code deadline} for the calls in flight to finish, then cancels the rest. */
  void awaitTermination(Deadline deadline) throws InterruptedException {
    Server s = server;
    if (s != null) {
      s.shutdown();
      if (!s.awaitTermination(deadline.remainingMillis(), TimeUnit.MILLISECONDS)) {
        s.shutdownNow();
        s.awaitTermination(100, TimeUnit.MILLISECONDS);
      }
    }
    shutdownEventLoops(deadline);
    removeSocketFile(config.transport(), config.endpoint(), logger);
  }

  /**
   * Removes the file of a unix socket once the server is closed, as Go's listener does (the JDK
   * leaves it, and a stale file would make the next bind fail).
   */
  static void removeSocketFile(String transport, String endpoint, Logger logger) {
    if (!transport.equals("unix")) {
      return;
    }
    try {
      java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(endpoint));
    } catch (IOException e) {
      logger.warn("cannot remove the unix socket file {}", endpoint, e);
    }
  }

  /**
   * Stops the event loops this server made (gRPC leaves event loops it was given to their owner).
   */
  private void shutdownEventLoops(Deadline deadline) {
    for (EventLoopGroup g : new EventLoopGroup[] {boss, workers}) {
      if (g != null) {
        g.shutdownGracefully(0, Math.max(1, deadline.remainingMillis()), TimeUnit.MILLISECONDS);
      }
    }
  }

  private <R extends Message> ServerServiceDefinition service(
      MethodDescriptor<?, R> generated,
      R emptyResponse,
      Signal signal,
      Function<byte[], ? extends OtlpData> wrap) {
    MethodDescriptor<byte[], R> method =
        generated.toBuilder(RawBytes.INSTANCE, ProtoUtils.marshaller(emptyResponse)).build();
    return ServerServiceDefinition.builder(generated.getServiceName())
        .addMethod(method, new ExportHandler<>(signal, wrap, emptyResponse))
        .build();
  }

  /**
   * What {@link RawBytes#parse} returns (compared by identity) when reading the message failed with
   * a status, e.g. a compressed message that inflates past {@code max_recv_msg_size_mib}: gRPC
   * would answer an exception thrown from a marshaller as {@code UNKNOWN}, so the handler answers
   * it.
   */
  private static final byte[] UNREADABLE = new byte[0];

  /** Keeps the request as the bytes that arrived. */
  private enum RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    INSTANCE;

    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        if (stream instanceof KnownLength) {
          // grpc hands over the whole message: allocate it once
          byte[] b = new byte[stream.available()];
          int n = stream.readNBytes(b, 0, b.length);
          byte[] rest = stream.readAllBytes();
          return n == b.length && rest.length == 0 ? b : concat(b, n, rest);
        }
        return stream.readAllBytes();
      } catch (StatusRuntimeException e) {
        // gRPC's size limit on a decompressed message (RESOURCE_EXHAUSTED), met while reading
        return UNREADABLE;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static byte[] concat(byte[] head, int n, byte[] rest) {
    byte[] all = java.util.Arrays.copyOf(head, n + rest.length);
    System.arraycopy(rest, 0, all, n, rest.length);
    return all;
  }

  /** A unary call handler that answers when the pipeline has taken the data. */
  private final class ExportHandler<R> implements ServerCallHandler<byte[], R> {
    private final Signal signal;
    private final Function<byte[], ? extends OtlpData> wrap;
    private final R emptyResponse;

    ExportHandler(Signal signal, Function<byte[], ? extends OtlpData> wrap, R emptyResponse) {
      this.signal = signal;
      this.wrap = wrap;
      this.emptyResponse = emptyResponse;
    }

    @Override
    public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], R> call, Metadata headers) {
      call.request(2); // one request, and one more to notice a second (a protocol error)
      return new ServerCall.Listener<>() {
        private byte[] request;
        private boolean failed;

        @Override
        public void onMessage(byte[] message) {
          if (message == UNREADABLE) {
            failed = true;
            intake.refused("grpc", "too_large");
            call.close(
                Status.RESOURCE_EXHAUSTED.withDescription(
                    "the decompressed message is larger than max_recv_msg_size_mib ("
                        + config.maxRecvMsgSizeMib()
                        + " MiB)"),
                new Metadata());
            return;
          }
          if (request != null) {
            failed = true;
            call.close(
                Status.INTERNAL.withDescription("more than one request in a unary call"),
                new Metadata());
            return;
          }
          request = message;
        }

        @Override
        public void onHalfClose() {
          if (failed) {
            return;
          }
          if (request == null) {
            call.close(
                Status.INTERNAL.withDescription("no request in a unary call"), new Metadata());
            return;
          }
          if (!intake.tryAcquire()) {
            intake.refused("grpc", "overloaded");
            call.close(Status.UNAVAILABLE.withDescription(intake.refusal()), new Metadata());
            return;
          }
          byte[] body = request;
          request = null;
          intake.execute(() -> export(call, headers, body));
        }
      };
    }

    private void export(ServerCall<byte[], R> call, Metadata headers, byte[] body) {
      OtlpData data = wrap.apply(body);
      Context ctx;
      try {
        data.checkStructure(); // one walk over every nested message: what fails never enters
        // the pipeline
        ctx = config.includeMetadata() ? contextOf(headers) : Context.EMPTY;
      } catch (MalformedDataException | PermanentException e) {
        intake.release();
        intake.refused("grpc", "malformed");
        close(call, Status.INVALID_ARGUMENT.withDescription(e.getMessage()), new Metadata());
        return;
      } catch (RuntimeException e) {
        intake.release();
        failures.warn("OTLP/gRPC request failed unexpectedly: " + e, e);
        close(call, Status.INTERNAL.withDescription("internal error: " + e), new Metadata());
        return;
      }
      TelemetryConsumer<OtlpData> consumer = intake.consumer(signal, "grpc");
      Intake.consume(consumer, ctx, data)
          .whenComplete(
              (ok, err) -> {
                intake.release();
                if (err == null) {
                  try {
                    call.sendHeaders(new Metadata());
                    call.sendMessage(emptyResponse);
                    call.close(Status.OK, new Metadata());
                  } catch (IllegalStateException closed) {
                    // the client went away (cancelled, deadline): nothing to answer
                  }
                } else {
                  failures.warn(
                      "OTLP/gRPC "
                          + signal
                          + " export failed in the pipeline"
                          + ": "
                          + err.getMessage(),
                      null);
                  ErrorMapping.GrpcError g = ErrorMapping.toGrpc(err);
                  close(call, g.status(), g.trailers());
                }
              });
    }

    private void close(ServerCall<byte[], R> call, Status status, Metadata trailers) {
      try {
        call.close(status, trailers);
      } catch (IllegalStateException closed) {
        // already closed or cancelled
      }
    }
  }

  /**
   * Closes a call whose metadata the authenticator refuses with {@code UNAUTHENTICATED} before any
   * message is read, and counts it; nothing of it reaches the pipeline.
   */
  private final class Authentication implements ServerInterceptor {
    private final ServerAuthenticator authenticator;

    Authentication(ServerAuthenticator authenticator) {
      this.authenticator = authenticator;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
      try {
        authenticator.authenticate(contextOf(headers).metadata());
      } catch (AuthenticationException e) {
        intake.refused("grpc", "unauthenticated");
        call.close(Status.UNAUTHENTICATED.withDescription(e.getMessage()), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(call, headers);
    }
  }

  /**
   * The call's metadata as a context: ASCII keys with all their values (binary {@code -bin} keys
   * are left out).
   */
  static Context contextOf(Metadata headers) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (String key : headers.keys()) {
      if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        continue;
      }
      Iterable<String> values =
          headers.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
      if (values != null) {
        List<String> list = new ArrayList<>();
        values.forEach(list::add);
        m.put(key.toLowerCase(Locale.ROOT), list);
      }
    }
    return Context.of(m);
  }
}
