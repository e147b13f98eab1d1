package io.tiercel.otlp.receiver;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP server's timeouts, with the meaning Go's {@code net/http} gives the collector's {@code
 * read_header_timeout}, {@code read_timeout}, {@code write_timeout} and {@code idle_timeout}: a
 * request head must arrive within {@code read_header_timeout} of its first byte, the whole request
 * within {@code read_timeout}, the answer must be written within {@code write_timeout} of the
 * head's arrival, and a connection may wait {@code idle_timeout} for its next request (for its
 * first: Go times a new connection's first head from the accept with {@code read_header_timeout};
 * here a silent new connection is idle, as the receiver treated it before). A connection that
 * misses one is closed, so a client that sends its head a byte at a time (slow loris) holds a
 * connection for a bounded time. Zero means no limit; a zero header or idle timeout falls back to
 * {@code read_timeout}, as in Go.
 *
 * <p>One instance per connection, shared by two handlers: {@link #raw()} sits before the HTTP codec
 * and sees the first bytes of a request; {@link #messages()} sits after it and sees the parsed
 * head, the end of the body and the response. All of it runs on the connection's event loop.
 */
final class HttpTimeouts {
  private enum Phase {
    /** Waiting for the first byte of a request on a kept-alive connection. */
    IDLE,
    /** Reading a request head. */
    HEAD,
    /** Head read: reading the body, then waiting for the pipeline's answer. */
    REQUEST
  }

  private final long headerNanos;
  private final long readNanos;
  private final long writeNanos;
  private final long idleNanos;
  private final Runnable onRequestTimeout;
  private Phase phase = Phase.IDLE;
  private boolean bodyDone;
  private boolean requestStarted; // a byte of the current request arrived
  private @Nullable ScheduledFuture<?> phaseTimer; // idle, head or write deadline
  private @Nullable ScheduledFuture<?> readTimer; // whole request

  /**
   * @param onRequestTimeout called (on the event loop) when a request that had begun to arrive did
   *     not arrive whole in time, before the connection is closed: the refusal is counted
   */
  HttpTimeouts(OtlpReceiverConfig.Http config, Runnable onRequestTimeout) {
    long read = nanos(config.readTimeout());
    this.readNanos = read;
    long header = nanos(config.readHeaderTimeout());
    this.headerNanos = header > 0 ? header : read;
    this.writeNanos = nanos(config.writeTimeout());
    long idle = nanos(config.idleTimeout());
    this.idleNanos = idle > 0 ? idle : read;
    this.onRequestTimeout = onRequestTimeout;
  }

  private static long nanos(@Nullable Duration d) {
    return d == null || d.isNegative() ? 0 : d.toNanos();
  }

  /** The handler before the HTTP codec. */
  ChannelInboundHandlerAdapter raw() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelActive(ChannelHandlerContext ctx) throws Exception {
        // a connection that sends nothing is idle (closed after idle_timeout, as before these
        // timeouts existed); its first request's head is timed from its first byte
        waitForRequest(ctx);
        super.channelActive(ctx);
      }

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf b && b.isReadable()) {
          if (phase == Phase.IDLE) {
            startHead(ctx);
          }
          requestStarted = true;
        }
        super.channelRead(ctx, msg);
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelAll();
        super.channelInactive(ctx);
      }
    };
  }

  /** The handler after the HTTP codec. */
  ChannelDuplexHandler messages() {
    return new ChannelDuplexHandler() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest && phase == Phase.HEAD) {
          phase = Phase.REQUEST;
          bodyDone = false;
          cancel(phaseTimer);
          phaseTimer = schedule(ctx, writeNanos, false);
        }
        if (msg instanceof LastHttpContent && phase == Phase.REQUEST) {
          bodyDone = true;
          cancel(readTimer);
          readTimer = null;
        }
        super.channelRead(ctx, msg);
      }

      @Override
      public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
          throws Exception {
        if (msg instanceof HttpResponse && phase == Phase.REQUEST) {
          promise.addListener(
              f -> {
                if (f.isSuccess() && ctx.channel().isActive() && phase == Phase.REQUEST) {
                  startIdle(ctx);
                }
              });
        }
        super.write(ctx, msg, promise);
      }
    };
  }

  private void startHead(ChannelHandlerContext ctx) {
    phase = Phase.HEAD;
    cancelAll();
    phaseTimer = schedule(ctx, headerNanos, true);
    readTimer = schedule(ctx, readNanos, true);
  }

  private void startIdle(ChannelHandlerContext ctx) {
    if (!bodyDone) {
      // answered before the body was read (an error at the head): the connection is closed anyway
      return;
    }
    waitForRequest(ctx);
  }

  private void waitForRequest(ChannelHandlerContext ctx) {
    phase = Phase.IDLE;
    requestStarted = false;
    cancelAll();
    phaseTimer = schedule(ctx, idleNanos, false);
  }

  private @Nullable ScheduledFuture<?> schedule(
      ChannelHandlerContext ctx, long nanos, boolean requestTimeout) {
    if (nanos <= 0) {
      return null;
    }
    return ctx.executor()
        .schedule(
            () -> {
              if (ctx.channel().isActive()) {
                if (requestTimeout && requestStarted) {
                  onRequestTimeout.run();
                }
                ctx.close();
              }
            },
            nanos,
            TimeUnit.NANOSECONDS);
  }

  private void cancelAll() {
    cancel(phaseTimer);
    cancel(readTimer);
    phaseTimer = null;
    readTimer = null;
  }

  private static void cancel(@Nullable ScheduledFuture<?> f) {
    if (f != null) {
      f.cancel(false);
    }
  }
}
