package io.tiercel.benchmarks;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.kafka.common.partition.KeyPartitioner;
import io.tiercel.kafka.common.partition.PartitionerType;
import io.tiercel.kafka.exporter.WireSplitter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The Kafka exporter's per-request work with {@code partition_traces_by_id}, per span, on a
 * 500-span request: the wire-level split by trace id plus the partition of every record, against
 * parsing, grouping and serializing each trace.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KafkaSplitBenchmark {
  static final int SPANS = 500;
  byte[] request;
  final KeyPartitioner partitioner = new KeyPartitioner(PartitionerType.SARAMA_COMPAT);

  @Setup
  public void setup() {
    request = BenchData.traces(SPANS).toByteArray();
  }

  /** Split by trace id on the wire, key and partition every record (the exporter's path). */
  @Benchmark
  @OperationsPerInvocation(SPANS)
  public void wireSplitKeyPartition(Blackhole bh) {
    for (WireSplitter.Part p :
        WireSplitter.split(Signal.TRACES, request, WireSplitter.KeyBy.TRACE_ID, 1_000_000)
            .parts()) {
      bh.consume(partitioner.partition(p.key(), 12));
      bh.consume(p.value());
    }
  }

  /**
   * The same records by parsing the request, grouping spans by trace and serializing each group.
   */
  @Benchmark
  @OperationsPerInvocation(SPANS)
  public void parseGroupSerialize(Blackhole bh) throws Exception {
    Map<String, TracesData.Builder> out = new LinkedHashMap<>();
    for (ResourceSpans rs : TracesData.parseFrom(request).getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          String key = HexFormat.of().formatHex(s.getTraceId().toByteArray());
          out.computeIfAbsent(key, k -> TracesData.newBuilder())
              .addResourceSpansBuilder()
              .setResource(rs.getResource())
              .addScopeSpansBuilder()
              .setScope(ss.getScope())
              .addSpans(s);
        }
      }
    }
    for (Map.Entry<String, TracesData.Builder> e : out.entrySet()) {
      byte[] key = e.getKey().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      bh.consume(partitioner.partition(key, 12));
      bh.consume(e.getValue().build().toByteArray());
    }
  }
}
