package io.tiercel.otlp.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.RetryInfo;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.pdata.Traces;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** OTLP/gRPC against a real receiver: the Java SDK's exporters and a raw grpc-java client. */
@Tag("integration")
class OtlpGrpcIT {
  private ReceiverFixture fx;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    fx = ReceiverFixture.all();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", fx.grpcPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void sdkExportersDeliverTracesMetricsAndLogs() throws Exception {
    List<SpanData> spans = SdkData.spans();
    try (OtlpGrpcSpanExporter exporter =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint(fx.grpcEndpoint())
            .addHeader("x-tenant", "acme")
            .setRetryPolicy(null)
            .build()) {
      assertThat(exporter.export(spans).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    RecordingSink.Call<Traces> call = fx.traces.next();
    assertThat(call.data().hasBytes()).isTrue();
    assertThat(call.data().hasMessage())
        .as("the gRPC path hands bytes through without parsing")
        .isFalse();
    assertThat(call.data().itemCount()).isEqualTo(2);
    ResourceSpans rs = call.data().message().getResourceSpans(0);
    assertThat(rs.getResource().getAttributesList())
        .contains(
            KeyValue.newBuilder()
                .setKey("service.name")
                .setValue(
                    io.opentelemetry.proto.common.v1.AnyValue.newBuilder()
                        .setStringValue("it-service"))
                .build());
    assertThat(rs.getScopeSpans(0).getScope().getName()).isEqualTo("it-scope");
    List<Span> got = rs.getScopeSpans(0).getSpansList();
    assertThat(got).extracting(Span::getName).containsExactlyInAnyOrder("parent", "child");
    Span parent = got.stream().filter(s -> s.getName().equals("parent")).findFirst().orElseThrow();
    Span child = got.stream().filter(s -> s.getName().equals("child")).findFirst().orElseThrow();
    assertThat(child.getParentSpanId()).isEqualTo(parent.getSpanId());
    assertThat(child.getTraceId()).isEqualTo(parent.getTraceId());
    SpanData sdkParent =
        spans.stream().filter(s -> s.getName().equals("parent")).findFirst().orElseThrow();
    assertThat(java.util.HexFormat.of().formatHex(parent.getTraceId().toByteArray()))
        .isEqualTo(sdkParent.getTraceId());
    assertThat(parent.getAttributesList())
        .extracting(KeyValue::getKey)
        .containsExactly("http.method");
    assertThat(call.context().first("x-tenant")).contains("acme");

    try (OtlpGrpcMetricExporter exporter =
        OtlpGrpcMetricExporter.builder()
            .setEndpoint(fx.grpcEndpoint())
            .setCompression("gzip")
            .setRetryPolicy(null)
            .build()) {
      assertThat(exporter.export(SdkData.metrics()).join(10, TimeUnit.SECONDS).isSuccess())
          .isTrue();
    }
    var metrics = fx.metrics.next().data();
    assertThat(metrics.itemCount()).isEqualTo(2);
    var metric = metrics.message().getResourceMetrics(0).getScopeMetrics(0).getMetrics(0);
    assertThat(metric.getName()).isEqualTo("requests");
    assertThat(metric.getSum().getDataPointsList())
        .extracting(NumberDataPoint::getAsInt)
        .containsExactlyInAnyOrder(3L, 4L);

    try (OtlpGrpcLogRecordExporter exporter =
        OtlpGrpcLogRecordExporter.builder()
            .setEndpoint(fx.grpcEndpoint())
            .setRetryPolicy(null)
            .build()) {
      assertThat(exporter.export(SdkData.logs()).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    var logs = fx.logs.next().data();
    assertThat(logs.itemCount()).isEqualTo(1);
    LogRecord rec = logs.message().getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
    assertThat(rec.getBody().getStringValue()).isEqualTo("hello");
    assertThat(rec.getSeverityNumber())
        .isEqualTo(io.opentelemetry.proto.logs.v1.SeverityNumber.SEVERITY_NUMBER_WARN);
  }

  @Test
  void answersOnlyWhenThePipelineCompletes() throws Exception {
    fx.traces.hold();
    CompletableFuture<byte[]> answer =
        CompletableFuture.supplyAsync(() -> exportRaw(validTraces(), new Metadata()));
    RecordingSink.Call<Traces> call = fx.traces.next();
    assertThat(answer).isNotDone();
    call.answer().complete(null);
    assertThat(answer.get(10, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void signalWithoutPipelineIsUnimplemented() throws Exception {
    fx.close();
    fx = ReceiverFixture.tracesOnly();
    channel.shutdownNow();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", fx.grpcPort()).usePlaintext().build();
    MethodDescriptor<byte[], byte[]> metrics =
        raw(MetricsServiceGrpc.getExportMethod().getFullMethodName());
    assertThatThrownBy(
            () -> ClientCalls.blockingUnaryCall(channel, metrics, options(), new byte[0]))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    assertThat(exportRaw(validTraces(), new Metadata())).isEmpty();
  }

  @Test
  void malformedProtobufIsInvalidArgumentAndTheServerKeepsServing() throws Exception {
    // field 1 (resource_spans) claims 100 bytes but 2 follow
    byte[] garbage = {0x0a, 100, 1, 2};
    assertThatThrownBy(() -> exportRaw(garbage, new Metadata()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription())
                  .isEqualTo(
                      "malformed OTLP traces protobuf: length 100 exceeds the enclosing message");
            });
    assertThat(fx.traces.calls()).isEmpty();
    assertThat(exportRaw(validTraces(), new Metadata())).isEmpty();
    assertThat(fx.traces.next().data().itemCount()).isEqualTo(1);
  }

  @Test
  void retryableFailureIsUnavailable() {
    fx.traces.failWith(new RetryableException("exporter queue is full"));
    assertThatThrownBy(() -> exportRaw(validTraces(), new Metadata()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription()).isEqualTo("exporter queue is full");
            });
  }

  @Test
  void throttledFailureIsResourceExhaustedWithRetryInfo() throws Exception {
    fx.traces.failWith(new RetryableException("memory limit reached", null, Duration.ofSeconds(7)));
    StatusRuntimeException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class, () -> exportRaw(validTraces(), new Metadata()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    assertThat(details).isNotNull();
    assertThat(details.getDetailsList()).hasSize(1);
    assertThat(details.getDetails(0).unpack(RetryInfo.class).getRetryDelay().getSeconds())
        .isEqualTo(7);
  }

  @Test
  void permanentFailureIsInternal() {
    fx.traces.failWith(new PermanentException("rejected by the backend"));
    assertThatThrownBy(() -> exportRaw(validTraces(), new Metadata()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
              assertThat(e.getStatus().getDescription()).isEqualTo("rejected by the backend");
            });
  }

  @Test
  void includeMetadataPutsHeadersIntoTheContext() throws Exception {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("X-Tenant", Metadata.ASCII_STRING_MARSHALLER), "acme");
    md.put(Metadata.Key.of("x-tenant", Metadata.ASCII_STRING_MARSHALLER), "second");
    exportRaw(validTraces(), md);
    assertThat(fx.traces.next().context().get("x-tenant")).containsExactly("acme", "second");
  }

  @Test
  void withoutIncludeMetadataTheContextIsEmpty() throws Exception {
    fx.close();
    fx = ReceiverFixture.tracesOnly();
    channel.shutdownNow();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", fx.grpcPort()).usePlaintext().build();
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("x-tenant", Metadata.ASCII_STRING_MARSHALLER), "acme");
    exportRaw(validTraces(), md);
    assertThat(fx.traces.next().context().metadata()).isEmpty();
  }

  @Test
  void floodBeyondTheInFlightBoundIsUnavailable() throws Exception {
    fx.close();
    fx = ReceiverFixture.withMaxInFlight(2);
    channel.shutdownNow();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", fx.grpcPort()).usePlaintext().build();
    fx.traces.hold();
    CompletableFuture<byte[]> a =
        CompletableFuture.supplyAsync(() -> exportRaw(validTraces(), new Metadata()));
    CompletableFuture<byte[]> b =
        CompletableFuture.supplyAsync(() -> exportRaw(validTraces(), new Metadata()));
    RecordingSink.Call<Traces> ca = fx.traces.next();
    RecordingSink.Call<Traces> cb = fx.traces.next();
    assertThatThrownBy(() -> exportRaw(validTraces(), new Metadata()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription()).isEqualTo("too many requests in flight");
            });
    ca.answer().complete(null);
    cb.answer().complete(null);
    assertThat(a.get(10, TimeUnit.SECONDS)).isEmpty();
    assertThat(b.get(10, TimeUnit.SECONDS)).isEmpty();
    fx.traces.succeed();
    assertThat(exportRaw(validTraces(), new Metadata())).isEmpty();
  }

  @Test
  void aRequestOverMaxRecvMsgSizeIsResourceExhausted() throws Exception {
    fx.close();
    fx =
        ReceiverFixture.of(
            new OtlpReceiverConfig(
                new OtlpReceiverConfig.Protocols(
                    new OtlpReceiverConfig.Grpc(
                        "127.0.0.1:0", null, null, 1, null, null, null, null, false),
                    null)));
    channel.shutdownNow();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", fx.grpcPort()).usePlaintext().build();
    byte[] big =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .addScopeSpans(
                        io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder()
                            .addSpans(Span.newBuilder().setName("x".repeat(2 * 1024 * 1024)))))
            .build()
            .toByteArray();
    assertThatThrownBy(() -> exportRaw(big, new Metadata()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    assertThat(fx.traces.calls()).isEmpty();
    assertThat(exportRaw(validTraces(), new Metadata())).isEmpty();
  }

  static byte[] validTraces() {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .addScopeSpans(
                    io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder()
                        .addSpans(
                            Span.newBuilder()
                                .setName("raw")
                                .setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[16]))
                                .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[8])))))
        .build()
        .toByteArray();
  }

  private byte[] exportRaw(byte[] request, Metadata headers) {
    MethodDescriptor<byte[], byte[]> method =
        raw(TraceServiceGrpc.getExportMethod().getFullMethodName());
    io.grpc.Channel ch =
        io.grpc.ClientInterceptors.intercept(
            channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    return ClientCalls.blockingUnaryCall(ch, method, options(), request);
  }

  private static CallOptions options() {
    return CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static MethodDescriptor<byte[], byte[]> raw(String fullName) {
    MethodDescriptor.Marshaller<byte[]> m =
        new MethodDescriptor.Marshaller<>() {
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
        };
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(fullName)
        .setRequestMarshaller(m)
        .setResponseMarshaller(m)
        .build();
  }
}
