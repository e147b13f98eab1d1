package io.tiercel.kafka.common.encoding.zipkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import zipkin2.Endpoint;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.codec.SpanBytesEncoder;

class ZipkinCodecTest {
  /** A server span as a Zipkin client library reports it: 64-bit trace id, endpoints, tags. */
  private static final zipkin2.Span SERVER =
      zipkin2.Span.newBuilder()
          .traceId("463ac35c9f6413ad")
          .parentId("463ac35c9f6413ad")
          .id("72485a3953bb6124")
          .name("get /api")
          .kind(zipkin2.Span.Kind.SERVER)
          .timestamp(1_472_470_996_199_000L)
          .duration(207_000L)
          .localEndpoint(Endpoint.newBuilder().serviceName("frontend").ip("192.168.99.1").build())
          .remoteEndpoint(
              Endpoint.newBuilder().serviceName("browser").ip("10.0.0.7").port(54321).build())
          .addAnnotation(1_472_470_996_238_000L, "ws")
          .putTag("http.path", "/api")
          .putTag("otel.status_code", "ERROR")
          .putTag("otel.status_description", "boom")
          .putTag("host.name", "web-1")
          .putTag("otel.library.name", "brave")
          .shared(true)
          .build();

  /** A 128-bit id span without kind or service name, with an error tag. */
  private static final zipkin2.Span LOCAL =
      zipkin2.Span.newBuilder()
          .traceId("5af7183fb1d4cf5f463ac35c9f6413ad")
          .id("0000000000000001")
          .name("work")
          .timestamp(10L)
          .duration(5L)
          .putTag("error", "true")
          .putTag("span.kind", "internal")
          .build();

  @ParameterizedTest(name = "{0}")
  @EnumSource(ZipkinCodec.class)
  void spansTheZipkinLibraryWroteDecodeToTheCollectorsMapping(ZipkinCodec codec) {
    SpanBytesEncoder encoder =
        switch (codec) {
          case PROTO3 -> SpanBytesEncoder.PROTO3;
          case JSON_V1 -> SpanBytesEncoder.JSON_V1;
          case JSON_V2 -> SpanBytesEncoder.JSON_V2;
          case THRIFT -> SpanBytesEncoder.THRIFT;
        };
    TracesData data = codec.decode(encoder.encodeList(List.of(SERVER, LOCAL)));

    assertThat(data.getResourceSpansCount()).isEqualTo(2);
    ResourceSpans frontend = data.getResourceSpans(0);
    assertThat(attrs(frontend.getResource().getAttributesList()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("service.name", "frontend", "host.name", "web-1"));
    assertThat(frontend.getScopeSpans(0).getScope().getName()).isEqualTo("brave");
    Span server = frontend.getScopeSpans(0).getSpans(0);
    assertThat(server.getTraceId())
        .isEqualTo(ByteString.fromHex("0000000000000000463ac35c9f6413ad"));
    assertThat(server.getSpanId()).isEqualTo(ByteString.fromHex("72485a3953bb6124"));
    assertThat(server.getParentSpanId()).isEqualTo(ByteString.fromHex("463ac35c9f6413ad"));
    assertThat(server.getName()).isEqualTo("get /api");
    assertThat(server.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(server.getStatus())
        .isEqualTo(
            Status.newBuilder()
                .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                .setMessage("boom")
                .build());
    assertThat(server.getStartTimeUnixNano()).isEqualTo(1_472_470_996_199_000_000L);
    assertThat(server.getEndTimeUnixNano()).isEqualTo(1_472_470_996_406_000_000L);
    assertThat(server.getEventsCount()).isEqualTo(1);
    assertThat(server.getEvents(0).getName()).isEqualTo("ws");
    assertThat(server.getEvents(0).getTimeUnixNano()).isEqualTo(1_472_470_996_238_000_000L);
    Map<String, String> serverAttrs = attrs(server.getAttributesList());
    assertThat(serverAttrs)
        .containsEntry("http.path", "/api")
        .containsEntry("net.host.ip", "192.168.99.1")
        .containsEntry("peer.service", "browser")
        .containsEntry("net.peer.ip", "10.0.0.7")
        .containsEntry("net.peer.port", "54321")
        .doesNotContainKeys("otel.status_code", "host.name", "otel.library.name", "error");

    ResourceSpans unnamed = data.getResourceSpans(1);
    assertThat(unnamed.getResource().getAttributesCount()).isZero();
    Span local = unnamed.getScopeSpans(0).getSpans(0);
    assertThat(local.getTraceId())
        .isEqualTo(ByteString.fromHex("5af7183fb1d4cf5f463ac35c9f6413ad"));
    assertThat(local.getParentSpanId()).isEmpty();
    assertThat(local.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
    assertThat(local.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(local.getStartTimeUnixNano()).isEqualTo(10_000L);
    assertThat(local.getEndTimeUnixNano()).isEqualTo(15_000L);
    assertThat(attrs(local.getAttributesList())).doesNotContainKeys("error", "span.kind");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = ZipkinCodec.class,
      names = {"PROTO3", "JSON_V2"})
  void whatWeWriteTheZipkinLibraryReadsBack(ZipkinCodec codec) {
    SpanBytesDecoder decoder =
        codec == ZipkinCodec.PROTO3 ? SpanBytesDecoder.PROTO3 : SpanBytesDecoder.JSON_V2;
    TracesData otlp =
        ZipkinCodec.JSON_V2.decode(SpanBytesEncoder.JSON_V2.encodeList(List.of(SERVER, LOCAL)));
    byte[] ours = codec.encode(otlp);

    List<zipkin2.Span> back = decoder.decodeList(ours);

    assertThat(back).hasSize(2);
    zipkin2.Span server = back.get(0);
    // the shared flag has no OTLP field; an error status is also written as Zipkin's error tag
    assertThat(server.shared()).isNull();
    assertThat(server.toBuilder().shared(true).build())
        .isEqualTo(SERVER.toBuilder().putTag("error", "true").build());
    assertThat(back.get(1))
        .isEqualTo(LOCAL.toBuilder().putTag("otel.status_code", "ERROR").build());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ZipkinCodec.class)
  void anEmptyListOfTheLibraryIsNoSpansNotAnError(ZipkinCodec codec) {
    SpanBytesEncoder encoder =
        switch (codec) {
          case PROTO3 -> SpanBytesEncoder.PROTO3;
          case JSON_V1 -> SpanBytesEncoder.JSON_V1;
          case JSON_V2 -> SpanBytesEncoder.JSON_V2;
          case THRIFT -> SpanBytesEncoder.THRIFT;
        };

    assertThat(codec.decode(encoder.encodeList(List.of())).getResourceSpansCount()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ZipkinCodec.class)
  void aPoisonValueIsRejected(ZipkinCodec codec) {
    byte[] poison = "{not zipkin".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> codec.decode(poison)).isInstanceOf(IllegalArgumentException.class);
  }

  private static Map<String, String> attrs(List<KeyValue> kvs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      m.put(
          kv.getKey(),
          kv.getValue().hasStringValue()
              ? kv.getValue().getStringValue()
              : Long.toString(kv.getValue().getIntValue()));
    }
    return m;
  }
}
