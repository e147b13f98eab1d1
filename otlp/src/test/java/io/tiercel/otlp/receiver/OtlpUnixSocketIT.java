package io.tiercel.otlp.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code transport: unix} on both protocols, with real clients over the sockets. */
@Tag("integration")
class OtlpUnixSocketIT {
  @TempDir Path dir;

  private static ExportTraceServiceRequest spans(int n) {
    ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    for (int i = 0; i < n; i++) {
      ss.addSpans(Span.newBuilder().setName("uds-" + i));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ss))
        .build();
  }

  @Test
  void grpcAndHttpServeOnUnixSockets() throws Exception {
    Path grpcSock = dir.resolve("grpc.sock");
    Path httpSock = dir.resolve("http.sock");
    OtlpReceiverConfig cfg =
        new OtlpReceiverConfig(
            new OtlpReceiverConfig.Protocols(
                new OtlpReceiverConfig.Grpc(
                    grpcSock.toString(), "unix", null, null, 16, 4096, 4096, null, false),
                new OtlpReceiverConfig.Http(
                    httpSock.toString(),
                    null,
                    null,
                    null,
                    false,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    "unix")));
    try (ReceiverFixture fx = ReceiverFixture.of(cfg)) {
      assertThat(grpcSock).exists();
      assertThat(httpSock).exists();

      EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
      ManagedChannel ch =
          NettyChannelBuilder.forAddress(UnixDomainSocketAddress.of(grpcSock))
              .channelType(NioDomainSocketChannel.class)
              .eventLoopGroup(loop)
              .overrideAuthority("localhost")
              .usePlaintext()
              .build();
      try {
        TraceServiceGrpc.newBlockingStub(ch)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .export(spans(3));
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
      }
      assertThat(fx.traces.next().data().itemCount()).isEqualTo(3);

      byte[] body = spans(5).toByteArray();
      String answer;
      try (SocketChannel s = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        s.connect(UnixDomainSocketAddress.of(httpSock));
        String head =
            "POST /v1/traces HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/x-protobuf\r\nContent-Length: "
                + body.length
                + "\r\nConnection: close\r\n\r\n";
        s.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
        s.write(ByteBuffer.wrap(body));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (s.read(buf) >= 0) {
          got.write(buf.array(), 0, buf.position());
          buf.clear();
        }
        answer = got.toString(StandardCharsets.ISO_8859_1);
      }
      assertThat(answer).startsWith("HTTP/1.1 200");
      assertThat(fx.traces.next().data().itemCount()).isEqualTo(5);
      assertThat(fx.traces.calls()).hasSize(2);
    }
    assertThat(Files.exists(grpcSock)).as("socket file removed at shutdown").isFalse();
    assertThat(Files.exists(httpSock)).as("socket file removed at shutdown").isFalse();
  }
}
