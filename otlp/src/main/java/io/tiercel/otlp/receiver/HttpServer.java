package io.tiercel.otlp.receiver;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.extension.auth.AuthenticationException;
import io.tiercel.core.extension.auth.ServerAuthenticator;
import io.tiercel.core.pdata.Signal;
import io.tiercel.otlp.wire.TlsOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The OTLP/HTTP server: a Netty HTTP/1.1 server with its own event loops. The event loops only
 * parse HTTP and copy the body (bounded by {@code max_request_body_size}); decompression, decoding
 * and the call into the pipeline run on the intake's workers, and the answer is written when the
 * consume future completes.
 */
final class HttpServer {
  private final OtlpReceiverConfig.Http config;
  private final Intake intake;
  private final Logger logger;
  private final String name;
  private final io.tiercel.core.util.ThrottledLogger failures;
  private final Map<String, Signal> routes = new java.util.HashMap<>();
  private final Cors cors;
  private final java.util.Set<String> encodings;
  private final @Nullable ServerAuthenticator auth;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private Channel serverChannel;
  private ChannelGroup children;

  HttpServer(
      OtlpReceiverConfig.Http config,
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
    Map<Signal, String> paths = new EnumMap<>(Signal.class);
    paths.put(Signal.TRACES, config.tracesUrlPath());
    paths.put(Signal.METRICS, config.metricsUrlPath());
    paths.put(Signal.LOGS, config.logsUrlPath());
    paths.put(Signal.PROFILES, config.profilesUrlPath());
    // a signal without a pipeline has no route: its path answers 404, as in the collector
    paths.forEach(
        (s, p) -> {
          if (intake.consumer(s) != null) {
            routes.put(p, s);
          }
        });
    this.cors = config.cors() == null ? null : new Cors(config.cors());
    this.encodings = java.util.Set.copyOf(config.compressionAlgorithms());
  }

  /** The request encodings accepted (canonical names). */
  java.util.Set<String> encodings() {
    return encodings;
  }

  /** Binds and starts serving. */
  void start() throws IOException, InterruptedException {
    SslContext ssl = sslContext();
    boolean unix = config.transport().equals("unix");
    SocketAddress addr =
        unix ? UnixDomainSocketAddress.of(config.endpoint()) : Endpoint.resolve(config.endpoint());
    boss =
        new MultiThreadIoEventLoopGroup(
            1,
            new DefaultThreadFactory("otlp-http-" + name + "-accept", true),
            NioIoHandler.newFactory());
    workers =
        new MultiThreadIoEventLoopGroup(
            Math.min(2, Runtime.getRuntime().availableProcessors()),
            new DefaultThreadFactory("otlp-http-" + name + "-io", true),
            NioIoHandler.newFactory());
    children = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    ServerBootstrap b =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(unix ? NioServerDomainSocketChannel.class : NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    children.add(ch);
                    ChannelPipeline p = ch.pipeline();
                    if (ssl != null) {
                      p.addLast("tls", ssl.newHandler(ch.alloc()));
                    }
                    HttpTimeouts timeouts =
                        new HttpTimeouts(config, () -> intake.refused("http", "read_timeout"));
                    p.addLast("deadline-bytes", timeouts.raw());
                    p.addLast("http", new HttpServerCodec());
                    p.addLast("deadlines", timeouts.messages());
                    // answers "Expect: 100-continue" (curl sends it for larger bodies) so the
                    // client sends at once
                    p.addLast("continue", new HttpServerExpectContinueHandler());
                    p.addLast("otlp", new HttpExportHandler(HttpServer.this));
                  }
                });
    try {
      serverChannel = b.bind(addr).sync().channel();
    } catch (Exception e) {
      shutdownGroups(Deadline.in(java.time.Duration.ofSeconds(2)));
      throw new IOException(
          "cannot listen for OTLP/HTTP on " + config.endpoint() + ": " + e.getMessage(), e);
    }
    logger.info(
        "Starting OTLP/HTTP server on {} (paths {})",
        unix ? "unix:" + config.endpoint() : boundAddress(),
        routes.keySet());
  }

  private SslContext sslContext() throws IOException {
    OtlpReceiverConfig.Tls tls = config.tls();
    if (tls == null) {
      return null;
    }
    try {
      TlsOptions o = tls.options();
      SslContextBuilder b = SslContextBuilder.forServer(o.keyManager()).protocols(o.protocols());
      if (o.ciphers() != null) {
        b.ciphers(o.ciphers());
      }
      if (tls.clientCaFile() != null && !tls.clientCaFile().isBlank()) {
        b.trustManager(TlsOptions.clientCaTrust(tls.clientCaFile(), tls.clientCaFileReload()))
            .clientAuth(ClientAuth.REQUIRE);
      }
      return b.build();
    } catch (Exception e) {
      throw new IOException("invalid OTLP/HTTP tls settings: " + e.getMessage(), e);
    }
  }

  /** The address the server listens on, or null before start. */
  InetSocketAddress boundAddress() {
    Channel c = serverChannel;
    return c == null || !(c.localAddress() instanceof InetSocketAddress a) ? null : a;
  }

  /** Stops accepting connections. */
  void stopAccepting() {
    Channel c = serverChannel;
    if (c != null) {
      c.close().awaitUninterruptibly(1000);
    }
  }

  /** Closes every connection and stops the event loops before {@code deadline}. */
  void shutdown(Deadline deadline) {
    stopAccepting();
    if (children != null) {
      children.close().awaitUninterruptibly(Math.max(1, deadline.remainingMillis()));
    }
    shutdownGroups(deadline);
    GrpcServer.removeSocketFile(config.transport(), config.endpoint(), logger);
  }

  private void shutdownGroups(Deadline deadline) {
    for (EventLoopGroup g : new EventLoopGroup[] {boss, workers}) {
      if (g != null) {
        g.shutdownGracefully(0, Math.max(1, deadline.remainingMillis()), TimeUnit.MILLISECONDS)
            .awaitUninterruptibly(Math.max(1, deadline.remainingMillis()));
      }
    }
  }

  OtlpReceiverConfig.Http config() {
    return config;
  }

  Intake intake() {
    return intake;
  }

  io.tiercel.core.util.ThrottledLogger failures() {
    return failures;
  }

  /** The signal served at {@code path}, or null. */
  Signal route(String path) {
    return routes.get(path);
  }

  /**
   * Asks the authenticator (if any) about a request: its headers, and the {@code request_params}
   * found in its query string (a parameter replaces a header of the same name).
   *
   * @throws AuthenticationException when the request must be answered 401
   */
  void authenticate(HttpRequest req) throws AuthenticationException {
    ServerAuthenticator a = auth;
    if (a == null) {
      return;
    }
    Map<String, java.util.List<String>> sources =
        new java.util.HashMap<>(HttpExportHandler.contextOf(req.headers()).metadata());
    OtlpReceiverConfig.HttpAuth cfg = config.auth();
    if (cfg != null && !cfg.requestParams().isEmpty()) {
      Map<String, java.util.List<String>> query = new QueryStringDecoder(req.uri()).parameters();
      for (String param : cfg.requestParams()) {
        java.util.List<String> v = query.get(param);
        if (v != null) {
          sources.put(param, v);
        }
      }
    }
    a.authenticate(sources);
  }

  /** The CORS policy, or null when CORS is off. */
  Cors cors() {
    return cors;
  }
}
