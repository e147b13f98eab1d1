package io.tiercel.benchmarks.load;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.builtin.generator.GeneratorReceiverConfig;
import io.tiercel.core.builtin.generator.TelemetryGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The load's data, serialized once before any measurement: a pool of OTLP requests of realistic
 * spans from the generator, and the same spans as the per-trace Kafka records that the ingestion
 * tier writes (one record per trace, key = hex trace id). {@link Template#stamp} copies a template
 * and writes the send time (epoch microseconds) and a sequence number into the first 12 bytes of
 * every trace id, so that every sent trace is unique and whoever reads it back (the Kafka consumer,
 * the OTLP sink) can tell its age without a lookup.
 */
final class Workload {
  private static final int POOL = 32;

  /**
   * Trace shape: spans per trace, tree depth, extra attributes per span, fraction of error spans.
   */
  record Shape(int spansPerTrace, int depth, int attributesPerSpan, double errorRatio) {}

  /** A serialized traces message and where each span's trace id sits in it. */
  static final class Template {
    private final byte[] bytes;
    private final int[] traceIdOffsets;

    Template(byte[] bytes) {
      this.bytes = bytes;
      List<Integer> offs = new ArrayList<>();
      SpanWire.forEachSpan(
          bytes,
          (b, off) -> {
            if (off < 0) {
              throw new IllegalArgumentException("a span without a 16-byte trace id");
            }
            offs.add(off);
          });
      this.traceIdOffsets = offs.stream().mapToInt(Integer::intValue).toArray();
    }

    int spans() {
      return traceIdOffsets.length;
    }

    int size() {
      return bytes.length;
    }

    /**
     * A copy whose trace ids start with {@code epochMicros} (8 bytes) and {@code seq} (4 bytes).
     */
    byte[] stamp(long epochMicros, int seq) {
      byte[] out = bytes.clone();
      for (int off : traceIdOffsets) {
        SpanWire.writeLong(out, off, epochMicros);
        SpanWire.writeInt(out, off + 8, seq);
      }
      return out;
    }

    /**
     * The hex trace id of the first span of a stamped copy (the record key for a one-trace record).
     */
    String traceIdHex(byte[] stamped) {
      return HexFormat.of().formatHex(stamped, traceIdOffsets[0], traceIdOffsets[0] + 16);
    }
  }

  private final List<Template> requests = new ArrayList<>();
  private final List<List<Template>> recordsPerRequest = new ArrayList<>();
  private final int spansPerRequest;

  Workload(int spansPerRequest, Shape shape, long seed) {
    this.spansPerRequest = spansPerRequest;
    GeneratorReceiverConfig d = GeneratorReceiverConfig.DEFAULT;
    GeneratorReceiverConfig cfg =
        new GeneratorReceiverConfig(
            seed,
            d.rate(),
            d.total(),
            d.batchSize(),
            d.maxInFlight(),
            d.retryBackoff(),
            d.services(),
            new GeneratorReceiverConfig.Traces(
                true,
                shape.spansPerTrace(),
                shape.depth(),
                shape.attributesPerSpan(),
                shape.errorRatio(),
                Duration.ofMillis(5),
                Duration.ofMillis(300)),
            d.metrics(),
            d.logs());
    for (int i = 0; i < POOL; i++) {
      TracesData req =
          new TelemetryGenerator(cfg, 100 + i)
              .traces(spansPerRequest, System.currentTimeMillis() * 1_000_000L);
      requests.add(new Template(req.toByteArray()));
      recordsPerRequest.add(
          perTrace(req).stream().map(t -> new Template(t.toByteArray())).toList());
    }
  }

  /**
   * The request split into one message per trace, as {@code partition_traces_by_id} writes it: each
   * trace keeps its spans under their own resource and scope (one resource/scope entry per group,
   * not per span).
   */
  static List<TracesData> perTrace(TracesData req) {
    Map<ByteString, TracesData.Builder> byTrace = new LinkedHashMap<>();
    for (ResourceSpans rs : req.getResourceSpansList()) {
      Map<ByteString, ResourceSpans.Builder> rsOf = new HashMap<>();
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        Map<ByteString, ScopeSpans.Builder> ssOf = new HashMap<>();
        for (Span s : ss.getSpansList()) {
          ByteString id = s.getTraceId();
          TracesData.Builder t = byTrace.computeIfAbsent(id, k -> TracesData.newBuilder());
          ResourceSpans.Builder r =
              rsOf.computeIfAbsent(
                  id,
                  k ->
                      t.addResourceSpansBuilder()
                          .setResource(rs.getResource())
                          .setSchemaUrl(rs.getSchemaUrl()));
          ssOf.computeIfAbsent(
                  id,
                  k ->
                      r.addScopeSpansBuilder()
                          .setScope(ss.getScope())
                          .setSchemaUrl(ss.getSchemaUrl()))
              .addSpans(s);
        }
      }
    }
    return byTrace.values().stream().map(TracesData.Builder::build).toList();
  }

  int spansPerRequest() {
    return spansPerRequest;
  }

  /** The i-th OTLP request template (cycling over the pool). */
  Template request(long i) {
    return requests.get((int) (i % requests.size()));
  }

  /** The per-trace records that the ingestion tier writes for {@link #request(long) request(i)}. */
  List<Template> records(long i) {
    return recordsPerRequest.get((int) (i % recordsPerRequest.size()));
  }

  long averageRequestBytes() {
    return (long) requests.stream().mapToInt(Template::size).average().orElse(0);
  }

  long averageRecordBytes() {
    return (long)
        recordsPerRequest.stream()
            .flatMap(List::stream)
            .mapToInt(Template::size)
            .average()
            .orElse(0);
  }

  double spansPerRecord() {
    return recordsPerRequest.stream()
        .flatMap(List::stream)
        .mapToInt(Template::spans)
        .average()
        .orElse(0);
  }
}
