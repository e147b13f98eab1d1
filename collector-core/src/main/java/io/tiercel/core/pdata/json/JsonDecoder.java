package io.tiercel.core.pdata.json;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.function.Consumer;

/**
 * Reads OTLP/JSON into protobuf builders. Keys are matched in lowerCamelCase after converting
 * snake_case; {@code null} values mean "default" and are skipped; unknown keys are skipped whatever
 * their value. This class reads the envelopes, spans and log records; metrics are {@link
 * JsonMetricsDecoder}'s, the shared messages (resource, scope, attributes) {@link
 * JsonCommonDecoder}'s and the scalars {@link JsonValues}'. The codec's per-field repetition is
 * deliberate: one readable switch per message, checked against the SDK's encoder in the tests.
 */
final class JsonDecoder {
  private JsonDecoder() {}

  // ------------------------------------------------------------ envelopes

  static void traces(JsonReader r, Consumer<ResourceSpans> out) {
    JsonValues.object(
        r,
        k -> {
          if (k.equals("resourceSpans")) {
            JsonValues.array(r, k, () -> out.accept(resourceSpans(r)));
          } else {
            r.skipValue();
          }
        });
    r.endDocument();
  }

  static void metrics(JsonReader r, Consumer<ResourceMetrics> out) {
    JsonValues.object(
        r,
        k -> {
          if (k.equals("resourceMetrics")) {
            JsonValues.array(r, k, () -> out.accept(resourceMetrics(r)));
          } else {
            r.skipValue();
          }
        });
    r.endDocument();
  }

  static void logs(JsonReader r, Consumer<ResourceLogs> out) {
    JsonValues.object(
        r,
        k -> {
          if (k.equals("resourceLogs")) {
            JsonValues.array(r, k, () -> out.accept(resourceLogs(r)));
          } else {
            r.skipValue();
          }
        });
    r.endDocument();
  }

  /**
   * The {@code partialSuccess} of an {@code Export*ServiceResponse}: the count under {@code
   * rejectedKey} ({@code rejectedSpans}, {@code rejectedDataPoints} or {@code rejectedLogRecords})
   * and {@code errorMessage}.
   */
  static OtlpJson.PartialSuccess partialSuccess(JsonReader r, String rejectedKey) {
    long[] rejected = {0};
    String[] message = {""};
    JsonValues.object(
        r,
        k -> {
          if (k.equals("partialSuccess")) {
            JsonValues.object(
                r,
                p -> {
                  if (p.equals(rejectedKey)) {
                    rejected[0] = JsonValues.int64(r, p);
                  } else if (p.equals("errorMessage")) {
                    message[0] = JsonValues.string(r, p);
                  } else {
                    r.skipValue();
                  }
                });
          } else {
            r.skipValue();
          }
        });
    r.endDocument();
    return new OtlpJson.PartialSuccess(rejected[0], message[0]);
  }

  /** The {@code message} of a {@code google.rpc.Status} ("" when it has none). */
  static String statusMessage(JsonReader r) {
    String[] message = {""};
    JsonValues.object(
        r,
        k -> {
          if (k.equals("message")) {
            message[0] = JsonValues.string(r, k);
          } else {
            r.skipValue();
          }
        });
    r.endDocument();
    return message[0];
  }

