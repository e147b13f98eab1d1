package io.tiercel.kafka.common.encoding;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.testing.TestData;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The collector's raw, text and json log encodings and the text/JSON log encoding extensions. */
class LogEncodingsTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochSecond(1_700_000_000, 5), ZoneOffset.UTC);

  private static List<LogRecord> records(OtlpData d) {
    return ((Logs) d)
        .message().getResourceLogsList().stream()
            .flatMap(r -> r.getScopeLogsList().stream())
            .flatMap(s -> s.getLogRecordsList().stream())
            .toList();
  }

  private static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  private static Logs logs(AnyValue... bodies) {
    ScopeLogs.Builder s = ScopeLogs.newBuilder();
    for (AnyValue b : bodies) {
      s.addLogRecords(
          LogRecord.newBuilder()
              .setBody(b)
              .addAttributes(KeyValue.newBuilder().setKey("a").setValue(str("x"))));
    }
    return Logs.of(
        LogsData.newBuilder()
            .addResourceLogs(
                ResourceLogs.newBuilder()
                    .setResource(
                        Resource.newBuilder()
                            .addAttributes(
                                KeyValue.newBuilder().setKey("service.name").setValue(str("svc"))))
                    .addScopeLogs(s))
            .build());
  }

  @Test
  void rawReadsTheValueAsOneBytesBodyAndWritesOneValuePerBody() {
    byte[] value = {0, 1, (byte) 0xff, 'x'};
    List<LogRecord> rs = records(RecordEncoding.RAW.unmarshal(Signal.LOGS, value));
    assertThat(rs).hasSize(1);
    assertThat(rs.get(0).getBody().getBytesValue()).isEqualTo(ByteString.copyFrom(value));
    assertThat(rs.get(0).getObservedTimeUnixNano()).isPositive();
    assertThat(rs.get(0).getTimeUnixNano()).isZero();
    assertThat(RecordEncoding.RAW.unmarshal(Signal.LOGS, new byte[0]).itemCount()).isOne();

    AnyValue map =
        AnyValue.newBuilder()
            .setKvlistValue(
                KeyValueList.newBuilder()
                    .addValues(
                        KeyValue.newBuilder()
                            .setKey("n")
                            .setValue(AnyValue.newBuilder().setIntValue(3))))
            .build();
    List<byte[]> values =
        RecordEncoding.RAW.marshalRecords(
            logs(
                str("line one"),
                AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(value)).build(),
                AnyValue.getDefaultInstance(),
                map,
                AnyValue.newBuilder().setBoolValue(true).build()));
    assertThat(values)
        .containsExactly(
            "line one".getBytes(UTF_8), value, "{\"n\":3}".getBytes(UTF_8), "true".getBytes(UTF_8));
    assertThat(RecordEncoding.RAW.marshal(logs(str("só")))).isEqualTo("só".getBytes(UTF_8));
    assertThatThrownBy(() -> RecordEncoding.RAW.marshal(logs(str("a"), str("b"))))
        .isInstanceOf(PermanentException.class);
    assertThat(RecordEncoding.RAW.reads(Signal.TRACES)).isFalse();
    assertThat(RecordEncoding.RAW.writes(Signal.METRICS)).isFalse();
  }

  @Test
  void textDecodesTheWholeValueWithItsCharacterEncodingAsOneStringBody() {
    String jp = "こんにちは、世界\nふたつめ";
    SignalCodec sjis = EncodingRef.parse("text_shift_jis").builtIn();
    assertThat(sjis).isEqualTo(TextCodec.whole("shift_jis"));
    List<LogRecord> rs =
        records(sjis.unmarshal(Signal.LOGS, jp.getBytes(Charset.forName("Shift_JIS"))));
    assertThat(rs).singleElement().extracting(r -> r.getBody().getStringValue()).isEqualTo(jp);
    assertThat(
            records(EncodingRef.parse("text").builtIn().unmarshal(Signal.LOGS, jp.getBytes(UTF_8))))
        .singleElement()
        .extracting(r -> r.getBody().getStringValue())
        .isEqualTo(jp);
    assertThat(EncodingRef.parse("text_utf-8").builtIn()).isEqualTo(TextCodec.whole("utf-8"));
    assertThat(EncodingRef.parse("text_euc-jp").builtIn()).isInstanceOf(TextCodec.class);
    // not a character encoding: an extension id, as text_encoding is
    assertThat(EncodingRef.parse("text_encoding").builtIn()).isNull();
    assertThat(EncodingRef.parse("text_klingon").extensionId()).isNotNull();
    assertThat(TextCodec.whole(null).writes(Signal.LOGS)).isFalse();
    assertThat(TextCodec.whole(null).reads(Signal.METRICS)).isFalse();
  }

  @Test
  void jsonReadsAnObjectAsTheMapBodyOfOneLogRecordAndOtherSignalsAsOtlpJson() {
    byte[] v =
        "{\"msg\":\"hi\",\"n\":1,\"ok\":true,\"tags\":[\"a\",2],\"none\":null,\"o\":{\"k\":\"v\"}}"
            .getBytes(UTF_8);
    LogRecord r = records(RecordEncoding.JSON.unmarshal(Signal.LOGS, v)).get(0);
    List<KeyValue> body = r.getBody().getKvlistValue().getValuesList();
    assertThat(body)
        .extracting(KeyValue::getKey)
        .containsExactly("msg", "n", "ok", "tags", "none", "o");
    assertThat(body.get(1).getValue().getDoubleValue()).isEqualTo(1.0); // numbers are doubles
    assertThat(body.get(3).getValue().getArrayValue())
        .isEqualTo(
            ArrayValue.newBuilder()
                .addValues(str("a"))
                .addValues(AnyValue.newBuilder().setDoubleValue(2))
                .build());
    assertThat(body.get(4).getValue()).isEqualTo(AnyValue.getDefaultInstance());
    assertThat(PlainJsonBack.of(r.getBody()))
        .isEqualTo(
            "{\"msg\":\"hi\",\"n\":1,\"ok\":true,"
                + "\"tags\":[\"a\",2],\"none\":null,\"o\":{\"k\":\"v\"}}");

    for (String poison : List.of("[1,2]", "\"text\"", "{\"a\":", "not json", "")) {
      assertThatThrownBy(() -> RecordEncoding.JSON.unmarshal(Signal.LOGS, poison.getBytes(UTF_8)))
          .as(poison)
          .isInstanceOf(PermanentException.class)
          .hasMessageStartingWith("malformed json logs");
    }
    OtlpData metrics = TestData.metrics(2, 2, 1);
    byte[] otlp = RecordEncoding.OTLP_JSON.marshal(metrics);
    assertThat(RecordEncoding.JSON.unmarshal(Signal.METRICS, otlp)).isEqualTo(metrics);
    assertThat(RecordEncoding.JSON.marshal(metrics)).isEqualTo(otlp);
    assertThat(RecordEncoding.JSON.reads(Signal.PROFILES)).isFalse();
  }

  @Test
  void theTextExtensionSplitsAtItsSeparatorAndJoinsWithTheOther() {
    TextCodec c = TextCodec.split("utf8", Pattern.compile("\r?\n"), "\n", CLOCK);
    List<LogRecord> rs = records(c.unmarshal(Signal.LOGS, "a\r\nb\n\nc\n".getBytes(UTF_8)));
    assertThat(rs).extracting(r -> r.getBody().getStringValue()).containsExactly("a", "b", "", "c");
    assertThat(rs)
        .allSatisfy(
            r -> assertThat(r.getObservedTimeUnixNano()).isEqualTo(1_700_000_000_000_000_005L));
    assertThat(c.unmarshal(Signal.LOGS, new byte[0]).itemCount()).isZero();
    assertThat(new String(c.marshal(logs(str("a"), str("b"))), UTF_8)).isEqualTo("a\nb");
    assertThat(c.writes(Signal.LOGS)).isTrue();
    assertThatThrownBy(() -> TextCodec.whole("klingon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unsupported encoding 'klingon'");
  }

  @Test
  void theJsonLogExtensionReadsArraysOrLinesOfObjectsAndWritesBodiesOrInlineAttributes() {
    JsonLogCodec array = new JsonLogCodec(false, true, CLOCK);
    assertThat(records(array.unmarshal(Signal.LOGS, "[{\"a\":1},{\"b\":\"x\"}]".getBytes(UTF_8))))
        .hasSize(2);
    assertThat(array.unmarshal(Signal.LOGS, "[]".getBytes(UTF_8)).itemCount()).isZero();
    assertThatThrownBy(() -> array.unmarshal(Signal.LOGS, "{\"a\":1}".getBytes(UTF_8)))
        .isInstanceOf(PermanentException.class)
        .hasMessage("malformed json_log_encoding logs: expected a JSON array, got an object");
    assertThatThrownBy(() -> array.unmarshal(Signal.LOGS, "[{\"a\":1}, 3]".getBytes(UTF_8)))
        .isInstanceOf(PermanentException.class)
        .hasMessage("malformed json_log_encoding logs: expected JSON objects, got a number");
    JsonLogCodec lines = new JsonLogCodec(false, false, CLOCK);
    OtlpData two = lines.unmarshal(Signal.LOGS, "{\"a\":1}\n{\"b\":\"x\"}\n".getBytes(UTF_8));
    assertThat(two.itemCount()).isEqualTo(2);
    assertThat(new String(lines.marshal(two), UTF_8)).isEqualTo("{\"a\":1}\n{\"b\":\"x\"}");
    assertThat(new String(array.marshal(two), UTF_8)).isEqualTo("[{\"a\":1},{\"b\":\"x\"}]");
    JsonLogCodec inline = new JsonLogCodec(true, true, CLOCK);
    assertThat(new String(inline.marshal(logs(str("m"))), UTF_8))
        .isEqualTo(
            "[{\"body\":\"m\",\"attributes\":{\"a\":\"x\"},\"resourceAttributes\":"
                + "{\"service.name\":\"svc\"}}]");
  }

  /** Plain JSON of a body, through the raw writer (which writes a map body as JSON). */
  private static final class PlainJsonBack {
    static String of(AnyValue v) {
      return new String(LogBodies.raw(v), UTF_8);
    }
  }
}
