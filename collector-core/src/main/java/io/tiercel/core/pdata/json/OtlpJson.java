package io.tiercel.core.pdata.json;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The OTLP/JSON encoding (OTLP specification, "JSON Protobuf Encoding") of traces, metrics and
 * logs.
 *
 * <p>Encoding follows the spec exactly: lowerCamelCase keys, trace and span ids as lowercase hex,
 * enums as integers, 64-bit integers as decimal strings, other {@code bytes} as standard base64,
 * fields with default values omitted. Output is UTF-8 and compact (one line) unless the pretty
 * variant is asked for.
 *
 * <p>Decoding accepts what the spec and the proto3 JSON mapping require receivers to accept:
 * lowerCamelCase or original snake_case keys, integers as numbers or strings, enums as numbers or
 * names, {@code null} as the default value, ids in either letter case, unknown fields ignored, a
 * leading UTF-8 byte order mark. Anything else fails with an {@link OtlpJsonException} naming the
 * problem and its position (never with another exception); receivers answer it as bad data (HTTP
 * 400, a permanent error). Byte sequences that are not valid UTF-8 inside strings are replaced with
 * U+FFFD rather than rejected.
 *
 * <p>Limits: nesting deeper than 128 levels is refused in both directions (protobuf itself parses
 * at most 100).
 *
 * <p>The JSON of {@code TracesData} and {@code ExportTraceServiceRequest} is the same (likewise for
 * metrics and logs), so both are offered. All methods are thread-safe and allocation-light:
 * encoding writes straight to a byte buffer, decoding is a hand-written pull parser building the
 * protobuf messages directly.
 */
public final class OtlpJson {
  private OtlpJson() {}

  // ---------------------------------------------------------------- encode

  /** Compact OTLP/JSON of {@code data}, UTF-8. */
  public static byte[] encode(TracesData data) {
    return encodeTraces(data.getResourceSpansList(), false);
  }

  /** Compact OTLP/JSON of {@code data}, UTF-8. */
  public static byte[] encode(MetricsData data) {
    return encodeMetrics(data.getResourceMetricsList(), false);
  }

  /** Compact OTLP/JSON of {@code data}, UTF-8. */
  public static byte[] encode(LogsData data) {
    return encodeLogs(data.getResourceLogsList(), false);
  }

  /** Compact OTLP/JSON of a request (the same JSON as its {@code TracesData} twin). */
  public static byte[] encode(ExportTraceServiceRequest request) {
    return encodeTraces(request.getResourceSpansList(), false);
  }

  /** Compact OTLP/JSON of a request (the same JSON as its {@code MetricsData} twin). */
  public static byte[] encode(ExportMetricsServiceRequest request) {
    return encodeMetrics(request.getResourceMetricsList(), false);
  }

  /** Compact OTLP/JSON of a request (the same JSON as its {@code LogsData} twin). */
  public static byte[] encode(ExportLogsServiceRequest request) {
    return encodeLogs(request.getResourceLogsList(), false);
  }

  /**
   * Compact OTLP/JSON of pipeline data (parses the bytes if the message is not at hand).
   *
   * @throws io.tiercel.core.pdata.MalformedDataException when the data holds malformed protobuf
   * @throws UnsupportedOperationException for profiles
   */
  public static byte[] encode(OtlpData data) {
    return encode(data, false);
  }

  /** Indented, multi-line OTLP/JSON of pipeline data (for humans: the debug exporter, tests). */
  public static String encodePretty(OtlpData data) {
    return new String(encode(data, true), StandardCharsets.UTF_8);
  }

  private static byte[] encode(OtlpData data, boolean pretty) {
    Objects.requireNonNull(data, "data");
    if (data.signal() == Signal.PROFILES) {
      throw profilesUnsupported();
    }
    if (data instanceof Traces t) {
      return encodeTraces(t.message().getResourceSpansList(), pretty);
    } else if (data instanceof Metrics m) {
      return encodeMetrics(m.message().getResourceMetricsList(), pretty);
    } else {
      return encodeLogs(((Logs) data).message().getResourceLogsList(), pretty);
    }
  }

  private static byte[] encodeTraces(List<ResourceSpans> list, boolean pretty) {
    JsonWriter w = new JsonWriter(256 * (1 + list.size()), pretty);
    JsonEncoder.traces(w, list);
    return w.toByteArray();
  }

  private static byte[] encodeMetrics(List<ResourceMetrics> list, boolean pretty) {
    JsonWriter w = new JsonWriter(256 * (1 + list.size()), pretty);
    JsonEncoder.metrics(w, list);
    return w.toByteArray();
  }

  private static byte[] encodeLogs(List<ResourceLogs> list, boolean pretty) {
    JsonWriter w = new JsonWriter(256 * (1 + list.size()), pretty);
    JsonEncoder.logs(w, list);
    return w.toByteArray();
  }

  // ---------------------------------------------------------------- decode

  /** Decodes OTLP/JSON traces ({@code TracesData} or {@code ExportTraceServiceRequest}). */
  public static TracesData decodeTraces(byte[] json) {
    return decodeTraces(json, 0, json.length);
  }

