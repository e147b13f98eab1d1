package io.tiercel.otlp.receiver;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.extension.auth.AuthenticationException;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * Handles the requests of one connection, one at a time: checks method, path, content type and
 * encoding when the head arrives (answering an error at once), copies the body up to {@code
 * max_request_body_size}, then hands it to a worker and stops reading from the connection until the
 * answer is written. Runs on the connection's event loop; nothing here blocks or decodes.
 */
final class HttpExportHandler extends ChannelInboundHandlerAdapter {
  private enum State {
    IDLE,
    READING,
    DISCARDING,
    PROCESSING
  }

  /** How much of a refused body is read and dropped before the connection is closed instead. */
  private static final long DISCARD_LIMIT = 64L * 1024 * 1024;

  /**
   * The largest buffer allocated before the bytes arrive; it grows by doubling as the body comes
   * in.
   */
  private static final int INITIAL_BUFFER = 1024 * 1024;

  private final HttpServer server;
  private final int maxBody;
  private State state = State.IDLE;

  // the request being read
  private Signal signal;
  private Media media;
  private String encoding;
  private boolean keepAlive;
  private String origin;
  private HttpHeaders headers;
  private byte[] body;
  private int bodyLength;
  private long reserved;
  private long discarded;
  private boolean closeWhenDiscarded;
  private ChannelFuture lastWrite;

