package io.tiercel.benchmarks;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.pdata.Batches;
import io.tiercel.core.pdata.Items;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.pdata.json.OtlpJson;
import java.util.ArrayList;
import java.util.List;
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

/**
 * The ingestion tier's per-request work, per span, on a 500-span request of realistic HTTP-service
 * spans: what staying on the wire saves against parsing (DESIGN.md section 3).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBenchmark {
  static final int SPANS = 500;
  byte[] request;
  TracesData message;
  List<Traces> sixteen;
  byte[] json;

  @Setup
  public void setup() {
    message = BenchData.traces(SPANS);
    request = message.toByteArray();
    json = OtlpJson.encode(Traces.of(message));
    sixteen = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      sixteen.add(Traces.ofBytes(request));
    }
  }

  /**
   * Item count (and structure check) walking the wire format: what receivers and metrics do per
   * request.
   */
  @Benchmark
  @OperationsPerInvocation(SPANS)
  public int countOnWire() {
    return Traces.ofBytes(request).itemCount();
  }

  /**
   * The edge's full structural check (every nested message, tag, length, wire type, string UTF-8,
   * id length) with the item count, in one walk: what the otlp receiver runs per protobuf request.
   */
  @Benchmark
  @OperationsPerInvocation(SPANS)
  public int checkStructure() {
    return Traces.ofBytes(request).checkStructure();
  }

  /** The same count by parsing the request. */
  @Benchmark
  @OperationsPerInvocation(SPANS)
  public int countByParsing() throws Exception {
    return Items.count(TracesData.parseFrom(request));
  }

  /** Parse + serialize: the cost a pipeline pays per hop when it does not stay on the wire. */
  @Benchmark
  @OperationsPerInvocation(SPANS)
  public byte[] parseAndSerialize() throws Exception {
    return TracesData.parseFrom(request).toByteArray();
  }

  /** batch: 16 requests joined by concatenating bytes. */
  @Benchmark
  @OperationsPerInvocation(SPANS * 16)
  public Traces joinBytes() {
    return Batches.join(sixteen);
  }

  /** OTLP JSON encode (the otlp_json encoding and the file exporter). */
  @Benchmark
  @OperationsPerInvocation(SPANS)
  public byte[] jsonEncode() {
    return OtlpJson.encode(Traces.of(message));
  }

  /** OTLP JSON decode (the OTLP/HTTP JSON receiver path). */
  @Benchmark
  @OperationsPerInvocation(SPANS)
  public Object jsonDecode() throws Exception {
    return OtlpJson.decodeTraces(json);
  }
}
