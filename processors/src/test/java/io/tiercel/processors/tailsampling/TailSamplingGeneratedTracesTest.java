package io.tiercel.processors.tailsampling;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.processors.YamlBinder;
import io.tiercel.testing.TestClock;
import io.tiercel.testing.TestData;
import io.tiercel.testing.component.TestHost;
import io.tiercel.testing.consumer.RecordingSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Generated traces through the processor, each resource sent as its own request (so the spans of a trace come
 * in several batches): the kept set is exactly the one the policies' rules give, every kept trace complete.
 */
class TailSamplingGeneratedTracesTest {
  @Test
  void keepsExactlyTheExpectedTracesWithAllTheirSpans() throws Exception {
    TestClock clock = TestClock.create();
    TailSamplingConfig cfg = YamlBinder.bind(TailSamplingConfig.DEFAULT, YamlBinder.yaml("""
        decision_wait: 5s
        tick: 2ms
        decision_cache: {sampled_cache_size: 1000, non_sampled_cache_size: 1000}
        policies:
          - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
          - {name: some, type: probabilistic, probabilistic: {sampling_percentage: 20}}
          - name: no-health
            type: drop
            drop:
              drop_sub_policy:
                - {name: health, type: string_attribute, string_attribute: {key: url.path, values: [/health]}}
        """));
    RecordingSink<Traces> sink = RecordingSink.create();
    Settings s = new Settings(ComponentId.parse("tail_sampling"), Kind.PROCESSOR, Signal.TRACES,
        org.slf4j.LoggerFactory.getLogger("test"), new MetricsRegistry(), clock, BuildInfo.DEFAULT);
    TailSamplingProcessor proc = new TailSamplingProcessor(s, cfg, sink);
    proc.start(TestHost.create());
    try {
      TracesData data = TestData.tracesData(300, 4, 42);
      Map<String, Integer> spansByTrace = TestData.spansByTrace(data);

      // the expectation, from the raw data
      Map<ByteString, boolean[]> facts = new HashMap<>(); // [error, health]
      for (ResourceSpans rs : data.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span sp : ss.getSpansList()) {
            boolean[] f = facts.computeIfAbsent(sp.getTraceId(), k -> new boolean[2]);
            f[0] |= sp.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
            for (KeyValue kv : sp.getAttributesList()) {
              f[1] |= kv.getKey().equals("url.path") && kv.getValue().getStringValue().equals("/health");
            }
          }
        }
      }
      byte[] salt = "default-hash-seed".getBytes(StandardCharsets.UTF_8);
      Set<String> expected = new HashSet<>();
      int errors = 0;
      int health = 0;
      for (Map.Entry<ByteString, boolean[]> e : facts.entrySet()) {
        boolean sampledByHash = Long.compareUnsigned(Policies.hashTraceId(salt, e.getKey()),
            Policies.threshold(0.2)) <= 0;
        errors += e.getValue()[0] ? 1 : 0;
        health += e.getValue()[1] ? 1 : 0;
        if (!e.getValue()[1] && (e.getValue()[0] || sampledByHash)) {
          expected.add(TestData.hex(e.getKey()));
        }
      }
      assertThat(facts).hasSize(300);
      assertThat(errors).isPositive();
      assertThat(health).isPositive();

      List<CompletableFuture<Void>> futures = new ArrayList<>();
      for (ResourceSpans rs : data.getResourceSpansList()) {
        futures.add(proc.consume(Context.EMPTY, Traces.of(TracesData.newBuilder().addResourceSpans(rs).build())));
      }
      assertThat(futures).allMatch(f -> !f.isDone());
      clock.advance(Duration.ofSeconds(5));
      for (CompletableFuture<Void> f : futures) {
        f.get(10, TimeUnit.SECONDS);
      }

      Map<String, Integer> kept = new HashMap<>();
      for (Traces t : sink.data()) {
        TestData.spansByTrace(t.message()).forEach((k, v) -> kept.merge(k, v, Integer::sum));
      }
      assertThat(kept.keySet()).isEqualTo(expected);
      for (Map.Entry<String, Integer> e : kept.entrySet()) {
        assertThat(e.getValue()).as(e.getKey()).isEqualTo(spansByTrace.get(e.getKey()));
      }

      // the same data again (a redelivery after a crash): every span follows the cached decision at once
      long before = sink.itemCount();
      proc.consume(Context.EMPTY, Traces.of(data)).get(10, TimeUnit.SECONDS);
      assertThat(sink.itemCount() - before).isEqualTo(kept.values().stream().mapToLong(Integer::longValue).sum());
    } finally {
      proc.shutdown(Deadline.in(Duration.ofSeconds(5)));
    }
  }
}
