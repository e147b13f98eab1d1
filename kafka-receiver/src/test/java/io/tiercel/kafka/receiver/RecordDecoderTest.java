package io.tiercel.kafka.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.kafka.common.encoding.RecordEncoding;
import io.tiercel.testing.Malformed;
import io.tiercel.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RecordDecoderTest {
  private static ConsumerRecord<byte[], byte[]> record(byte[] value, RecordHeaders headers) {
    return new ConsumerRecord<>(
        "otlp_spans",
        3,
        42L,
        1000L,
        TimestampType.CREATE_TIME,
        0,
        value == null ? -1 : value.length,
        null,
        value,
        headers,
        Optional.empty());
  }

  private static RecordHeaders headers(String... kv) {
    RecordHeaders h = new RecordHeaders();
    for (int i = 0; i < kv.length; i += 2) {
      h.add(kv[i], kv[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return h;
  }

  @Test
  void contextHoldsTopicPartitionOffsetAndHeaders() {
    Context ctx =
        RecordDecoder.context(
            record(new byte[0], headers("X-Tenant", "acme", "x-tenant", "beta", "region", "eu")));
    assertThat(ctx.metadata())
        .containsExactly(
            Map.entry("kafka.offset", List.of("42")),
            Map.entry("kafka.partition", List.of("3")),
            Map.entry("kafka.topic", List.of("otlp_spans")),
            Map.entry("region", List.of("eu")),
            Map.entry("x-tenant", List.of("acme", "beta")));
  }

  @Test
  void protoPassesTheBytesThroughUnparsed() {
    byte[] bytes = TestData.traces(2, 3, 7).bytes();
    OtlpData d =
        new RecordDecoder(HeaderExtraction.NONE)
            .decode(Signal.TRACES, RecordEncoding.OTLP_PROTO, record(bytes, headers()));
    assertThat(d).isInstanceOf(Traces.class);
    assertThat(d.bytes()).isSameAs(bytes);
    assertThat(d.hasMessage()).isFalse();
    assertThat(d.itemCount()).isEqualTo(6);
  }

  @Test
  void rejectsTombstonesAndOtherSignals() {
    RecordDecoder dec = new RecordDecoder(HeaderExtraction.NONE);
    assertThatThrownBy(
            () -> dec.decode(Signal.TRACES, RecordEncoding.OTLP_PROTO, record(null, headers())))
        .isInstanceOf(PermanentException.class)
        .hasMessage("record has no value (a tombstone)");
    assertThatThrownBy(
            () ->
                dec.decode(
                    Signal.TRACES,
                    RecordEncoding.OTLP_PROTO,
                    record(TestData.logs(2, 1).bytes(), headers())))
        .isInstanceOf(PermanentException.class)
        .hasMessage("not an OTLP traces request: span field 1 has wire type 1, expected 2");
  }

  @Test
  void extractsListedHeadersIntoEveryResource() {
    RecordDecoder dec = new RecordDecoder(new HeaderExtraction(true, List.of("tenant", "absent")));
    Logs in = TestData.logs(3, 9);
    OtlpData d =
        dec.decode(
            Signal.LOGS,
            RecordEncoding.OTLP_PROTO,
            record(in.bytes(), headers("tenant", "acme", "other", "x")));
    Logs out = (Logs) d;
    assertThat(out.itemCount()).isEqualTo(3);
    assertThat(out.message().getResourceLogsList())
        .isNotEmpty()
        .allSatisfy(
            rl ->
                assertThat(rl.getResource().getAttributesList())
                    .filteredOn(kv -> kv.getKey().startsWith("kafka.header."))
                    .extracting(KeyValue::getKey, kv -> kv.getValue().getStringValue())
                    .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("kafka.header.tenant", "acme")));
  }

  @Test
  void aRecordMalformedInsideASpanIsRefusedBeforeAnyProcessorSeesIt() {
    byte[] bad = Malformed.tracesWithInvalidUtf8Key(3, 5);
    RecordDecoder dec = new RecordDecoder(HeaderExtraction.NONE);
    assertThatThrownBy(
            () -> dec.decode(Signal.TRACES, RecordEncoding.OTLP_PROTO, record(bad, headers())))
        .isInstanceOf(PermanentException.class)
        .hasMessageStartingWith(
            "malformed OTLP traces protobuf: invalid UTF-8 in a string"
                + " (at resource_spans.scope_spans.spans.attributes.key, byte ");
  }
}
