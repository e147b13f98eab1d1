package io.tiercel.benchmarks;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.json.PlainJson;
import io.tiercel.kafka.common.encoding.EncodingRef;
import io.tiercel.kafka.common.encoding.RecordEncoding;
import io.tiercel.kafka.common.encoding.SignalCodec;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading one log record from a record value in each log encoding against reading the same record
 * as OTLP: the same ~300-byte JSON line as a {@code raw} body, a {@code text} body, a {@code json}
 * map body, and an OTLP request (protobuf and OTLP JSON) holding that line as a string body. Per
 * record value; the decoded data's item count is read so that lazy decoding is paid for.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class LogEncodingsBenchmark {
  private static final String LINE =
      "{\"ts\":\"2026-12-08T00:00:00.123Z\",\"level\":\"info\",\"service\":\"checkout\","
          + "\"msg\":\"order placed\",\"order_id\":\"8c1f2e9a-4b7d-4e11-9a3c-2f6d8e0b1c55\","
          + "\"user\":{\"id\":\"u-123456\",\"tier\":\"gold\"},\"items\":3,\"total\":129.95,"
          + "\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"tags\":[\"web\",\"eu-west-1\"]}";
  private static final byte[] VALUE = LINE.getBytes(StandardCharsets.UTF_8);
  private static final SignalCodec TEXT = EncodingRef.parse("text").builtIn();
  private final byte[] otlpProto;
  private final byte[] otlpJson;

  public LogEncodingsBenchmark() {
    Logs logs =
        Logs.of(
            LogsData.newBuilder()
                .addResourceLogs(
                    ResourceLogs.newBuilder()
                        .addScopeLogs(
                            ScopeLogs.newBuilder()
                                .addLogRecords(
                                    LogRecord.newBuilder()
                                        .setBody(AnyValue.newBuilder().setStringValue(LINE)))))
                .build());
    otlpProto = logs.bytes();
    otlpJson = RecordEncoding.OTLP_JSON.marshal(logs);
    PlainJson.parse(VALUE); // fail early when the line is not JSON
  }

  @Benchmark
  public int raw() {
    return RecordEncoding.RAW.unmarshal(Signal.LOGS, VALUE).itemCount();
  }

  @Benchmark
  public int text() {
    return TEXT.unmarshal(Signal.LOGS, VALUE).itemCount();
  }

  @Benchmark
  public int json() {
    return RecordEncoding.JSON.unmarshal(Signal.LOGS, VALUE).itemCount();
  }

  @Benchmark
  public int otlpProto() {
    return RecordEncoding.OTLP_PROTO.unmarshal(Signal.LOGS, otlpProto).itemCount();
  }

  @Benchmark
  public int otlpJson() {
    return RecordEncoding.OTLP_JSON.unmarshal(Signal.LOGS, otlpJson).itemCount();
  }
}
