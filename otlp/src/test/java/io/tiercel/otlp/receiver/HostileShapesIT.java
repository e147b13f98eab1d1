package io.tiercel.otlp.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.ZstdOutputStream;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyFramedOutputStream;

/**
 * Hostile request shapes against the real sockets of the {@code otlp} receiver, each with a bounded
 * cost: the receiver answers with its documented codes and keeps serving. (The depth and length
 * limits themselves are unit-tested in {@code OtlpStructureTest}.)
 */
@Tag("integration")
class HostileShapesIT {
  private static final String PROTO = "application/x-protobuf";
  private static final int DEFAULT_LIMIT = 20 * 1024 * 1024; // max_request_body_size

  private ReceiverFixture fx;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    fx = ReceiverFixture.all();
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  @Test
  void anyValueNested10000DeepIsRefusedOnBothProtocols() throws Exception {
    byte[] body = nestedAnyValue(10_000);
    HttpResponse<byte[]> r = post(body, null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r)).contains(": messages nested deeper than 100 (at resource_spans.");
    assertThat(grpcCode(body)).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertServing();
    assertThat(fx.traces.calls()).hasSize(2); // only the serving check's requests
  }

  @Test
  void aDeclaredLengthOf2GibIsRefusedOnBothProtocols() throws Exception {
    byte[] body = {0x0A, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 1, 2, 3};
    HttpResponse<byte[]> r = post(body, null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r))
        .isEqualTo(
            "malformed OTLP traces protobuf: length 2147483648 exceeds the enclosing message");
    assertThat(grpcCode(body)).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertServing();
    assertThat(fx.traces.calls()).hasSize(2); // only the serving check's requests
  }

  /**
   * Item-count amplification: 1 MiB of empty spans (two bytes each, the least protobuf allows) is
   * 524,281 spans. The collector accepts such a request (each span is valid); so does the receiver,
   * and it hands on the 1 MiB of bytes, not half a million span objects: a stage that parses pays
   * for it, under the memory_limiter.
   */
  @Test
  void aMebibyteOfEmptySpansIsAcceptedAsBytesAndCounted() throws Exception {
    int spans = (1024 * 1024 - 16) / 2;
    byte[] scope = new byte[spans * 2];
    for (int i = 0; i < spans; i++) {
      scope[2 * i] = 0x12; // ScopeSpans.spans (2), LEN
      scope[2 * i + 1] = 0; // an empty span
    }
    byte[] body = frame(1, frame(2, scope)); // resource_spans > scope_spans
    assertThat(body.length).isLessThanOrEqualTo(1024 * 1024);
    assertThat(post(body, null).statusCode()).isEqualTo(200);
    var call = fx.traces.calls().get(0);
    assertThat(call.data().hasMessage()).isFalse();
    assertThat(call.data().itemCount()).isEqualTo(spans);
  }

  @Test
  void aHundredThousandAttributesOnOneSpanAreOneSpan() throws Exception {
    Span.Builder span = Span.newBuilder().setName("wide");
    for (int i = 0; i < 100_000; i++) {
      span.addAttributes(
          KeyValue.newBuilder().setKey("k" + i).setValue(AnyValue.newBuilder().setIntValue(i)));
    }
    byte[] body =
        TracesData.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
            .build()
            .toByteArray();
    assertThat(post(body, null).statusCode()).isEqualTo(200);
    assertThat(fx.traces.calls().get(0).data().itemCount()).isEqualTo(1);
  }

  /** 64 MiB of zeros in every encoding the receiver accepts: inflating stops at the limit. */
  @Test
  void aDecompressionBombOnEveryDecompressorStopsAtTheLimit() throws Exception {
    byte[] zeros = new byte[64 * 1024 * 1024];
    for (String encoding : BodyDecoder.ALGORITHMS) {
      if (encoding.isEmpty()) {
        continue;
      }
      byte[] bomb = compress(encoding, zeros);
      assertThat(bomb.length).as(encoding).isLessThan(4 * 1024 * 1024);
      HttpResponse<byte[]> r = post(bomb, encoding);
      assertThat(r.statusCode()).as(encoding).isEqualTo(413);
      assertThat(message(r))
          .as(encoding)
          .isEqualTo("the decompressed request body exceeds " + DEFAULT_LIMIT + " bytes");
    }
    // gRPC: gzip inflating past max_recv_msg_size_mib (4 MiB by default) is RESOURCE_EXHAUSTED
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", fx.grpcPort())
            .usePlaintext()
            .maxInboundMessageSize(64 * 1024 * 1024)
            .build();
    try {
      ClientCalls.blockingUnaryCall(
          channel, exportMethod(), CallOptions.DEFAULT.withCompression("gzip"), new byte[8 << 20]);
      throw new AssertionError("an 8 MiB message was accepted");
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(e.getStatus().getDescription())
          .isEqualTo("the decompressed message is larger than max_recv_msg_size_mib (4 MiB)");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    assertServing();
    assertThat(fx.traces.calls()).hasSize(2); // only the serving check's requests
  }

  /**
   * A slow-loris client sends its request head a byte at a time: it holds only its own connection
   * (no worker, no permit), others are served meanwhile.
   */
  @Test
  void aSlowLorisClientDoesNotStopOthers() throws Exception {
    List<java.net.Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        java.net.Socket s = new java.net.Socket("127.0.0.1", fx.httpPort());
        s.getOutputStream().write("POST /v1/traces HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes());
        s.getOutputStream().flush();
        slow.add(s);
      }
      for (int round = 0; round < 3; round++) {
        for (java.net.Socket s : slow) {
          s.getOutputStream().write('a');
          s.getOutputStream().flush();
        }
        assertServing();
      }
      assertThat(fx.receiver.inFlightForTest()).isZero();
    } finally {
      for (java.net.Socket s : slow) {
        s.close();
      }
    }
  }

  /**
   * 10,000 gRPC calls opened on one connection and left idle (never half-closed): they hold no
   * worker and no permit (a request takes one only when complete), and other clients are served.
   */
  @Test
  void tenThousandIdleGrpcStreamsDoNotStopOthers() throws Exception {
    ManagedChannel idle =
        ManagedChannelBuilder.forAddress("127.0.0.1", fx.grpcPort()).usePlaintext().build();
    List<ClientCall<byte[], byte[]>> calls = new ArrayList<>();
    try {
      for (int i = 0; i < 10_000; i++) {
        ClientCall<byte[], byte[]> c = idle.newCall(exportMethod(), CallOptions.DEFAULT);
        c.start(new ClientCall.Listener<>() {}, new Metadata());
        c.request(1);
        c.sendMessage(OtlpGrpcIT.validTraces());
        calls.add(c);
      }
      for (int i = 0; i < 3; i++) {
        assertServing();
      }
      assertThat(fx.receiver.inFlightForTest()).isZero();
    } finally {
      for (ClientCall<byte[], byte[]> c : calls) {
        c.cancel("test over", null);
      }
      idle.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    assertThat(fx.traces.calls()).hasSize(6); // only the serving checks' requests
  }

  private void assertServing() throws Exception {
    assertThat(post(OtlpGrpcIT.validTraces(), null).statusCode()).isEqualTo(200);
    assertThat(grpcCode(OtlpGrpcIT.validTraces())).isEqualTo(Status.Code.OK);
    fx.awaitIdle();
  }

  private HttpResponse<byte[]> post(byte[] body, String encoding) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.httpPort() + "/v1/traces"))
            .header("Content-Type", PROTO)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String message(HttpResponse<byte[]> r) throws Exception {
    return com.google.rpc.Status.parseFrom(r.body()).getMessage();
  }

  private Status.Code grpcCode(byte[] body) throws Exception {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", fx.grpcPort()).usePlaintext().build();
    try {
      ClientCalls.blockingUnaryCall(
          channel,
          exportMethod(),
          CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
          body);
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static MethodDescriptor<byte[], byte[]> exportMethod() {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName("opentelemetry.proto.collector.trace.v1.TraceService/Export")
        .setRequestMarshaller(RawBytes.INSTANCE)
        .setResponseMarshaller(RawBytes.INSTANCE)
        .build();
  }

  private enum RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    INSTANCE;

    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static byte[] compress(String encoding, byte[] data) throws IOException {
    if (encoding.equals("snappy")) {
      return Snappy.compress(data);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream c =
        switch (encoding) {
          case "gzip" -> new GZIPOutputStream(out);
          case "zlib", "deflate" -> new DeflaterOutputStream(out);
          case "zstd" -> new ZstdOutputStream(out);
          case "lz4" -> new LZ4FrameOutputStream(out);
          case "x-snappy-framed" -> new SnappyFramedOutputStream(out);
          default -> throw new IllegalArgumentException(encoding);
        }) {
      c.write(data);
    }
    return out.toByteArray();
  }

  /** A span attribute whose AnyValue nests arrays {@code levels} deep. */
  private static byte[] nestedAnyValue(int levels) {
    byte[] v = AnyValue.newBuilder().setStringValue("x").build().toByteArray();
    for (int i = 0; i < levels / 2; i++) {
      v = frame(5, frame(1, v)); // AnyValue.array_value > ArrayValue.values
    }
    byte[] kv = concat(frame(1, new byte[] {'k'}), frame(2, v));
    return frame(1, frame(2, frame(2, frame(9, kv))));
  }

  private static byte[] frame(int field, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 8);
    varint(out, (long) field << 3 | 2);
    varint(out, body.length);
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) (v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
