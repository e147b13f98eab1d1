package io.tiercel.core.pdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.profiles.v1development.ProfilesData;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.pdata.json.RichSamples;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OtlpStructureTest {
  private static final byte[] TRACES = RichSamples.traces().toByteArray();
  private static final byte[] METRICS = RichSamples.metrics().toByteArray();
  private static final byte[] LOGS = RichSamples.logs().toByteArray();

  @Test
  void countsTheItemsOfValidRequestsLikeTheParsedMessage() throws Exception {
    assertThat(OtlpStructure.check(Signal.TRACES, TRACES))
        .isEqualTo(Items.count(TracesData.parseFrom(TRACES)))
        .isPositive();
    assertThat(OtlpStructure.check(Signal.METRICS, METRICS))
        .isEqualTo(Items.count(MetricsData.parseFrom(METRICS)))
        .isPositive();
    assertThat(OtlpStructure.check(Signal.LOGS, LOGS))
        .isEqualTo(Items.count(LogsData.parseFrom(LOGS)))
        .isPositive();
    assertThat(OtlpStructure.check(Signal.TRACES, new byte[0])).isZero();
  }

  @Test
  void rejectsARequestOfAnotherSignal() {
    assertThatThrownBy(() -> OtlpStructure.check(Signal.TRACES, LOGS))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("has wire type");
    assertThatThrownBy(() -> OtlpStructure.check(Signal.LOGS, TRACES))
        .isInstanceOf(MalformedDataException.class);
    assertThatThrownBy(() -> OtlpStructure.check(Signal.METRICS, TRACES))
        .isInstanceOf(MalformedDataException.class);
  }

  @Test
  void namesThePathOfInvalidUtf8InANestedAttributeKey() {
    byte[] b =
        traces(
                Span.newBuilder()
                    .setName("s")
                    .addAttributes(
                        KeyValue.newBuilder()
                            .setKey("k\u00e9y")
                            .setValue(AnyValue.newBuilder().setIntValue(1))))
            .toByteArray();
    int at = indexOf(b, "k\u00e9y".getBytes(StandardCharsets.UTF_8)) + 1;
    b[at] = (byte) 0xC0; // an overlong lead byte
    assertThatThrownBy(() -> OtlpStructure.check(Signal.TRACES, b))
        .isInstanceOf(MalformedDataException.class)
        .hasMessage(
            "malformed OTLP traces protobuf: invalid UTF-8 in a string"
                + " (at resource_spans.scope_spans.spans.attributes.key, byte "
                + at
                + ")");
    // protobuf-java agrees: the same bytes do not parse
    assertThatThrownBy(() -> TracesData.parseFrom(b))
        .isInstanceOf(InvalidProtocolBufferException.class);
  }

  @Test
  void rejectsIdsOfTheWrongLength() {
    byte[] b =
        traces(Span.newBuilder().setTraceId(ByteString.copyFrom(new byte[15]))).toByteArray();
    assertThatThrownBy(() -> OtlpStructure.check(Signal.TRACES, b))
        .hasMessageContaining(
            "trace_id has 15 bytes, expected 16 (at resource_spans.scope_spans.spans");
    byte[] empty = traces(Span.newBuilder().setName("no ids")).toByteArray();
    assertThat(OtlpStructure.check(Signal.TRACES, empty)).isEqualTo(1);
  }

  @Test
  void aDeclaredLengthOf2GibIsRefusedWithoutAllocating() {
    // resource_spans (field 1, LEN) declaring 2^31 bytes, followed by 3 bytes
    byte[] b = {0x0A, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 1, 2, 3};
    assertThatThrownBy(() -> OtlpStructure.check(Signal.TRACES, b))
        .hasMessage(
            "malformed OTLP traces protobuf: length 2147483648 exceeds the enclosing message");
  }

  @Test
  void acceptsNestingToProtobufJavasLimitAndRefusesOneLevelMore() throws Exception {
    // TracesData(0) > ResourceSpans(1) > ScopeSpans(2) > Span(3) > KeyValue(4) > AnyValue(5) >
    // then ArrayValue/AnyValue pairs
    assertThat(OtlpStructure.check(Signal.TRACES, nested(OtlpStructure.MAX_DEPTH))).isEqualTo(1);
    TracesData.parseFrom(nested(OtlpStructure.MAX_DEPTH));
    byte[] tooDeep = nested(OtlpStructure.MAX_DEPTH + 1);
    assertThatThrownBy(() -> OtlpStructure.check(Signal.TRACES, tooDeep))
        .hasMessageContaining(": messages nested deeper than 100 (at resource_spans.");
    assertThatThrownBy(() -> TracesData.parseFrom(tooDeep))
        .isInstanceOf(InvalidProtocolBufferException.class);
  }

  @Test
  void anyValueNested10000DeepIsRefusedWithABoundedStack() {
    byte[] b = nested(10_000);
    assertThatThrownBy(() -> OtlpStructure.check(Signal.TRACES, b))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining(": messages nested deeper than 100 (at resource_spans.");
  }

  @Test
  void packedAndUnpackedRepeatedScalarsAreBothAccepted() throws Exception {
    // HistogramDataPoint.bucket_counts (6, fixed64) unpacked: tag (6 << 3 | 1) and 8 bytes, twice
    ByteArrayOutputStream dp = new ByteArrayOutputStream();
    for (int i = 0; i < 2; i++) {
      dp.write(6 << 3 | 1);
      dp.write(new byte[8]);
    }
    byte[] point = dp.toByteArray();
    byte[] histogram = concat(new byte[] {0x0A, (byte) point.length}, point); // data_points
    byte[] metric = concat(new byte[] {0x4A, (byte) histogram.length}, histogram); // histogram
    byte[] scope = concat(new byte[] {0x12, (byte) metric.length}, metric); // metrics
    byte[] resource = concat(new byte[] {0x12, (byte) scope.length}, scope); // scope_metrics
    byte[] data = concat(new byte[] {0x0A, (byte) resource.length}, resource);
    MetricsData parsed = MetricsData.parseFrom(data);
    assertThat(
            parsed
                .getResourceMetrics(0)
                .getScopeMetrics(0)
                .getMetrics(0)
                .getHistogram()
                .getDataPoints(0)
                .getBucketCountsCount())
        .isEqualTo(2);
    assertThat(OtlpStructure.check(Signal.METRICS, data)).isEqualTo(1);
    assertThat(OtlpStructure.check(Signal.METRICS, parsed.toByteArray())).isEqualTo(1);
  }

  /**
   * The edge's promise: whatever passes the check parses with protobuf-java and holds the items
   * counted. Seeded mutations of real requests: truncation, splices, bit flips, byte runs.
   */
  @Test
  void whatPassesTheCheckParsesAndHasTheItemsCounted() throws Exception {
    SplittableRandom rnd = new SplittableRandom(15);
    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < 6_000; i++) {
      Signal signal = Signal.values()[i % 3];
      byte[] base =
          switch (signal) {
            case TRACES -> TRACES;
            case METRICS -> METRICS;
            case LOGS -> LOGS;
            case PROFILES -> throw new AssertionError("only the first three signals are drawn");
          };
      byte[] m = Mutations.mutate(base, rnd);
      int n;
      try {
        n = OtlpStructure.check(signal, m);
      } catch (MalformedDataException e) {
        refused++;
        continue;
      }
      accepted++;
      assertThat(parsedCount(signal, m)).as("mutation %d", i).isEqualTo(n);
    }
    assertThat(refused).isGreaterThan(500);
    assertThat(accepted).isGreaterThan(100);
  }

  @Test
  void utf8CheckAgreesWithTheStrictJdkDecoder() {
    SplittableRandom rnd = new SplittableRandom(8);
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    for (int i = 0; i < 50_000; i++) {
      byte[] b = new byte[1 + rnd.nextInt(24)];
      int ascii = rnd.nextInt(b.length + 1); // an ASCII run first: the eight-byte fast path
      for (int j = 0; j < b.length; j++) {
        // then bias to the interesting range: lead and continuation bytes
        b[j] =
            (byte)
                (j < ascii
                    ? rnd.nextInt(0x80)
                    : rnd.nextBoolean() ? 0x80 + rnd.nextInt(0x80) : rnd.nextInt(256));
      }
      boolean jdk;
      try {
        decoder.reset().decode(ByteBuffer.wrap(b));
        jdk = true;
      } catch (CharacterCodingException e) {
        jdk = false;
      }
      assertThat(Utf8Check.firstInvalid(b, 0, b.length) < 0)
          .as("%s", Arrays.toString(b))
          .isEqualTo(jdk);
    }
  }

  private static int parsedCount(Signal signal, byte[] b) throws InvalidProtocolBufferException {
    return switch (signal) {
      case TRACES -> Items.count(TracesData.parseFrom(b));
      case METRICS -> Items.count(MetricsData.parseFrom(b));
      case LOGS -> Items.count(LogsData.parseFrom(b));
      case PROFILES -> Items.count(ProfilesData.parseFrom(b));
    };
  }

  private static TracesData traces(Span.Builder span) {
    return TracesData.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
        .build();
  }

  /** A span whose attribute value nests messages {@code depth} levels below the request. */
  static byte[] nested(int depth) {
    // TracesData 0 > ResourceSpans 1 > ScopeSpans 2 > Span 3 > KeyValue 4 > AnyValue 5
    byte[] v = AnyValue.newBuilder().setStringValue("x").build().toByteArray();
    int d = 5;
    if ((depth - d) % 2 != 0) {
      // AnyValue.kvlist_value (6) > KeyValueList.values (1) > KeyValue.value (2): three levels
      v = frame(6, frame(1, concat(frame(1, new byte[] {'k'}), frame(2, v))));
      d += 3;
    }
    while (d < depth) {
      v = frame(5, frame(1, v)); // AnyValue.array_value (5) > ArrayValue.values (1): two levels
      d += 2;
    }
    byte[] kv = concat(frame(1, new byte[] {'k'}), frame(2, v));
    return frame(1, frame(2, frame(2, frame(9, kv)))); // resource_spans, scope_spans, spans, attrs
  }

  private static byte[] frame(int field, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 8);
    writeVarint(out, (long) field << 3 | 2);
    writeVarint(out, body.length);
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static void writeVarint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) (v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
