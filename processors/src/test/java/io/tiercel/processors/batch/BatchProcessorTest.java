package io.tiercel.processors.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Processor;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchProcessorTest {
  private final List<Processor<Traces>> started = new ArrayList<>();

  /** Records batches; completes each batch's future only when told to. */
  static final class HeldSink implements TelemetryConsumer<Traces> {
    record Call(Context ctx, Traces data, CompletableFuture<Void> future) {}

    final List<Call> calls = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> consume(Context ctx, Traces data) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      calls.add(new Call(ctx, data, f));
      return f;
    }

    void awaitCalls(int n) throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (calls.size() < n && System.nanoTime() < end) {
        Thread.sleep(2);
      }
      assertThat(calls).hasSizeGreaterThanOrEqualTo(n);
    }

    List<String> spanNames() {
      List<String> names = new ArrayList<>();
      for (Call c : calls) {
        c.data
            .message()
            .getResourceSpansList()
            .forEach(
                rs ->
                    rs.getScopeSpansList()
                        .forEach(ss -> ss.getSpansList().forEach(s -> names.add(s.getName()))));
      }
      return names;
    }
  }

  private static int counter;

  static Traces spans(String prefix, int n) {
    TracesData.Builder b = TracesData.newBuilder();
    ResourceSpans.Builder rs = b.addResourceSpansBuilder();
    rs.getResourceBuilder()
        .addAttributes(
            KeyValue.newBuilder()
                .setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue("svc-" + (counter++ % 3))));
    var ss = rs.addScopeSpansBuilder();
    for (int i = 0; i < n; i++) {
      ss.addSpans(Span.newBuilder().setName(prefix + i));
    }
    return Traces.ofBytes(b.build().toByteArray());
  }

  private Processor<Traces> batch(BatchConfig cfg, TelemetryConsumer<Traces> next)
      throws Exception {
    Processor<Traces> p =
        new BatchProcessorFactory()
            .createTraces(
                Settings.forTest(Kind.PROCESSOR, ComponentId.of("batch"), Signal.TRACES),
                cfg,
                next);
    p.start(null);
    started.add(p);
    return p;
  }

  @AfterEach
  void stop() throws Exception {
    for (Processor<Traces> p : started) {
      p.shutdown(Deadline.in(Duration.ofMillis(200)));
    }
  }

  @Test
  void sizeTriggerJoinsBytesAndAcknowledgesOnlyAfterExport() throws Exception {
    HeldSink sink = new HeldSink();
    var p = batch(new BatchConfig(Duration.ofSeconds(30), 10, 0, List.of(), 1000), sink);
    List<CompletableFuture<Void>> ups = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ups.add(p.consume(Context.EMPTY, spans("r" + i + "-", 3)));
    }
    sink.awaitCalls(1);
    Traces sent = sink.calls.get(0).data();
    assertThat(sent.itemCount()).isEqualTo(12);
    assertThat(sent.hasMessage()).as("joined on the wire, never parsed").isFalse();
    Thread.sleep(20);
    assertThat(ups).noneMatch(CompletableFuture::isDone);
    sink.calls.get(0).future().complete(null);
    CompletableFuture.allOf(ups.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
    assertThat(sink.spanNames())
        .containsExactly(
            "r0-0", "r0-1", "r0-2", "r1-0", "r1-1", "r1-2", "r2-0", "r2-1", "r2-2", "r3-0", "r3-1",
            "r3-2");
  }

  @Test
  void parsedRequestsAreQueuedSerializedAndJoinedOnTheWire() throws Exception {
    HeldSink sink = new HeldSink();
    var p = batch(new BatchConfig(Duration.ofSeconds(30), 6, 0, List.of(), 1000), sink);
    Traces a =
        Traces.of(spans("a", 3).message()); // parsed only, as a transform processor hands it on
    Traces b = Traces.of(spans("b", 3).message());
    var ua = p.consume(Context.EMPTY, a);
    var ub = p.consume(Context.EMPTY, b);
    sink.awaitCalls(1);
    Traces sent = sink.calls.get(0).data();
    assertThat(sent.hasMessage())
        .as("serialized before queueing, joined by concatenation")
        .isFalse();
    assertThat(sent.itemCount()).isEqualTo(6);
    sink.calls.get(0).future().complete(null);
    CompletableFuture.allOf(ua, ub).get(2, TimeUnit.SECONDS);
    assertThat(sink.spanNames()).containsExactly("a0", "a1", "a2", "b0", "b1", "b2");
  }

  @Test
  void timeoutTriggerSendsASmallBatch() throws Exception {
    HeldSink sink = new HeldSink();
    var p = batch(new BatchConfig(Duration.ofMillis(40), 1000, 0, List.of(), 1000), sink);
    var a = p.consume(Context.EMPTY, spans("a", 2));
    var b = p.consume(Context.EMPTY, spans("b", 1));
    sink.awaitCalls(1);
    assertThat(sink.calls).hasSize(1);
    assertThat(sink.calls.get(0).data().itemCount()).isEqualTo(3);
    sink.calls.get(0).future().complete(null);
    CompletableFuture.allOf(a, b).get(2, TimeUnit.SECONDS);
  }

  @Test
  void maxSizeSplitsAndTheRequestCompletesWhenEveryPartDid() throws Exception {
    HeldSink sink = new HeldSink();
    var p = batch(new BatchConfig(Duration.ofMillis(30), 5, 5, List.of(), 1000), sink);
    var up = p.consume(Context.EMPTY, spans("s", 12));
    sink.awaitCalls(3);
    assertThat(sink.calls).extracting(c -> c.data().itemCount()).containsExactly(5, 5, 2);
    assertThat(sink.spanNames())
        .containsExactly("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11");
    sink.calls.get(0).future().complete(null);
    sink.calls.get(2).future().complete(null);
    Thread.sleep(20);
    assertThat(up).isNotDone();
    sink.calls.get(1).future().complete(null);
    up.get(2, TimeUnit.SECONDS);
  }

  @Test
  void aFailedBatchFailsEveryRequestInIt() throws Exception {
    HeldSink sink = new HeldSink();
    var p = batch(new BatchConfig(Duration.ofSeconds(30), 4, 4, List.of(), 1000), sink);
    var a = p.consume(Context.EMPTY, spans("a", 2));
    var b = p.consume(Context.EMPTY, spans("b", 4)); // 2 go with a, 2 into the next batch
    var c = p.consume(Context.EMPTY, spans("c", 2));
    sink.awaitCalls(2);
    sink.calls.get(0).future().completeExceptionally(new RetryableException("backend down"));
    sink.calls.get(1).future().complete(null);
    assertThatThrownBy(() -> a.get(2, TimeUnit.SECONDS)).cause().hasMessage("backend down");
    assertThatThrownBy(() -> b.get(2, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(RetryableException.class);
    c.get(2, TimeUnit.SECONDS);
  }

  @Test
  void zeroTimeoutSendsEachRequestAtOnce() throws Exception {
    HeldSink sink = new HeldSink();
    var p = batch(new BatchConfig(Duration.ZERO, 8192, 0, List.of(), 1000), sink);
    p.consume(Context.EMPTY, spans("x", 1));
    p.consume(Context.EMPTY, spans("y", 1));
    sink.awaitCalls(2);
    assertThat(sink.calls).extracting(c -> c.data().itemCount()).containsExactly(1, 1);
  }

  @Test
  void metadataKeysBatchPerTenantAndKeepTheKeysInTheContext() throws Exception {
    HeldSink sink = new HeldSink();
    var p = batch(new BatchConfig(Duration.ofMillis(30), 1000, 0, List.of("X-Tenant"), 2), sink);
    Context acme =
        Context.of(Map.of("x-tenant", List.of("acme"), "authorization", List.of("secret")));
    Context globex = Context.of(Map.of("x-tenant", List.of("globex")));
    p.consume(acme, spans("a", 1));
    p.consume(globex, spans("g", 2));
    p.consume(acme, spans("a", 1));
    sink.awaitCalls(2);
    assertThat(sink.calls)
        .extracting(c -> c.ctx().first("x-tenant").orElseThrow() + "=" + c.data().itemCount())
        .containsExactlyInAnyOrder("acme=2", "globex=2");
    assertThat(sink.calls).allSatisfy(c -> assertThat(c.ctx().get("authorization")).isEmpty());
  }

  @Test
  void metadataCardinalityLimitIsAPermanentRefusal() throws Exception {
    HeldSink sink = new HeldSink();
    var p = batch(new BatchConfig(Duration.ofSeconds(30), 1000, 0, List.of("tenant"), 1), sink);
    p.consume(Context.of(Map.of("tenant", List.of("a"))), spans("a", 1));
    var refused = p.consume(Context.of(Map.of("tenant", List.of("b"))), spans("b", 1));
    assertThatThrownBy(() -> refused.get(2, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(PermanentException.class)
        .hasMessage(
            "batch processor batch: too many distinct metadata value combinations "
                + "(metadata_cardinality_limit 1)");
  }

  @Test
  void shutdownFlushesWhatIsBufferedAndWaitsForIt() throws Exception {
    AtomicInteger exported = new AtomicInteger();
    TelemetryConsumer<Traces> slow =
        (ctx, d) ->
            CompletableFuture.runAsync(
                () -> exported.addAndGet(d.itemCount()),
                CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
    Processor<Traces> p =
        new BatchProcessorFactory()
            .createTraces(
                Settings.forTest(Kind.PROCESSOR, ComponentId.of("batch"), Signal.TRACES),
                new BatchConfig(Duration.ofSeconds(30), 1000, 0, List.of(), 1000),
                slow);
    p.start(null);
    var up = p.consume(Context.EMPTY, spans("z", 7));
    p.shutdown(Deadline.in(Duration.ofSeconds(5)));
    assertThat(exported).hasValue(7);
    assertThat(up).isCompleted();
    assertThatThrownBy(() -> p.consume(Context.EMPTY, spans("late", 1)).get())
        .cause()
        .isInstanceOf(RetryableException.class)
        .hasMessage("batch processor batch is not running");
    p.shutdown(Deadline.in(Duration.ofMillis(10)));
  }

  @Test
  void configRejectsMaxBelowSize() {
    assertThatThrownBy(() -> new BatchConfig(Duration.ofMillis(200), 100, 50, List.of(), 1000))
        .hasMessage("must be greater than or equal to send_batch_size (100), got 50");
  }

  private static PipelineException failureOf(CompletableFuture<Void> f) {
    assertThat(f).failsWithin(Duration.ofSeconds(5));
    return PipelineException.classify(f.handle((v, e) -> e).join());
  }

  @Test
  void aBatchOfOneRequestPassesTheFailedPartOn() throws Exception {
    HeldSink sink = new HeldSink();
    var p = batch(new BatchConfig(Duration.ofSeconds(30), 5, 0, List.of(), 1000), sink);
    var up = p.consume(Context.EMPTY, spans("a", 5));
    sink.awaitCalls(1);
    Traces failed = spans("a", 2);
    sink.calls
        .get(0)
        .future()
        .completeExceptionally(new RetryableException("2 of 5 failed", null, null, failed));
    PipelineException e = failureOf(up);
    assertThat(e).hasMessage("2 of 5 failed");
    assertThat(e.failed()).containsSame(failed);
  }

  @Test
  void aJoinedBatchThatFailedPartlyFailsEachOfItsRequestsWhole() throws Exception {
    HeldSink sink = new HeldSink();
    var p = batch(new BatchConfig(Duration.ofSeconds(30), 6, 0, List.of(), 1000), sink);
    var a = p.consume(Context.EMPTY, spans("a", 3));
    var b = p.consume(Context.EMPTY, spans("b", 3));
    sink.awaitCalls(1);
    sink.calls
        .get(0)
        .future()
        .completeExceptionally(new RetryableException("1 of 6 failed", null, null, spans("b", 1)));
    for (var up : List.of(a, b)) {
      PipelineException e = failureOf(up);
      assertThat(e).isInstanceOf(RetryableException.class).hasMessage("1 of 6 failed");
      assertThat(e.failed()).as("which items came from which request is not kept").isEmpty();
    }
  }

  @Test
  void aRequestSplitOverBatchesCarriesOnlyThePiecesThatFailed() throws Exception {
    HeldSink sink = new HeldSink();
    var p = batch(new BatchConfig(Duration.ofMillis(50), 4, 4, List.of(), 1000), sink);
    var up = p.consume(Context.EMPTY, spans("s", 10)); // batches of 4, 4 and 2
    sink.awaitCalls(3);
    sink.calls.get(0).future().complete(null);
    sink.calls.get(1).future().completeExceptionally(new RetryableException("backend down"));
    sink.calls.get(2).future().complete(null);
    PipelineException e = failureOf(up);
    assertThat(e).hasMessage("backend down");
    assertThat(e.failed())
        .hasValueSatisfying(d -> assertThat(d).isEqualTo(sink.calls.get(1).data()));
  }
}
