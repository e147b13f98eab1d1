package io.tiercel.kafka.common.encoding.zipkin;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.Event;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;
import zipkin2.Endpoint;

/** OTLP traces to Zipkin v2 spans. Stateless. */
final class OtlpToZipkin {
  private static final HexFormat HEX = HexFormat.of();

  private OtlpToZipkin() {}

  static List<zipkin2.Span> spans(TracesData data) {
    List<zipkin2.Span> out = new ArrayList<>();
    for (ResourceSpans rs : data.getResourceSpansList()) {
      String service = null;
      List<KeyValue> resourceTags = new ArrayList<>();
      for (KeyValue kv : rs.getResource().getAttributesList()) {
        if (kv.getKey().equals(ZipkinTags.SERVICE_NAME)) {
          service = text(kv.getValue());
        } else {
          resourceTags.add(kv);
        }
      }
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          zipkin2.Span.Builder z = span(s, service);
          for (KeyValue kv : resourceTags) {
            z.putTag(kv.getKey(), text(kv.getValue()));
          }
          if (!ss.getScope().getName().isEmpty()) {
            z.putTag(ZipkinTags.LIBRARY_NAME, ss.getScope().getName());
            if (!ss.getScope().getVersion().isEmpty()) {
              z.putTag(ZipkinTags.LIBRARY_VERSION, ss.getScope().getVersion());
            }
          }
          out.add(z.build());
        }
      }
    }
    return out;
  }

  private static zipkin2.Span.Builder span(Span s, @Nullable String service) {
    zipkin2.Span.Builder z =
        zipkin2.Span.newBuilder()
            .traceId(hex(s.getTraceId()))
            .id(hex(s.getSpanId()))
            .name(s.getName());
    if (!s.getParentSpanId().isEmpty()) {
      z.parentId(hex(s.getParentSpanId()));
    }
    z.kind(kind(s.getKind()));
    long start = s.getStartTimeUnixNano() / 1000L;
    long end = s.getEndTimeUnixNano() / 1000L;
    String ip = null;
    Long hostPort = null;
    String peerService = null;
    String peerIp = null;
    Long peerPort = null;
    boolean startAbsent = false;
    for (KeyValue kv : s.getAttributesList()) {
      switch (kv.getKey()) {
        case ZipkinTags.NET_HOST_IP -> ip = text(kv.getValue());
        case ZipkinTags.NET_HOST_PORT -> hostPort = kv.getValue().getIntValue();
        case ZipkinTags.PEER_SERVICE -> peerService = text(kv.getValue());
        case ZipkinTags.NET_PEER_IP -> peerIp = text(kv.getValue());
        case ZipkinTags.NET_PEER_PORT -> peerPort = kv.getValue().getIntValue();
        case ZipkinTags.START_TIME_ABSENT -> startAbsent = kv.getValue().getBoolValue();
        default -> z.putTag(kv.getKey(), text(kv.getValue()));
      }
    }
    if (!startAbsent) {
      z.timestamp(start);
    }
    z.duration(Math.max(end - start, 0));
    z.localEndpoint(endpoint(service, ip, hostPort));
    if (peerService != null || peerIp != null || peerPort != null) {
      z.remoteEndpoint(endpoint(peerService, peerIp, peerPort));
    }
    if (!s.getTraceState().isEmpty()) {
      z.putTag(ZipkinTags.W3C_TRACE_STATE, s.getTraceState());
    }
    if (s.getKind() == Span.SpanKind.SPAN_KIND_INTERNAL) {
      z.putTag(ZipkinTags.SPAN_KIND, "internal");
    }
    status(s.getStatus(), z);
    for (Event e : s.getEventsList()) {
      z.addAnnotation(e.getTimeUnixNano() / 1000L, e.getName());
    }
    return z;
  }

  private static void status(Status st, zipkin2.Span.Builder z) {
    switch (st.getCode()) {
      case STATUS_CODE_OK -> z.putTag(ZipkinTags.STATUS_CODE, "OK");
      case STATUS_CODE_ERROR -> {
        z.putTag(ZipkinTags.STATUS_CODE, "ERROR");
        z.putTag(ZipkinTags.ERROR, "true");
      }
      default -> {
        return;
      }
    }
    if (!st.getMessage().isEmpty()) {
      z.putTag(ZipkinTags.STATUS_DESCRIPTION, st.getMessage());
    }
  }

  private static zipkin2.Span.@Nullable Kind kind(Span.SpanKind kind) {
    return switch (kind) {
      case SPAN_KIND_CLIENT -> zipkin2.Span.Kind.CLIENT;
      case SPAN_KIND_SERVER -> zipkin2.Span.Kind.SERVER;
      case SPAN_KIND_PRODUCER -> zipkin2.Span.Kind.PRODUCER;
      case SPAN_KIND_CONSUMER -> zipkin2.Span.Kind.CONSUMER;
      default -> null;
    };
  }

  private static @Nullable Endpoint endpoint(
      @Nullable String service, @Nullable String ip, @Nullable Long port) {
    if (service == null && ip == null && port == null) {
      return null;
    }
    Endpoint.Builder b = Endpoint.newBuilder().serviceName(service);
    if (ip != null) {
      b.ip(ip);
    }
    if (port != null) {
      b.port(port.intValue());
    }
    return b.build();
  }

  private static String hex(ByteString id) {
    return HEX.formatHex(id.toByteArray());
  }

  /** A tag's text: strings as they are, other values in their plain textual form. */
  private static String text(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
      case BYTES_VALUE ->
          java.util.Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      case ARRAY_VALUE, KVLIST_VALUE -> v.toString().strip();
      default -> "";
    };
  }
}
