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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The processing tier's filter then transform, from the serialized request a receiver hands over to
 * the serialized request an exporter sends, per span: on the traces view (conditions read the wire,
 * untouched spans are copied as bytes) and on the parsed path (parse, filter, transform on
 * builders, serialize). The filter drops the spans of one route and the transform edits the server
 * spans and one resource attribute, so both paths do real work; their outputs are equal (the tests
 * check it). Run with {@code -prof gc} for the allocation per span.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ViewBenchmark {
  static final int SPANS = 500;

  /**
   * {@code spans}: the transform edits the server spans (about half); {@code resources}: it edits
   * only the resources, so every kept span stays a byte range on the view.
   */
  @Param({"spans", "resources"})
  public String edits;

  byte[] request;
  Processor<Traces> chain;
  final Traces[] out = new Traces[1];

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Processor<Traces> processor(
      ProcessorFactory f, Map<String, Object> yaml, TelemetryConsumer<Traces> next)
      throws Exception {
    Record cfg =
        ConfigBinder.bind(
            f.configClass(), (Record) f.createDefaultConfig(), yaml, "processors." + f.type());
    return f.createTraces(
        Settings.forTest(Kind.PROCESSOR, ComponentId.of(f.type()), Signal.TRACES), cfg, next);
  }

  @Setup
  public void setup() throws Exception {
    request = BenchData.traces(SPANS).toByteArray();
    TelemetryConsumer<Traces> sink =
        (ctx, d) -> {
          out[0] = d;
          return TelemetryConsumer.done();
        };
    Processor<Traces> transform =
        processor(
            new TransformFactory(),
            Map.of(
                "error_mode",
                "ignore",
                "trace_statements",
                edits.equals("spans")
                    ? List.of(
                        "set(span.attributes[\"tier\"], \"processing\") where span.kind =="
                            + " SPAN_KIND_SERVER",
                        "delete_key(resource.attributes, \"process.pid\")")
                    : List.of(
                        "set(resource.attributes[\"tier\"], \"processing\")",
                        "delete_key(resource.attributes, \"process.pid\")")),
            sink);
    chain =
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
                            + " SPAN_KIND_SERVER",
                        "attributes[\"http.route\"] == \"/api/cart\""))),
            transform);
    chain.start(null);
    transform.start(null);
  }

  /** Bytes in, the view through filter and transform, bytes out. */
  @Benchmark
  @OperationsPerInvocation(SPANS)
  public byte[] view() {
    chain.consume(Context.EMPTY, Traces.ofBytes(request));
    return out[0].bytes();
  }

  /**
   * Bytes in, parsed, filter and transform on messages, serialized out: the path before the view.
   */
  @Benchmark
  @OperationsPerInvocation(SPANS)
  public byte[] parsed() {
    Traces in = Traces.ofBytes(request);
    in.message();
    chain.consume(Context.EMPTY, in);
    return out[0].bytes();
  }
}
