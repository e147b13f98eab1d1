package io.tiercel.benchmarks.load;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.tiercel.otlp.wire.GrpcEncodings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The backend of the processing tier: an OTLP gRPC trace service in the tool's process that counts
 * the spans it receives (on the wire, without parsing) and records, per span, the time since the
 * send time stamped in its trace id. It answers every export with success (an empty {@code
 * ExportTraceServiceResponse}).
 */
final class OtlpSink implements AutoCloseable {
  private static final String METHOD = "opentelemetry.proto.collector.trace.v1.TraceService/Export";
  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try (stream) {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private final Server server;
  private final AtomicLong spans = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong lastArrivalNanos = new AtomicLong();
  private volatile LatencyHistogram latency = new LatencyHistogram();
  private volatile long measureFromMicros = Long.MAX_VALUE;

  OtlpSink(LongSupplier clockMicros) throws IOException {
    MethodDescriptor<byte[], byte[]> export =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(METHOD)
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();
    ServerServiceDefinition service =
        ServerServiceDefinition.builder("opentelemetry.proto.collector.trace.v1" + ".TraceService")
            .addMethod(
                export,
                ServerCalls.asyncUnaryCall(
                    (byte[] req, io.grpc.stub.StreamObserver<byte[]> out) -> {
                      long now = clockMicros.getAsLong();
                      LatencyHistogram h = latency;
                      long from = measureFromMicros;
                      int n =
                          SpanWire.forEachSpan(
                              req,
                              (b, off) -> {
                                if (off >= 0) {
                                  long sent = SpanWire.readLong(b, off);
                                  if (sent >= from) {
                                    h.record(now - sent, 1);
                                  }
                                }
                              });
                      spans.addAndGet(n);
                      requests.incrementAndGet();
                      lastArrivalNanos.set(System.nanoTime());
                      out.onNext(new byte[0]);
                      out.onCompleted();
                    }))
            .build();
    server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(service)
            // the exporters' encodings (zstd and snappy beside gzip), as the otlp receiver accepts
            .decompressorRegistry(GrpcEncodings.decompressors())
            .maxInboundMessageSize(256 << 20)
            .build()
            .start();
  }

  /** {@code http://127.0.0.1:<port>} */
  String endpoint() {
    return "http://127.0.0.1:" + server.getPort();
  }

  long spans() {
    return spans.get();
  }

  long lastArrivalNanos() {
    return lastArrivalNanos.get();
  }

  /** Starts a new latency histogram holding only spans sent at or after {@code fromMicros}. */
  LatencyHistogram measureFrom(long fromMicros) {
    LatencyHistogram h = new LatencyHistogram();
    latency = h;
    measureFromMicros = fromMicros;
    return h;
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdown();
    if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
      server.shutdownNow();
    }
  }
}
