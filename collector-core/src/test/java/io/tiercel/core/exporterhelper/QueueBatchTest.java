package io.tiercel.core.exporterhelper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.profiles.v1development.Profile;
import io.opentelemetry.proto.profiles.v1development.ProfilesData;
import io.opentelemetry.proto.profiles.v1development.ResourceProfiles;
import io.opentelemetry.proto.profiles.v1development.Sample;
import io.opentelemetry.proto.profiles.v1development.ScopeProfiles;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.config.ConfigBinder;
import io.tiercel.core.config.ConfigException;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.pdata.Batches;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Profiles;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code sending_queue.batch}: merging, splitting, timeouts, failures and the config's rules. */
class QueueBatchTest {
  private static final RetryConfig FAST_RETRY =
      new RetryConfig(
          true, Duration.ofMillis(5), 0.5, 1.5, Duration.ofMillis(20), Duration.ofSeconds(10));
  private static final Duration LONG = Duration.ofSeconds(30);
  private final Settings settings =
      Settings.forTest(Kind.EXPORTER, ComponentId.parse("test/b"), Signal.TRACES);
  private final List<ExporterHelper<Traces>> helpers = new ArrayList<>();
  private final List<Integer> sentSizes = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (ExporterHelper<Traces> h : helpers) {
      h.shutdown(Deadline.in(Duration.ofMillis(200)));
    }
  }

  private static QueueBatchConfig batch(Duration flush, long min, long max) {
    return new QueueBatchConfig(null, flush, Sizer.ITEMS, min, max, null);
  }

  private ExporterHelper<Traces> helper(QueueBatchConfig b, int consumers, Sender<Traces> s) {
    QueueConfig q = new QueueConfig(true, consumers, 1000, Sizer.REQUESTS, false, true, null, b);
    ExporterHelper<Traces> h = new ExporterHelper<>(settings, Duration.ZERO, FAST_RETRY, q, s);
    h.start();
    helpers.add(h);
    return h;
  }

  private Sender<Traces> recording() {
    return (ctx, d) -> {
      sentSizes.add(d.itemCount());
      return CompletableFuture.completedFuture(null);
    };
  }

  private double counter(String name) {
    for (MetricSnapshot m : settings.metrics().prometheus().scrape()) {
      if (m.getMetadata().getName().equals(name) && m instanceof CounterSnapshot c) {
        return c.getDataPoints().stream()
            .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
            .sum();
      }
    }
    return -1;
  }

  @Test
  void profilesRequestsAreSentOneEachWithBatchingOn() throws Exception {
    // a profiles request indexes into its own dictionary, so two are never joined
    Settings ps = Settings.forTest(Kind.EXPORTER, ComponentId.parse("test/p"), Signal.PROFILES);
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    QueueConfig q =
        new QueueConfig(true, 1, 1000, Sizer.REQUESTS, false, true, null, batch(LONG, 10, 0));
    ExporterHelper<Profiles> h =
        new ExporterHelper<>(
            ps,
            Duration.ZERO,
            FAST_RETRY,
            q,
            (ctx, d) -> {
              sizes.add(d.itemCount());
              return CompletableFuture.completedFuture(null);
            });
    h.start();
    try {
      var a = h.consume(Context.EMPTY, profiles(3));
      var b = h.consume(Context.EMPTY, profiles(4));
      CompletableFuture.allOf(a, b).get(5, TimeUnit.SECONDS);
      assertThat(sizes).containsExactly(3, 4);
    } finally {
      h.shutdown(Deadline.in(Duration.ofMillis(200)));
    }
  }

  private static Profiles profiles(int samples) {
    Profile.Builder p = Profile.newBuilder();
    for (int i = 0; i < samples; i++) {
      p.addSamples(Sample.newBuilder());
    }
    return Profiles.of(
        ProfilesData.newBuilder()
            .addResourceProfiles(
                ResourceProfiles.newBuilder()
                    .addScopeProfiles(ScopeProfiles.newBuilder().addProfiles(p)))
            .build());
  }

  @Test
  void mergesRequestsUntilMinSize() throws Exception {
    var h = helper(batch(LONG, 10, 0), 1, recording());
    List<CompletableFuture<Void>> results = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      results.add(h.consume(Context.EMPTY, ExporterHelperTest.spans(3)));
    }
    CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    assertThat(sentSizes).containsExactly(12); // 3 + 3 + 3 < 10, the fourth request makes 12
    assertThat(counter("otelcol_exporter_sent_spans")).isEqualTo(12);
  }

  @Test
  void flushTimeoutSendsWhatIsThere() throws Exception {
    var h = helper(batch(Duration.ofMillis(300), 1000, 0), 2, recording());
    var a = h.consume(Context.EMPTY, ExporterHelperTest.spans(3));
    var b = h.consume(Context.EMPTY, ExporterHelperTest.spans(4));
    CompletableFuture.allOf(a, b).get(5, TimeUnit.SECONDS);
    assertThat(sentSizes).containsExactly(7);
    assertThat(counter("otelcol_exporter_sent_spans")).isEqualTo(7);
  }

  @Test
  void splitsAtMaxSize() throws Exception {
    var h = helper(batch(Duration.ofMillis(50), 5, 5), 1, recording());
    h.consume(Context.EMPTY, ExporterHelperTest.spans(12)).get(5, TimeUnit.SECONDS);
    assertThat(sentSizes).containsExactly(5, 5, 2); // the last 2 after flush_timeout
    assertThat(counter("otelcol_exporter_sent_spans")).isEqualTo(12);
  }

  @Test
  void bytesSizerSplitsUnderMaxSizeBytes() throws Exception {
    Traces one = ExporterHelperTest.spans(1);
    Traces forty = ExporterHelperTest.spans(40);
    long max = forty.serializedSize() / 4;
    List<Integer> bytes = new CopyOnWriteArrayList<>();
    var h =
        helper(
            new QueueBatchConfig(null, Duration.ofMillis(20), Sizer.BYTES, 0L, max, null),
            1,
            (ctx, d) -> {
              bytes.add(d.serializedSize());
              sentSizes.add(d.itemCount());
              return CompletableFuture.completedFuture(null);
            });
    h.consume(Context.EMPTY, forty).get(5, TimeUnit.SECONDS);
    assertThat(sentSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(40);
    assertThat(sentSizes.size()).isGreaterThanOrEqualTo(4);
    assertThat(bytes).allMatch(b -> b <= max);
    assertThat(one.serializedSize()).isLessThan((int) max);
  }

  @Test
  void aFailedBatchFailsOnlyThePiecesItCarried() throws Exception {
    // max 4: a(3) + b's first span go together and are sent; b's other 2 spans fail for good
    AtomicInteger calls = new AtomicInteger();
    var h =
        helper(
            batch(Duration.ofMillis(300), 4, 4),
            1,
            (ctx, d) -> {
              sentSizes.add(d.itemCount());
              return calls.incrementAndGet() == 1
                  ? CompletableFuture.completedFuture(null)
                  : CompletableFuture.failedFuture(new PermanentException("rejected"));
            });
    var a = h.consume(Context.EMPTY, ExporterHelperTest.spans(3));
    Traces bData = ExporterHelperTest.spans(3);
    var b = h.consume(Context.EMPTY, bData);
    a.get(5, TimeUnit.SECONDS);
    assertThatThrownBy(() -> b.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(PermanentException.class)
        .hasMessage("rejected");
    PipelineException failure = PipelineException.classify(b.handle((v, e) -> e).get());
    // the failed part that comes back is b's last two spans, the piece the failed batch carried
    assertThat(failure.failed()).contains(tail(bData));
    assertThat(sentSizes).containsExactly(4, 2);
    assertThat(counter("otelcol_exporter_sent_spans")).isEqualTo(4);
    assertThat(counter("otelcol_exporter_send_failed_spans")).isEqualTo(2);
  }

  private static OtlpData tail(Traces t) {
    List<Traces> parts = Batches.split(t, 1);
    return Batches.join(parts.subList(1, parts.size()));
  }

  @Test
  void aMergedBatchThatFailsFailsEveryRequestInItWhole() {
    var h =
        helper(
            batch(LONG, 6, 0),
            1,
            (ctx, d) -> {
              sentSizes.add(d.itemCount());
              // the backend names one span of the merged six as failed
              return CompletableFuture.failedFuture(
                  new PermanentException("bad span", null, Batches.split(d, 1).get(0)));
            });
    var a = h.consume(Context.EMPTY, ExporterHelperTest.spans(3));
    var b = h.consume(Context.EMPTY, ExporterHelperTest.spans(3));
    for (var f : List.of(a, b)) {
      assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(PermanentException.class)
          .hasMessage("bad span");
      // which request the failed span came from is not known: each request failed whole
      assertThat(PipelineException.classify(f.handle((v, e) -> e).join()).failed()).isEmpty();
    }
    assertThat(sentSizes).containsExactly(6);
    assertThat(counter("otelcol_exporter_sent_spans")).isEqualTo(5);
    assertThat(counter("otelcol_exporter_send_failed_spans")).isEqualTo(1);
  }

  @Test
  void aMergedBatchsRetryablePartIsRetriedAndEveryRequestSucceeds() throws Exception {
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    var h =
        helper(
            batch(LONG, 6, 0),
            1,
            (ctx, d) -> {
              attempts.add(d.itemCount());
              if (attempts.size() == 1) {
                return CompletableFuture.failedFuture(
                    new RetryableException("busy", null, null, Batches.split(d, 2).get(0)));
              }
              return CompletableFuture.completedFuture(null);
            });
    var a = h.consume(Context.EMPTY, ExporterHelperTest.spans(3));
    var b = h.consume(Context.EMPTY, ExporterHelperTest.spans(3));
    CompletableFuture.allOf(a, b).get(5, TimeUnit.SECONDS);
    assertThat(attempts).containsExactly(6, 2); // only the failed part went again
    assertThat(counter("otelcol_exporter_sent_spans")).isEqualTo(6);
    assertThat(counter("otelcol_exporter_send_failed_spans")).isZero();
  }

  @Test
  void partitionsByMetadataKeys() throws Exception {
    List<Context> contexts = new CopyOnWriteArrayList<>();
    var h =
        helper(
            new QueueBatchConfig(
                null,
                Duration.ofMillis(300),
                Sizer.ITEMS,
                100L,
                0L,
                new QueueBatchConfig.Partition(List.of("Tenant"))),
            2,
            (ctx, d) -> {
              contexts.add(ctx);
              sentSizes.add(d.itemCount());
              return CompletableFuture.completedFuture(null);
            });
    Context a = Context.of(Map.of("tenant", List.of("a"), "other", List.of("x")));
    Context b = Context.of(Map.of("tenant", List.of("b")));
    CompletableFuture.allOf(
            h.consume(a, ExporterHelperTest.spans(1)),
            h.consume(b, ExporterHelperTest.spans(2)),
            h.consume(a, ExporterHelperTest.spans(3)))
        .get(5, TimeUnit.SECONDS);
    assertThat(sentSizes).containsExactlyInAnyOrder(4, 2);
    assertThat(contexts)
        .containsExactlyInAnyOrder(
            Context.of(Map.of("tenant", List.of("a"))), Context.of(Map.of("tenant", List.of("b"))));
  }

  @Test
  void shutdownSendsTheOpenBatch() throws Exception {
    var h = helper(batch(LONG, 1000, 0), 1, recording());
    var a = h.consume(Context.EMPTY, ExporterHelperTest.spans(5));
    assertThat(a).isNotDone();
    h.shutdown(Deadline.in(Duration.ofSeconds(5)));
    a.get(1, TimeUnit.SECONDS);
    assertThat(sentSizes).containsExactly(5);
  }

  // ---- config

  private static QueueConfig bind(String yaml) throws ConfigException {
    Object tree = new org.yaml.snakeyaml.Yaml().load(yaml);
    return ConfigBinder.bind(QueueConfig.class, QueueConfig.DEFAULT, tree, "sending_queue");
  }

  @Test
  void batchIsOffUnlessGivenAndAnEmptySectionTakesTheDefaults() throws Exception {
    assertThat(bind("num_consumers: 2").batch()).isNull();
    QueueBatchConfig b = bind("batch:").batch();
    assertThat(b.flushTimeout()).isEqualTo(Duration.ofMillis(200));
    assertThat(b.minSize()).isEqualTo(8192);
    assertThat(b.maxSize()).isZero();
    assertThat(b.sizer()).isEqualTo(Sizer.ITEMS);
    assertThat(b.partition().metadataKeys()).isEmpty();
    assertThat(bind("batch: {enabled: false}").batch()).isNull();
  }

  @Test
  void batchSizerComesFromTheQueueWhenNotGiven() throws Exception {
    assertThat(bind("{sizer: bytes, queue_size: 2000, batch: {min_size: 100}}").batch().sizer())
        .isEqualTo(Sizer.BYTES);
    // an empty section keeps its own default
    assertThat(bind("{sizer: bytes, batch: }").batch().sizer()).isEqualTo(Sizer.ITEMS);
    assertThat(bind("{queue_size: 2000, batch: {min_size: 100}}").batch().sizer())
        .isEqualTo(Sizer.ITEMS);
    assertThat(bind("{sizer: items, batch: {sizer: bytes}}").batch().sizer())
        .isEqualTo(Sizer.BYTES);
  }

  @Test
  void batchErrorsNameTheKey() {
    assertThatThrownBy(() -> bind("batch: {sizer: requests}"))
        .hasMessage(
            "sending_queue.batch.sizer: batching supports only the items or bytes sizer, got"
                + " \"requests\"");
    assertThatThrownBy(() -> bind("batch: {flush_timeout: 0s}"))
        .hasMessage("sending_queue.batch.flush_timeout: must be positive, got PT0S");
    assertThatThrownBy(() -> bind("batch: {min_size: -1}"))
        .hasMessage("sending_queue.batch.min_size: must not be negative, got -1");
    assertThatThrownBy(() -> bind("batch: {max_size: 1024, min_size: 2048}"))
        .hasMessage(
            "sending_queue.batch.max_size: must be greater than or equal to min_size (2048), got"
                + " 1024");
    assertThatThrownBy(() -> bind("{sizer: items, queue_size: 100, batch: {min_size: 101}}"))
        .hasMessage(
            "sending_queue.batch.min_size: must be less than or equal to queue_size (100) when the"
                + " batch and the queue use the same sizer, got 101");
    assertThatThrownBy(() -> bind("batch: {partition: {metadata_keys: [a, A]}}"))
        .hasMessage(
            "sending_queue.batch.partition.metadata_keys: duplicate entry \"a\" (keys are"
                + " case-insensitive)");
    assertThatThrownBy(() -> bind("batch: {min_sise: 1}"))
        .hasMessageStartingWith("sending_queue.batch: unknown key \"min_sise\"");
  }
}
