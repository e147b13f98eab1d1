package io.tiercel.processors.transform;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Processor;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.processors.Sink;
import io.tiercel.processors.YamlBinder;
import io.tiercel.processors.ottl.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One processor instance used from several threads: compiled statements share no per-item state.
 */
class TransformConcurrencyTest {
  @Test
  void concurrentBatchesEachGetTheirOwnResult() throws Exception {
    TransformConfig c =
        YamlBinder.bind(
            TransformConfig.defaults(),
            YamlBinder.yaml(
                """
                trace_statements:
                  - context: span
                    statements:
                      - set(cache["n"], name)
                      - set(attributes["copy"], cache["n"])
                      - replace_pattern(name, "\\\\d+", "{id}")
                """));
    Sink<Traces> sink = new Sink<>(true);
    Processor<Traces> p =
        new TransformFactory()
            .createTraces(
                Settings.forTest(Kind.PROCESSOR, ComponentId.parse("transform"), Signal.TRACES),
                c,
                sink);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        fs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    String name = "GET /t" + thread + "/" + i;
                    p.consume(Context.EMPTY, Traces.of(Fixtures.traces(Map.of("span.name", name))))
                        .join();
                  }
                }));
      }
      for (Future<?> f : fs) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(sink.received).hasSize(200);
    for (Traces t : sink.received) {
      var span = t.message().getResourceSpans(0).getScopeSpans(0).getSpans(0);
      String copy =
          span.getAttributesList().stream()
              .filter(kv -> kv.getKey().equals("copy"))
              .findFirst()
              .orElseThrow()
              .getValue()
              .getStringValue();
      assertThat(span.getName()).isEqualTo(copy.replaceAll("\\d+", "{id}"));
    }
  }
}