  /** Decodes OTLP/JSON traces from {@code json[offset, offset+length)}. */
  public static TracesData decodeTraces(byte[] json, int offset, int length) {
    TracesData.Builder b = TracesData.newBuilder();
    JsonDecoder.traces(new JsonReader(json, offset, length), b::addResourceSpans);
    return b.build();
  }

  /** Decodes OTLP/JSON metrics ({@code MetricsData} or {@code ExportMetricsServiceRequest}). */
  public static MetricsData decodeMetrics(byte[] json) {
    return decodeMetrics(json, 0, json.length);
  }

  /** Decodes OTLP/JSON metrics from {@code json[offset, offset+length)}. */
  public static MetricsData decodeMetrics(byte[] json, int offset, int length) {
    MetricsData.Builder b = MetricsData.newBuilder();
    JsonDecoder.metrics(new JsonReader(json, offset, length), b::addResourceMetrics);
    return b.build();
  }

  /** Decodes OTLP/JSON logs ({@code LogsData} or {@code ExportLogsServiceRequest}). */
  public static LogsData decodeLogs(byte[] json) {
    return decodeLogs(json, 0, json.length);
  }

  /** Decodes OTLP/JSON logs from {@code json[offset, offset+length)}. */
  public static LogsData decodeLogs(byte[] json, int offset, int length) {
    LogsData.Builder b = LogsData.newBuilder();
    JsonDecoder.logs(new JsonReader(json, offset, length), b::addResourceLogs);
    return b.build();
  }

  /** Decodes an OTLP/JSON trace export request. */
  public static ExportTraceServiceRequest decodeTraceRequest(byte[] json) {
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    JsonDecoder.traces(new JsonReader(json, 0, json.length), b::addResourceSpans);
    return b.build();
  }

  /** Decodes an OTLP/JSON metrics export request. */
  public static ExportMetricsServiceRequest decodeMetricsRequest(byte[] json) {
    ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
    JsonDecoder.metrics(new JsonReader(json, 0, json.length), b::addResourceMetrics);
    return b.build();
  }

  /** Decodes an OTLP/JSON logs export request. */
  public static ExportLogsServiceRequest decodeLogsRequest(byte[] json) {
    ExportLogsServiceRequest.Builder b = ExportLogsServiceRequest.newBuilder();
    JsonDecoder.logs(new JsonReader(json, 0, json.length), b::addResourceLogs);
    return b.build();
  }

  /** Decodes OTLP/JSON of {@code signal} into pipeline data (holding the parsed message). */
  public static OtlpData decode(Signal signal, byte[] json) {
    return decode(signal, json, 0, json.length);
  }

  /**
   * Decodes OTLP/JSON of {@code signal} from {@code json[offset, offset+length)} into pipeline
   * data.
   */
  public static OtlpData decode(Signal signal, byte[] json, int offset, int length) {
    return switch (signal) {
      case TRACES -> Traces.of(decodeTraces(json, offset, length));
      case METRICS -> Metrics.of(decodeMetrics(json, offset, length));
      case LOGS -> Logs.of(decodeLogs(json, offset, length));
      case PROFILES -> throw profilesUnsupported();
    };
  }

  /**
   * OTLP/JSON of profiles is not implemented: Tiercel carries profiles as protobuf bytes, which no
   * component of it needs to read.
   */
  private static UnsupportedOperationException profilesUnsupported() {
    return new UnsupportedOperationException(
        "OTLP/JSON of profiles is not supported; use OTLP protobuf");
  }

  // ---------------------------------------------------------------- responses

  /**
   * The {@code partialSuccess} of an OTLP/JSON export response.
   *
   * @param rejected the rejected spans, data points or log records (0 when absent)
   * @param errorMessage the backend's message ("" when absent)
   */
  public record PartialSuccess(long rejected, String errorMessage) {}

  /**
   * Decodes the {@code partialSuccess} of an OTLP/JSON {@code Export*ServiceResponse} of {@code
   * signal} ({@code {}} has none: 0 and "").
   *
   * @throws OtlpJsonException when the body is not such a response
   */
  public static PartialSuccess decodePartialSuccess(Signal signal, byte[] json) {
    String key =
        switch (signal) {
          case TRACES -> "rejectedSpans";
          case METRICS -> "rejectedDataPoints";
          case LOGS -> "rejectedLogRecords";
          case PROFILES -> "rejectedProfiles";
        };
    return JsonDecoder.partialSuccess(new JsonReader(json, 0, json.length), key);
  }

  /**
   * The {@code message} of an OTLP/JSON {@code google.rpc.Status} (the body of an OTLP/HTTP error
   * answer).
   *
   * @throws OtlpJsonException when the body is not a JSON object
   */
  public static String decodeStatusMessage(byte[] json) {
    return JsonDecoder.statusMessage(new JsonReader(json, 0, json.length));
  }

  /** Lowercase hex of an id (trace or span id), as OTLP/JSON writes it. */
  public static String hex(ByteString id) {
    char[] c = new char[id.size() * 2];
    String digits = "0123456789abcdef";
    for (int i = 0; i < id.size(); i++) {
      int x = id.byteAt(i) & 0xff;
      c[2 * i] = digits.charAt(x >> 4);
      c[2 * i + 1] = digits.charAt(x & 0xf);
    }
    return new String(c);
  }
}
