package io.tiercel.benchmarks;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Processor;
import io.tiercel.core.component.ProcessorFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.config.ConfigBinder;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.processors.filter.FilterFactory;
import io.tiercel.processors.transform.TransformFactory;
import java.util.List;
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

/**
 * filter and transform processors per span, configured from YAML as a user writes it, on realistic
 * spans.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OttlBenchmark {
  static final int SPANS = 500;
  Traces parsed;
  Processor<Traces> filter;
  Processor<Traces> transform;

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Processor<Traces> processor(ProcessorFactory f, Map<String, Object> yaml)
      throws Exception {
    Record cfg =
        ConfigBinder.bind(
            f.configClass(), (Record) f.createDefaultConfig(), yaml, "processors." + f.type());
    TelemetryConsumer<Traces> sink = (ctx, d) -> TelemetryConsumer.done();
    return f.createTraces(
        Settings.forTest(Kind.PROCESSOR, ComponentId.of(f.type()), Signal.TRACES), cfg, sink);
  }

  @Setup
  public void setup() throws Exception {
    parsed = Traces.of(BenchData.traces(SPANS));
    // Two conditions that keep every span: the common case, nothing dropped.
    filter =
        processor(
            new FilterFactory(),
            Map.of(
                "error_mode",
                "ignore",
                "traces",
                Map.of(
                    "span",
                    List.of(
                        "attributes[\"http.request.method\"] == \"TRACE\"",
                        "IsMatch(attributes[\"url.path\"], \"^/internal/health\") and kind =="
                            + " SPAN_KIND_SERVER"))));
    transform =
        processor(
            new TransformFactory(),
            Map.of(
                "error_mode",
                "ignore",
                "trace_statements",
                List.of(
                    "set(span.attributes[\"tier\"], \"processing\")",
                    "set(span.name, Concat([span.attributes[\"http.request.method\"],"
                        + " span.attributes[\"url.path\"]], \" \")) where span.kind =="
                        + " SPAN_KIND_SERVER",
                    "delete_key(resource.attributes, \"process.pid\")")));
    filter.start(null);
    transform.start(null);
  }

  @Benchmark
  @OperationsPerInvocation(SPANS)
  public Object filterTwoConditions() {
    return filter.consume(Context.EMPTY, parsed);
  }

  @Benchmark
  @OperationsPerInvocation(SPANS)
  public Object transformThreeStatements() {
    return transform.consume(Context.EMPTY, parsed);
  }
}
