package io.tiercel.benchmarks;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.kafka.common.encoding.RecordEncoding;
import io.tiercel.kafka.receiver.HeaderExtraction;
import io.tiercel.kafka.receiver.RecordDecoder;
import io.tiercel.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The Kafka receiver's per-record work on its poll thread, per span: the {@code otlp_proto} wire
 * check of the record value (every field's wire type, id lengths, item count; no objects built)
 * plus the record's {@code Context} (topic, partition, offset, headers). The records are what the
 * ingestion tier writes: key = the 32-character hex trace id, value = one OTLP traces request, one
 * header (a client metadata key carried by {@code include_metadata_keys}). Two sizes: one trace of
 * 20 spans ({@code TestData}, what the ingestion tier writes with {@code partition_traces_by_id})
 * and a whole 500-span request of 100 traces (the generator, what it writes without).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KafkaDecodeBenchmark {
  static final RecordDecoder DECODER = new RecordDecoder(HeaderExtraction.NONE);

  /** A 20-span record. */
  @State(Scope.Benchmark)
  public static class Record20 {
    final ConsumerRecord<byte[], byte[]> record = record(TestData.tracesData(1, 20, 7));
  }

  /** A 500-span record. */
  @State(Scope.Benchmark)
  public static class Record500 {
    final ConsumerRecord<byte[], byte[]> record = record(BenchData.traces(500));
  }

  static ConsumerRecord<byte[], byte[]> record(TracesData data) {
    byte[] value = data.toByteArray();
    byte[] key =
        HexFormat.of()
            .formatHex(
                data.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId().toByteArray())
            .getBytes(StandardCharsets.US_ASCII);
    RecordHeaders headers = new RecordHeaders();
    headers.add("tenant", "acme".getBytes(StandardCharsets.UTF_8));
    return new ConsumerRecord<>(
        "otlp_spans",
        7,
        123_456_789L,
        1_700_000_000_000L,
        TimestampType.CREATE_TIME,
        key.length,
        value.length,
        key,
        value,
        headers,
        Optional.empty());
  }

  static void decode(ConsumerRecord<byte[], byte[]> r, Blackhole bh) {
    OtlpData data = DECODER.decode(Signal.TRACES, RecordEncoding.OTLP_PROTO, r);
    bh.consume(data.isEmpty());
    bh.consume(RecordDecoder.context(r));
  }

  /** Wire check + context of a 20-span record, per span. */
  @Benchmark
  @OperationsPerInvocation(20)
  public void decode20Spans(Record20 s, Blackhole bh) {
    decode(s.record, bh);
  }

  /** Wire check + context of a 500-span record, per span. */
  @Benchmark
  @OperationsPerInvocation(500)
  public void decode500Spans(Record500 s, Blackhole bh) {
    decode(s.record, bh);
  }
}
