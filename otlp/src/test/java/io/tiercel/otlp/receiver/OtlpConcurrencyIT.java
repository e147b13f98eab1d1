package io.tiercel.otlp.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Many clients on both protocols at once: every span sent arrives exactly once, and no permit
 * leaks.
 */
@Tag("integration")
class OtlpConcurrencyIT {
  private static final int THREADS = 4;
  private static final int REQUESTS = 10;
  private static final int SPANS = 10;

  @Test
  void everySpanArrivesOnceFromConcurrentGrpcAndHttpClients() throws Exception {
    try (ReceiverFixture fx = ReceiverFixture.all()) {
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", fx.grpcPort()).usePlaintext().build();
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS);
      try {
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          results.add(
              pool.submit(
                  () -> {
                    int ok = 0;
                    for (int i = 0; i < REQUESTS; i++) {
                      ClientCalls.blockingUnaryCall(
                          channel,
                          TraceServiceGrpc.getExportMethod(),
                          CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                          request(0, thread, i));
                      ok++;
                    }
                    return ok;
                  }));
          results.add(
              pool.submit(
                  () -> {
                    int ok = 0;
                    for (int i = 0; i < REQUESTS; i++) {
                      HttpResponse<byte[]> r =
                          http.send(
                              HttpRequest.newBuilder(URI.create(fx.httpUrl("/v1/traces")))
                                  .header("Content-Type", "application/x-protobuf")
                                  .POST(
                                      HttpRequest.BodyPublishers.ofByteArray(
                                          request(1, thread, i).toByteArray()))
                                  .build(),
                              HttpResponse.BodyHandlers.ofByteArray());
                      ok += r.statusCode() == 200 ? 1 : 0;
                    }
                    return ok;
                  }));
        }
        int ok = 0;
        for (Future<Integer> f : results) {
          ok += f.get(60, TimeUnit.SECONDS);
        }
        assertThat(ok).isEqualTo(2 * THREADS * REQUESTS);
      } finally {
        pool.shutdownNow();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      Set<ByteString> ids = new HashSet<>();
      int spans = 0;
      for (RecordingSink.Call<io.tiercel.core.pdata.Traces> c : fx.traces.calls()) {
        for (Span s : c.data().message().getResourceSpans(0).getScopeSpans(0).getSpansList()) {
          ids.add(s.getSpanId());
          spans++;
        }
      }
      assertThat(spans).isEqualTo(2 * THREADS * REQUESTS * SPANS);
      assertThat(ids).hasSize(spans);
      fx.awaitIdle();
      assertThat(fx.receiver.inFlightForTest()).isZero();
      assertThat(fx.receiver.bytesInFlightForTest()).isZero();
    }
  }

  /** A request of {@link #SPANS} spans whose ids encode (protocol, thread, request, span). */
  private static ExportTraceServiceRequest request(int protocol, int thread, int request) {
    ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    for (int s = 0; s < SPANS; s++) {
      ByteBuffer id =
          ByteBuffer.allocate(8)
              .putShort((short) protocol)
              .putShort((short) thread)
              .putShort((short) request)
              .putShort((short) s);
      ss.addSpans(
          Span.newBuilder()
              .setName("s")
              .setTraceId(ByteString.copyFrom(new byte[16]))
              .setSpanId(ByteString.copyFrom(id.array())));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ss))
        .build();
  }
}