  private static ResourceSpans resourceSpans(JsonReader r) {
    ResourceSpans.Builder b = ResourceSpans.newBuilder();
    JsonValues.object(
        r,
        k -> {
          switch (k) {
            case "resource" -> b.setResource(JsonCommonDecoder.resource(r));
            case "scopeSpans" -> JsonValues.array(r, k, () -> b.addScopeSpans(scopeSpans(r)));
            case "schemaUrl" -> b.setSchemaUrl(JsonValues.string(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static ScopeSpans scopeSpans(JsonReader r) {
    ScopeSpans.Builder b = ScopeSpans.newBuilder();
    JsonValues.object(
        r,
        k -> {
          switch (k) {
            case "scope" -> b.setScope(JsonCommonDecoder.scope(r));
            case "spans" -> JsonValues.array(r, k, () -> b.addSpans(span(r)));
            case "schemaUrl" -> b.setSchemaUrl(JsonValues.string(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static ResourceMetrics resourceMetrics(JsonReader r) {
    ResourceMetrics.Builder b = ResourceMetrics.newBuilder();
    JsonValues.object(
        r,
        k -> {
          switch (k) {
            case "resource" -> b.setResource(JsonCommonDecoder.resource(r));
            case "scopeMetrics" -> JsonValues.array(r, k, () -> b.addScopeMetrics(scopeMetrics(r)));
            case "schemaUrl" -> b.setSchemaUrl(JsonValues.string(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static ScopeMetrics scopeMetrics(JsonReader r) {
    ScopeMetrics.Builder b = ScopeMetrics.newBuilder();
    JsonValues.object(
        r,
        k -> {
          switch (k) {
            case "scope" -> b.setScope(JsonCommonDecoder.scope(r));
            case "metrics" ->
                JsonValues.array(r, k, () -> b.addMetrics(JsonMetricsDecoder.metric(r)));
            case "schemaUrl" -> b.setSchemaUrl(JsonValues.string(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static ResourceLogs resourceLogs(JsonReader r) {
    ResourceLogs.Builder b = ResourceLogs.newBuilder();
    JsonValues.object(
        r,
        k -> {
          switch (k) {
            case "resource" -> b.setResource(JsonCommonDecoder.resource(r));
            case "scopeLogs" -> JsonValues.array(r, k, () -> b.addScopeLogs(scopeLogs(r)));
            case "schemaUrl" -> b.setSchemaUrl(JsonValues.string(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static ScopeLogs scopeLogs(JsonReader r) {
    ScopeLogs.Builder b = ScopeLogs.newBuilder();
    JsonValues.object(
        r,
        k -> {
          switch (k) {
            case "scope" -> b.setScope(JsonCommonDecoder.scope(r));
            case "logRecords" -> JsonValues.array(r, k, () -> b.addLogRecords(logRecord(r)));
            case "schemaUrl" -> b.setSchemaUrl(JsonValues.string(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  // ------------------------------------------------------------ traces

  private static Span span(JsonReader r) {
    Span.Builder b = Span.newBuilder();
    JsonValues.object(
        r,
        k -> {
          switch (k) {
            case "traceId" -> b.setTraceId(JsonValues.id(r, k, 16));
            case "spanId" -> b.setSpanId(JsonValues.id(r, k, 8));
            case "traceState" -> b.setTraceState(JsonValues.string(r, k));
            case "parentSpanId" -> b.setParentSpanId(JsonValues.id(r, k, 8));
            case "flags" -> b.setFlags(JsonValues.uint32(r, k));
            case "name" -> b.setName(JsonValues.string(r, k));
            case "kind" ->
                b.setKindValue(JsonValues.enumValue(r, k, Span.SpanKind.getDescriptor()));
            case "startTimeUnixNano" -> b.setStartTimeUnixNano(JsonValues.uint64(r, k));
            case "endTimeUnixNano" -> b.setEndTimeUnixNano(JsonValues.uint64(r, k));
            case "attributes" ->
                JsonValues.array(r, k, () -> b.addAttributes(JsonCommonDecoder.keyValue(r)));
            case "droppedAttributesCount" -> b.setDroppedAttributesCount(JsonValues.uint32(r, k));
            case "events" -> JsonValues.array(r, k, () -> b.addEvents(event(r)));
            case "droppedEventsCount" -> b.setDroppedEventsCount(JsonValues.uint32(r, k));
            case "links" -> JsonValues.array(r, k, () -> b.addLinks(link(r)));
            case "droppedLinksCount" -> b.setDroppedLinksCount(JsonValues.uint32(r, k));
            case "status" -> b.setStatus(status(r));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static Span.Event event(JsonReader r) {
    Span.Event.Builder b = Span.Event.newBuilder();
    JsonValues.object(
        r,
        k -> {
          switch (k) {
            case "timeUnixNano" -> b.setTimeUnixNano(JsonValues.uint64(r, k));
            case "name" -> b.setName(JsonValues.string(r, k));
            case "attributes" ->
                JsonValues.array(r, k, () -> b.addAttributes(JsonCommonDecoder.keyValue(r)));
            case "droppedAttributesCount" -> b.setDroppedAttributesCount(JsonValues.uint32(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static Span.Link link(JsonReader r) {
    Span.Link.Builder b = Span.Link.newBuilder();
    JsonValues.object(
        r,
        k -> {
          switch (k) {
            case "traceId" -> b.setTraceId(JsonValues.id(r, k, 16));
            case "spanId" -> b.setSpanId(JsonValues.id(r, k, 8));
            case "traceState" -> b.setTraceState(JsonValues.string(r, k));
            case "attributes" ->
                JsonValues.array(r, k, () -> b.addAttributes(JsonCommonDecoder.keyValue(r)));
            case "droppedAttributesCount" -> b.setDroppedAttributesCount(JsonValues.uint32(r, k));
            case "flags" -> b.setFlags(JsonValues.uint32(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static Status status(JsonReader r) {
    Status.Builder b = Status.newBuilder();
    JsonValues.object(
        r,
        k -> {
          switch (k) {
            case "message" -> b.setMessage(JsonValues.string(r, k));
            case "code" ->
                b.setCodeValue(JsonValues.enumValue(r, k, Status.StatusCode.getDescriptor()));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  // ------------------------------------------------------------ logs

  private static LogRecord logRecord(JsonReader r) {
    LogRecord.Builder b = LogRecord.newBuilder();
    JsonValues.object(
        r,
        k -> {
          switch (k) {
            case "timeUnixNano" -> b.setTimeUnixNano(JsonValues.uint64(r, k));
            case "observedTimeUnixNano" -> b.setObservedTimeUnixNano(JsonValues.uint64(r, k));
            case "severityNumber" ->
                b.setSeverityNumberValue(
                    JsonValues.enumValue(r, k, SeverityNumber.getDescriptor()));
            case "severityText" -> b.setSeverityText(JsonValues.string(r, k));
            case "body" -> b.setBody(JsonCommonDecoder.anyValue(r));
            case "attributes" ->
                JsonValues.array(r, k, () -> b.addAttributes(JsonCommonDecoder.keyValue(r)));
            case "droppedAttributesCount" -> b.setDroppedAttributesCount(JsonValues.uint32(r, k));
            case "flags" -> b.setFlags(JsonValues.uint32(r, k));
            case "traceId" -> b.setTraceId(JsonValues.id(r, k, 16));
            case "spanId" -> b.setSpanId(JsonValues.id(r, k, 8));
            case "eventName" -> b.setEventName(JsonValues.string(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }
}
