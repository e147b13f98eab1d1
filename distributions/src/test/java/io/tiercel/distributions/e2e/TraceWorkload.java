package io.tiercel.distributions.e2e;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tiercel.distributions.SdkSpans;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Deterministic traces made with the OpenTelemetry Java SDK (seeded ids), the OTLP requests an
 * instrumented service would send for them, and the set of traces the test's tail-sampling policies
 * keep, worked out from the data alone (not by the processor's code).
 *
 * <p>Trace {@code i} has a SERVER root and {@code 2 + i % 5} children. Every 11th trace has one
 * child with status ERROR; every 13th has {@code tenant=gold} on its root (the others {@code
 * silver}). The policies of {@link #POLICIES} keep a trace when any span has status ERROR, any span
 * has {@code tenant=gold}, or the collector's probabilistic hash (FNV-1a 64 over the salt then the
 * 16 trace id bytes, at most {@code floor((2^64-1) x 10 / 100)}) says so. All three are monotone: a
 * trace made of a subset of a trace's spans is kept only if the whole trace is, so a re-decision of
 * part of a trace after a crash can never bring in a trace the policies drop.
 *
 * <p>Requests: request {@code i} carries the children of trace {@code i} and the root of trace
 * {@code i - 1} (the root ends last, as with the SDK's batch span processor), so every trace
 * reaches the ingestion tier in two requests and, through the batch processor and trace-id keying,
 * often in two Kafka records of one partition. At the end of each segment the last root goes alone,
 * so that a sender can pause there with no trace half sent.
 */
final class TraceWorkload {
  static final String SALT = "tiercel-e2e";
  static final double PERCENTAGE = 10;
  static final String POLICIES =
      """
          policies:
            - name: errors
              type: status_code
              status_code: {status_codes: [ERROR]}
            - name: gold-tenant
              type: string_attribute
              string_attribute: {key: tenant, values: [gold]}
            - name: ten-percent
              type: probabilistic
              probabilistic: {hash_salt: %s, sampling_percentage: %s}
      """
          .formatted(SALT, (int) PERCENTAGE);

  private static final AttributeKey<String> TENANT = AttributeKey.stringKey("tenant");

  /** Span ids per trace id (hex), in generation order. */
  final Map<String, Set<String>> spansByTrace = new LinkedHashMap<>();

  /** The trace ids the policies keep. */
  final Set<String> kept = new TreeSet<>();

  /** The requests, in sending order. */
  final List<List<SpanData>> requests;

  /** Request counts at which no trace is half sent (the ends of the segments). */
  final List<Integer> boundaries = new ArrayList<>();

  final int spanCount;

  /**
   * {@code traces} traces from {@code seed}, sent in segments of {@code segment} traces: at the end
   * of a segment every trace sent so far is complete ({@link #boundaries}).
   */
  TraceWorkload(int traces, int segment, long seed) {
    List<List<SpanData>> children = new ArrayList<>();
    List<SpanData> roots = new ArrayList<>();
    List<SpanData> ended = new ArrayList<>();
    Random random = new Random(seed);
    IdGenerator ids =
        new IdGenerator() {
          @Override
          public String generateSpanId() {
            return hex(random, 8);
          }

          @Override
          public String generateTraceId() {
            return hex(random, 16);
          }
        };
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setIdGenerator(ids)
            .addSpanProcessor(SdkSpans.collectInto(ended))
            .setResource(
                Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "checkout")))
            .build()) {
      Tracer tracer = provider.get("tiercel-e2e");
      for (int i = 0; i < traces; i++) {
        Span root =
            tracer
                .spanBuilder("GET /orders/" + i)
                .setSpanKind(SpanKind.SERVER)
                .setNoParent()
                .setAttribute(TENANT, i % 13 == 0 ? "gold" : "silver")
                .startSpan();
        Context ctx = Context.root().with(root);
        int n = 2 + i % 5;
        for (int c = 0; c < n; c++) {
          Span child =
              tracer
                  .spanBuilder("SELECT orders " + c)
                  .setSpanKind(SpanKind.CLIENT)
                  .setParent(ctx)
                  .startSpan();
          if (i % 11 == 0 && c == n - 1) {
            child.setStatus(StatusCode.ERROR, "deadlock");
          }
          child.end();
        }
        List<SpanData> kids = new ArrayList<>(ended);
        ended.clear();
        root.end();
        roots.add(ended.remove(0));
        children.add(kids);
      }
    }
    requests = new ArrayList<>();
    for (int i = 0; i < traces; i++) {
      List<SpanData> r = new ArrayList<>(children.get(i));
      if (i % segment != 0) {
        r.add(roots.get(i - 1));
      }
      requests.add(r);
      if (i % segment == segment - 1 || i == traces - 1) {
        requests.add(new ArrayList<>(List.of(roots.get(i)))); // the segment's last root on its own
        boundaries.add(requests.size());
      }
    }
    int spans = 0;
    for (int i = 0; i < traces; i++) {
      SpanData root = roots.get(i);
      Set<String> s = new TreeSet<>();
      s.add(root.getSpanId());
      boolean keep =
          "gold".equals(root.getAttributes().get(TENANT)) || sampledByHash(root.getTraceId());
      for (SpanData c : children.get(i)) {
        s.add(c.getSpanId());
        keep |= c.getStatus().getStatusCode() == StatusCode.ERROR;
      }
      spansByTrace.put(root.getTraceId(), s);
      spans += s.size();
      if (keep) {
        kept.add(root.getTraceId());
      }
    }
    spanCount = spans;
  }

  /** Spans of the kept traces. */
  int keptSpans() {
    return kept.stream().mapToInt(t -> spansByTrace.get(t).size()).sum();
  }

  /** The collector's probabilistic tail-sampling test, recomputed from its definition. */
  static boolean sampledByHash(String traceIdHex) {
    long h = 0xcbf29ce484222325L;
    for (byte b : SALT.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    for (byte b : HexFormat.of().parseHex(traceIdHex)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    BigInteger max = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    long threshold =
        new BigDecimal(max)
            .multiply(BigDecimal.valueOf(PERCENTAGE / 100))
            .setScale(0, RoundingMode.FLOOR)
            .toBigInteger()
            .longValue();
    return Long.compareUnsigned(h, threshold) <= 0;
  }

  private static String hex(Random r, int bytes) {
    byte[] b = new byte[bytes];
    do {
      r.nextBytes(b);
    } while (allZero(b));
    return HexFormat.of().formatHex(b);
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }
}
