package io.tiercel.processors;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Processor;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.pdata.MalformedDataException;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.processors.filter.FilterConfig;
import io.tiercel.processors.filter.FilterFactory;
import io.tiercel.processors.transform.TransformConfig;
import io.tiercel.processors.transform.TransformFactory;
import io.tiercel.testing.pdata.GeneratedTraces;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * filter then transform, built by their factories, on serialized data (the view path) and on the
 * same data parsed (the parsed path), over generated and mutated inputs: the same data reaches the
 * next hop, and malformed bytes fail the call with the permanent error the parsed path gave.
 */
class ViewPipelineTest {
  private static final String FILTER =
      "error_mode: ignore\n"
          + "traces:\n"
          + "  span:\n"
          + "    - 'span.kind == SPAN_KIND_CLIENT'\n"
          + "    - 'IsMatch(span.attributes[\"url.path\"], \"^S\")'\n";
  private static final String TRANSFORM =
      "error_mode: ignore\n"
          + "trace_statements:\n"
          + "  - 'set(span.attributes[\"tier\"], \"processing\") where span.name == \"x\"'\n"
          + "  - 'set(span.name, Concat([span.attributes[\"http.request.method\"], \"!\"], \"\"))"
          + " where span.kind == SPAN_KIND_SERVER'\n"
          + "  - 'delete_key(resource.attributes, \"process.pid\")'\n";

  private static Processor<Traces> chain(Sink<Traces> sink) {
    Processor<Traces> transform =
        new TransformFactory()
            .createTraces(
                Settings.forTest(Kind.PROCESSOR, ComponentId.parse("transform"), Signal.TRACES),
                YamlBinder.bind(TransformConfig.defaults(), YamlBinder.yaml(TRANSFORM)),
                sink);
    return new FilterFactory()
        .createTraces(
            Settings.forTest(Kind.PROCESSOR, ComponentId.parse("filter"), Signal.TRACES),
            YamlBinder.bind(FilterConfig.defaults(), YamlBinder.yaml(FILTER)),
            transform);
  }

  @Test
  void serializedAndParsedInputsReachTheNextHopAlike() throws Exception {
    int malformed = 0;
    int forwarded = 0;
    Sink<Traces> viewSink = new Sink<>(true);
    Sink<Traces> parsedSink = new Sink<>(true);
    Processor<Traces> viewChain = chain(viewSink);
    Processor<Traces> parsedChain = chain(parsedSink);
    for (int seed = 0; seed < 800; seed++) {
      GeneratedTraces g = new GeneratedTraces(seed);
      byte[] b = g.wire(g.traces());
      if (seed % 2 == 1) {
        b = g.mutate(b);
      }
      TracesData parsed;
      try {
        parsed = TracesData.parseFrom(b);
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        parsed = null;
      }
      viewSink.received.clear();
      parsedSink.received.clear();
      CompletableFuture<Void> f = viewChain.consume(Context.EMPTY, Traces.ofBytes(b));
      if (parsed == null) {
        malformed++;
        assertThat(f).isCompletedExceptionally();
        try {
          f.get();
        } catch (ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(PermanentException.class);
          assertThat(e.getCause().getCause()).isInstanceOf(MalformedDataException.class);
        }
        assertThat(viewSink.received).isEmpty();
        continue;
      }
      assertThat(parsedChain.consume(Context.EMPTY, Traces.of(parsed))).isCompleted();
      assertThat(f).isCompleted();
      assertThat(viewSink.received).hasSameSizeAs(parsedSink.received);
      if (!parsedSink.received.isEmpty()) {
        forwarded++;
        Traces got = viewSink.received.get(0);
        assertThat(TracesData.parseFrom(got.bytes()))
            .as("seed %d", seed)
            .isEqualTo(parsedSink.received.get(0).message());
        assertThat(got.itemCount()).isEqualTo(parsedSink.received.get(0).itemCount());
      }
    }
    assertThat(malformed).isGreaterThan(100);
    assertThat(forwarded).isGreaterThan(250);
  }
}
