package io.tiercel.kafka.common.encoding.zipkin;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import zipkin2.Annotation;
import zipkin2.Endpoint;

/** Zipkin v2 spans to OTLP traces. Stateless. */
final class ZipkinToOtlp {
  private ZipkinToOtlp() {}

  /**
   * One resource per local service name and one scope per {@code otel.library.name} tag within it,
   * in order of first appearance.
   */
  static TracesData traces(List<zipkin2.Span> spans) {
    Map<String, Map<String, ScopeSpans.Builder>> byService = new LinkedHashMap<>();
    Map<String, Resource> resources = new LinkedHashMap<>();
    for (zipkin2.Span z : spans) {
      Map<String, String> tags = new LinkedHashMap<>(z.tags());
      String service = z.localServiceName();
      String key = service == null ? "" : service;
      Resource resource = resource(service, tags);
      resources.putIfAbsent(key, resource);
      String scopeName = tags.getOrDefault(ZipkinTags.LIBRARY_NAME, "");
      ScopeSpans.Builder scope =
          byService
              .computeIfAbsent(key, k -> new LinkedHashMap<>())
              .computeIfAbsent(scopeName, n -> newScope(tags));
      tags.remove(ZipkinTags.LIBRARY_NAME);
      tags.remove(ZipkinTags.LIBRARY_VERSION);
      scope.addSpans(span(z, tags));
    }
    TracesData.Builder out = TracesData.newBuilder();
    for (Map.Entry<String, Map<String, ScopeSpans.Builder>> e : byService.entrySet()) {
      ResourceSpans.Builder rs =
          out.addResourceSpansBuilder().setResource(resources.get(e.getKey()));
      for (ScopeSpans.Builder ss : e.getValue().values()) {
        rs.addScopeSpans(ss);
      }
    }
    return out.build();
  }

  /** {@code service.name} and the resource attributes the tags carry (taken out of the tags). */
  private static Resource resource(@Nullable String service, Map<String, String> tags) {
    Resource.Builder r = Resource.newBuilder();
    if (service != null) {
      String source = tags.remove(ZipkinTags.SERVICE_NAME_SOURCE);
      r.addAttributes(string(source != null ? source : ZipkinTags.SERVICE_NAME, service));
    }
    tags.entrySet()
        .removeIf(
            t -> {
              if (!ZipkinTags.isResourceKey(t.getKey())) {
                return false;
              }
              r.addAttributes(string(t.getKey(), t.getValue()));
              return true;
            });
    return r.build();
  }

  private static ScopeSpans.Builder newScope(Map<String, String> tags) {
    InstrumentationScope.Builder s = InstrumentationScope.newBuilder();
    String name = tags.get(ZipkinTags.LIBRARY_NAME);
    if (name != null) {
      s.setName(name);
      String version = tags.get(ZipkinTags.LIBRARY_VERSION);
      if (version != null) {
        s.setVersion(version);
      }
    }
    return ScopeSpans.newBuilder().setScope(s);
  }

  private static Span span(zipkin2.Span z, Map<String, String> tags) {
    Span.Builder s =
        Span.newBuilder()
            .setTraceId(ByteString.fromHex(ZipkinIds.pad(z.traceId(), 32)))
            .setSpanId(ByteString.fromHex(z.id()))
            .setName(z.name() == null ? "" : z.name());
    String parent = z.parentId();
    if (parent != null && !parent.equals(z.id())) {
      s.setParentSpanId(ByteString.fromHex(parent));
    }
    String traceState = tags.remove(ZipkinTags.W3C_TRACE_STATE);
    if (traceState != null) {
      s.setTraceState(traceState);
    }
    s.setKind(kind(z.kind(), tags));
    s.setStatus(status(tags));
    for (Map.Entry<String, String> t : tags.entrySet()) {
      s.addAttributes(string(t.getKey(), t.getValue()));
    }
    endpoints(z, s);
    long start = z.timestampAsLong();
    long duration = z.durationAsLong();
    if (start == 0) {
      // the collector's rule: a span without a start gets Unix time zero and an attribute saying so
      s.addAttributes(
          KeyValue.newBuilder()
              .setKey(ZipkinTags.START_TIME_ABSENT)
              .setValue(AnyValue.newBuilder().setBoolValue(true)));
    }
    s.setStartTimeUnixNano(start * 1000L).setEndTimeUnixNano((start + duration) * 1000L);
    for (Annotation a : z.annotations()) {
      s.addEventsBuilder().setTimeUnixNano(a.timestamp() * 1000L).setName(a.value());
    }
    return s.build();
  }

  private static Span.SpanKind kind(zipkin2.Span.@Nullable Kind kind, Map<String, String> tags) {
    if (kind != null) {
      return switch (kind) {
        case CLIENT -> Span.SpanKind.SPAN_KIND_CLIENT;
        case SERVER -> Span.SpanKind.SPAN_KIND_SERVER;
        case PRODUCER -> Span.SpanKind.SPAN_KIND_PRODUCER;
        case CONSUMER -> Span.SpanKind.SPAN_KIND_CONSUMER;
      };
    }
    String tagged = tags.remove(ZipkinTags.SPAN_KIND);
    return "internal".equals(tagged)
        ? Span.SpanKind.SPAN_KIND_INTERNAL
        : Span.SpanKind.SPAN_KIND_UNSPECIFIED;
  }

  private static Status status(Map<String, String> tags) {
    Status.Builder st = Status.newBuilder();
    String code = tags.remove(ZipkinTags.STATUS_CODE);
    if (code != null) {
      st.setCode(ZipkinTags.statusCode(code));
      String description = tags.remove(ZipkinTags.STATUS_DESCRIPTION);
      if (description != null) {
        st.setMessage(description);
      }
    }
    if ("true".equals(tags.get(ZipkinTags.ERROR))) {
      st.setCode(Status.StatusCode.STATUS_CODE_ERROR);
      tags.remove(ZipkinTags.ERROR);
    }
    return st.build();
  }

  private static void endpoints(zipkin2.Span z, Span.Builder s) {
    Endpoint local = z.localEndpoint();
    if (local != null) {
      String ip = local.ipv6() != null ? local.ipv6() : local.ipv4();
      if (ip != null) {
        s.addAttributes(string(ZipkinTags.NET_HOST_IP, ip));
      }
      if (local.portAsInt() > 0) {
        s.addAttributes(integer(ZipkinTags.NET_HOST_PORT, local.portAsInt()));
      }
    }
    Endpoint remote = z.remoteEndpoint();
    if (remote != null) {
      if (remote.serviceName() != null) {
        s.addAttributes(string(ZipkinTags.PEER_SERVICE, remote.serviceName()));
      }
      String ip = remote.ipv6() != null ? remote.ipv6() : remote.ipv4();
      if (ip != null) {
        s.addAttributes(string(ZipkinTags.NET_PEER_IP, ip));
      }
      if (remote.portAsInt() > 0) {
        s.addAttributes(integer(ZipkinTags.NET_PEER_PORT, remote.portAsInt()));
      }
    }
  }

  static KeyValue string(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static KeyValue integer(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }
}