  HttpExportHandler(HttpServer server) {
    this.server = server;
    this.maxBody = (int) (long) server.config().maxRequestBodySize();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpRequest req) {
        onHead(ctx, req);
      }
      if (msg instanceof HttpContent content) {
        onContent(ctx, content);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onHead(ChannelHandlerContext ctx, HttpRequest req) {
    if (state == State.PROCESSING) {
      // HTTP pipelining: we answer one request at a time and stopped reading; a client that sends
      // ahead anyway
      // is not supported
      ctx.close();
      return;
    }
    resetRequest();
    keepAlive = HttpUtil.isKeepAlive(req);
    origin = req.headers().get(HttpHeaderNames.ORIGIN);
    if (req.decoderResult().isFailure()) {
      refuseText(
          ctx,
          HttpResponseStatus.BAD_REQUEST,
          "400 bad request: " + req.decoderResult().cause().getMessage());
      return;
    }
    String path = new QueryStringDecoder(req.uri()).path();
    Signal s = server.route(path);
    Cors cors = server.cors();
    if (cors != null
        && req.method().equals(HttpMethod.OPTIONS)
        && req.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
      preflight(ctx, req, cors);
      return;
    }
    try {
      // after CORS preflight and before routing, as the collector's handler chain orders them
      server.authenticate(req);
    } catch (AuthenticationException e) {
      media = Media.of(req.headers().get(HttpHeaderNames.CONTENT_TYPE));
      refuse(ctx, 401, e.getMessage(), -1);
      return;
    }
    if (s == null) {
      refuseText(ctx, HttpResponseStatus.NOT_FOUND, "404 page not found");
      return;
    }
    if (!req.method().equals(HttpMethod.POST)) {
      refuseText(
          ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "405 method not allowed, supported: [POST]");
      return;
    }
    Media m = Media.of(req.headers().get(HttpHeaderNames.CONTENT_TYPE));
    if (m == null) {
      refuseText(
          ctx,
          HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
          "415 unsupported media type, supported: [application/json, application/x-protobuf]");
      return;
    }
    if (s == Signal.PROFILES && m == Media.JSON) {
      // OTLP/JSON of profiles is not implemented (profiles travel as protobuf bytes)
      refuseText(
          ctx,
          HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
          "415 unsupported media type, supported for profiles: [application/x-protobuf]");
      return;
    }
    media = m;
    String enc = BodyDecoder.normalize(req.headers().get(HttpHeaderNames.CONTENT_ENCODING));
    if (!BodyDecoder.supported(enc, server.encodings())) {
      refuse(ctx, 400, "unsupported Content-Encoding: " + enc, -1);
      return;
    }
    long contentLength = HttpUtil.getContentLength(req, -1L);
    if (contentLength > maxBody) {
      refuse(
          ctx,
          413,
          "request body too large: " + contentLength + " bytes, the limit is " + maxBody,
          -1);
      return;
    }
    if (!server.intake().tryAcquire()) {
      refuse(ctx, 503, server.intake().refusal(), -1);
      return;
    }
    signal = s;
    encoding = enc;
    headers = req.headers();
    // allocate for what has arrived, not for what a header promises: a flood of heads must not
    // reserve memory
    body = new byte[(int) Math.min(contentLength >= 0 ? contentLength : 64 * 1024, INITIAL_BUFFER)];
    bodyLength = 0;
    state = State.READING;
  }

  private void onContent(ChannelHandlerContext ctx, HttpContent content) {
    ByteBuf buf = content.content();
    int n = buf.readableBytes();
    switch (state) {
      case READING -> {
        if (content.decoderResult().isFailure()) {
          abortReading();
          refuseText(
              ctx,
              HttpResponseStatus.BAD_REQUEST,
              "400 bad request: " + content.decoderResult().cause());
        } else if ((long) bodyLength + n > maxBody) {
          abortReading();
          refuse(ctx, 413, "request body too large: the limit is " + maxBody + " bytes", -1);
          discarded = (long) bodyLength + n;
        } else if (n > 0 && !server.intake().reserve(n)) {
          abortReading();
          refuse(ctx, 503, "too much request data in flight", -1);
          discarded = (long) bodyLength + n;
        } else {
          reserved += n;
          if (bodyLength + n > body.length) {
            body =
                java.util.Arrays.copyOf(
                    body, (int) Math.min(maxBody, Math.max(bodyLength + n, body.length * 2L)));
          }
          buf.readBytes(body, bodyLength, n);
          bodyLength += n;
        }
      }
      case DISCARDING -> {
        discarded += n;
        if (discarded > DISCARD_LIMIT) {
          closeAfterWrite(ctx);
          state = State.IDLE;
          return;
        }
      }
      default -> {
        return;
      }
    }
    if (content instanceof LastHttpContent) {
      if (state == State.READING) {
        state = State.PROCESSING;
        ctx.channel().config().setAutoRead(false);
        dispatch(ctx);
      } else if (state == State.DISCARDING) {
        if (closeWhenDiscarded) {
          closeAfterWrite(ctx);
        }
        state = State.IDLE;
      }
    }
  }

  private void abortReading() {
    server.intake().release();
    server.intake().unreserve(reserved);
    reserved = 0;
    body = null;
    bodyLength = 0;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (state == State.READING) {
      abortReading();
      state = State.IDLE;
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    server.failures().warn("OTLP/HTTP connection error: " + cause.getMessage(), null);
    ctx.close();
  }

  /** The request is complete: decode and export on a worker, answer when the pipeline is done. */
  private void dispatch(ChannelHandlerContext ctx) {
    Request r =
        new Request(
            signal,
            media,
            encoding,
            keepAlive,
            origin,
            server.config().includeMetadata() ? contextOf(headers) : Context.EMPTY,
            body,
            bodyLength,
            reserved);
    reserved = 0; // the request owns the reservation now
    body = null;
    headers = null;
    server.intake().execute(() -> process(ctx, r));
  }

  private record Request(
      Signal signal,
      Media media,
      String encoding,
      boolean keepAlive,
      String origin,
      Context context,
      byte[] raw,
      int rawLength,
      long reserved) {}

  private void process(ChannelHandlerContext ctx, Request r) {
    try {
      decodeAndExport(ctx, r);
    } catch (RuntimeException e) {
      // a bug, not bad input: answer rather than leave the client and the permit hanging
      server.failures().warn("OTLP/HTTP request failed unexpectedly: " + e, e);
      finish(ctx, r, 500, "internal error: " + e, -1);
    }
  }

  private void decodeAndExport(ChannelHandlerContext ctx, Request r) {
    byte[] decoded;
    try {
      decoded = BodyDecoder.decode(r.encoding(), r.raw(), r.rawLength(), maxBody);
    } catch (BodyDecoder.TooLargeException e) {
      finish(ctx, r, 413, e.getMessage(), -1);
      return;
    } catch (IOException | RuntimeException e) {
      finish(
          ctx,
          r,
          400,
          "cannot decompress the " + r.encoding() + " request body: " + e.getMessage(),
          -1);
      return;
    }
    OtlpData data;
    try {
      data = r.media().decode(r.signal(), decoded);
    } catch (RuntimeException e) {
      finish(ctx, r, 400, e.getMessage(), -1);
      return;
    }
    TelemetryConsumer<OtlpData> consumer = server.intake().consumer(r.signal(), "http");
    Intake.consume(consumer, r.context(), data)
        .whenComplete(
            (ok, err) -> {
              if (err == null) {
                finish(ctx, r, 200, null, -1);
              } else {
                server
                    .failures()
                    .warn(
                        "OTLP/HTTP "
                            + r.signal()
                            + " export failed in the pipeline: "
                            + err.getMessage(),
                        null);
                ErrorMapping.HttpError e = ErrorMapping.toHttp(err);
                finishWithStatus(
                    ctx, r, e.httpStatus(), e.grpcCode(), e.message(), e.retryAfterSeconds());
              }
            });
  }

  private void finish(
      ChannelHandlerContext ctx, Request r, int httpStatus, String message, long retryAfter) {
    if (httpStatus >= 400) {
      server.intake().refused("http", Intake.reasonOf(httpStatus)); // refused before the pipeline
    }
    finishWithStatus(
        ctx, r, httpStatus, ErrorMapping.grpcCodeOfHttp(httpStatus).value(), message, retryAfter);
  }

  /**
   * Writes the answer on the event loop, then reads the next request. The request's permit is
   * released once the answer is written (or cannot be), so that a draining shutdown does not close
   * the connection under it.
   */
  private void finishWithStatus(
      ChannelHandlerContext ctx,
      Request r,
      int httpStatus,
      int grpcCode,
      String message,
      long retryAfter) {
    byte[] payload =
        httpStatus == 200 ? r.media().emptyResponse() : r.media().status(grpcCode, message);
    try {
      ctx.channel()
          .eventLoop()
          .execute(
              () -> {
                state = State.IDLE;
                FullHttpResponse resp =
                    response(
                        httpStatus, r.media().contentType(), payload, r.keepAlive(), r.origin());
                if (retryAfter > 0) {
                  resp.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfter);
                }
                ChannelFuture f = ctx.writeAndFlush(resp);
                f.addListener(done -> done(r));
                if (r.keepAlive()) {
                  ctx.channel().config().setAutoRead(true);
                } else {
                  f.addListener(ChannelFutureListener.CLOSE);
                }
              });
    } catch (RejectedExecutionException stopped) {
      done(r); // the event loop is gone: nothing to answer on
    }
  }

  /** The request is answered (or cannot be): its permit and memory go back. */
  private void done(Request r) {
    server.intake().unreserve(r.reserved());
    server.intake().release();
  }

  private void preflight(ChannelHandlerContext ctx, HttpRequest req, Cors cors) {
    FullHttpResponse resp =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
    String requestedHeaders = req.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
    String method = req.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    resp.headers()
        .add(
            HttpHeaderNames.VARY,
            "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    if (cors.originAllowed(origin)
        && "POST".equalsIgnoreCase(method)
        && cors.headersAllowed(requestedHeaders)) {
      resp.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
      resp.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "POST");
      if (requestedHeaders != null && !requestedHeaders.isBlank()) {
        resp.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, requestedHeaders);
      }
      if (cors.maxAge() > 0) {
        resp.headers().set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, cors.maxAge());
      }
    }
    server.config().responseHeaders().forEach(resp.headers()::set);
    resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    resp.headers()
        .set(
            HttpHeaderNames.CONNECTION,
            keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    lastWrite = ctx.writeAndFlush(resp);
    state = State.DISCARDING; // whatever body follows is dropped
    closeWhenDiscarded = !keepAlive;
  }

  /**
   * Answers an error before the body is read, in the request's encoding; the body is then dropped.
   */
  private void refuse(ChannelHandlerContext ctx, int httpStatus, String message, long retryAfter) {
    server.intake().refused("http", Intake.reasonOf(httpStatus));
    Media m = media != null ? media : Media.PROTOBUF;
    byte[] payload = m.status(ErrorMapping.grpcCodeOfHttp(httpStatus).value(), message);
    FullHttpResponse resp = response(httpStatus, m.contentType(), payload, false, origin);
    lastWrite = ctx.writeAndFlush(resp);
    state = State.DISCARDING;
    closeWhenDiscarded = true;
  }

  /** Answers a plain-text error (405, 415, 404, as the collector does) before the body is read. */
  private void refuseText(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
    server.intake().refused("http", Intake.reasonOf(status.code()));
    FullHttpResponse resp =
        response(
            status.code(),
            "text/plain; charset=utf-8",
            text.getBytes(StandardCharsets.UTF_8),
            false,
            origin);
    if (status.code() == 405) {
      resp.headers().set(HttpHeaderNames.ALLOW, "POST");
    }
    lastWrite = ctx.writeAndFlush(resp);
    state = State.DISCARDING;
    closeWhenDiscarded = true;
  }

  private void closeAfterWrite(ChannelHandlerContext ctx) {
    if (lastWrite != null) {
      lastWrite.addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }

  private FullHttpResponse response(
      int status, String contentType, byte[] payload, boolean keepAlive, String requestOrigin) {
    FullHttpResponse resp =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(status),
            Unpooled.wrappedBuffer(payload));
    HttpHeaders h = resp.headers();
    server.config().responseHeaders().forEach(h::set);
    h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, payload.length);
    h.set(
        HttpHeaderNames.CONNECTION,
        keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    Cors cors = server.cors();
    if (cors != null && cors.originAllowed(requestOrigin)) {
      h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, requestOrigin);
      h.set(HttpHeaderNames.VARY, "Origin");
    }
    return resp;
  }

  private void resetRequest() {
    signal = null;
    media = null;
    encoding = null;
    headers = null;
    body = null;
    bodyLength = 0;
    reserved = 0;
    discarded = 0;
    closeWhenDiscarded = true;
    lastWrite = null;
  }

  /** The request headers as a context: names lower-case, every value. */
  static Context contextOf(HttpHeaders headers) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : headers) {
      m.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(e.getValue());
    }
    return Context.of(m);
  }
}
