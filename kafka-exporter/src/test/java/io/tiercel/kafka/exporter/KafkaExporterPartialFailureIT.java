package io.tiercel.kafka.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.ExporterFactory;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.ReceiverFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.exporterhelper.QueueConfig;
import io.tiercel.core.exporterhelper.Sizer;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.testing.TestData;
import io.tiercel.testing.component.TestHost;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.junit.jupiter.api.Test;

/**
 * A real broker refuses part of a request for good: after the first records of an attempt were
 * acknowledged, the topic's {@code message.timestamp.before.max.ms} drops to 0, so the broker
 * refuses every further write (its records' timestamps are at least {@code linger.ms} old when they
 * arrive) with INVALID_TIMESTAMP, which the producer reports as an invalid record: permanent. The
 * request fails with exactly the records that were not acknowledged as its failed part, and they
 * are not retried. {@link KafkaExporterRetryPartIT} has the retryable case. The producer and the
 * components here are shared with it.
 */
@KafkaBrokerTest
class KafkaExporterPartialFailureIT {
  static KafkaBroker broker;

  private static final String PROBE = "probe";

  /**
   * The real producer, which runs {@code refuse} (the broker stops taking writes) before its {@code
   * refuseFrom}-th record, once the records before it were acknowledged, and remembers the key of
   * every record it was asked to send (in order), how often each key was acknowledged, and the keys
   * of records that failed with an {@code isRefusal} error.
   */
  static final class RefusingProducer extends KafkaProducer<byte[], byte[]> {
    private final Runnable refuse;
    private final Predicate<Exception> isRefusal;
    private final int refuseFrom;
    final List<String> keys = new CopyOnWriteArrayList<>();
    final Map<String, Integer> acks = new ConcurrentHashMap<>();
    final AtomicInteger refused = new AtomicInteger();
    final Set<String> refusedKeys = ConcurrentHashMap.newKeySet();
    final AtomicInteger metadataTimeouts = new AtomicInteger();

    RefusingProducer(
        Map<String, Object> props,
        Runnable refuse,
        Predicate<Exception> isRefusal,
        int refuseFrom) {
      super(props);
      this.refuse = refuse;
      this.isRefusal = isRefusal;
      this.refuseFrom = refuseFrom;
    }

    @Override
    public java.util.concurrent.Future<RecordMetadata> send(
        ProducerRecord<byte[], byte[]> r, Callback cb) {
      if (keys.size() + 1 == refuseFrom) {
        flush(); // every record before this one is acknowledged
        refuse.run();
      }
      String key = new String(r.key(), StandardCharsets.US_ASCII); // the trace id in hex
      keys.add(key);
      return super.send(
          r,
          (md, ex) -> {
            if (ex == null) {
              acks.merge(key, 1, Integer::sum);
            } else if (isRefusal.test(ex)) {
              refusedKeys.add(key);
              refused.incrementAndGet();
            }
            cb.onCompletion(md, ex);
          });
    }

    /** Counts the attempts that found no metadata: they failed before sending a record. */
    @Override
    public List<org.apache.kafka.common.PartitionInfo> partitionsFor(String topic) {
      try {
        return super.partitionsFor(topic);
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        metadataTimeouts.incrementAndGet();
        throw e;
      }
    }

    /** The keys of the records sent after the first {@code n}. */
    List<String> keysAfter(int n) {
      return keys.subList(n, keys.size());
    }
  }

  private static final String BEFORE_MAX_MS = "message.timestamp.before.max.ms";

  /** Makes the broker refuse every write to {@code topic}, and waits until it does. */
  static void refuseWrites(String topic) {
    alter(topic, new AlterConfigOp(new ConfigEntry(BEFORE_MAX_MS, "0"), AlterConfigOp.OpType.SET));
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.RETRIES_CONFIG, 0);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    // probe records (key "probe", left out of every count) a minute old: refused once it took
    // effect
    try (KafkaProducer<byte[], byte[]> probe = broker.producer(p)) {
      while (System.nanoTime() < deadline) {
        try {
          probe
              .send(
                  new ProducerRecord<>(
                      topic,
                      0,
                      System.currentTimeMillis() - 60_000,
                      PROBE.getBytes(StandardCharsets.UTF_8),
                      new byte[0]))
              .get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof InvalidTimestampException) {
            return;
          }
        }
        Thread.sleep(20);
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError(BEFORE_MAX_MS + " of " + topic + " did not take effect");
  }

  /** Lets the broker take writes to {@code topic} again. */
  static void acceptWrites(String topic) {
    alter(
        topic,
        new AlterConfigOp(new ConfigEntry(BEFORE_MAX_MS, null), AlterConfigOp.OpType.DELETE));
  }

  private static void alter(String topic, AlterConfigOp op) {
    ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try {
      broker
          .admin()
          .incrementalAlterConfigs(Map.of(res, List.<AlterConfigOp>of(op)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("cannot alter the config of " + topic, e);
    }
  }

  /**
   * No retries inside the producer, so the exporter sees each refusal, and a linger that makes
   * every record older than the broker's clock when it arrives.
   */
  static KafkaExporterConfig config(String topic) {
    return config(
        broker,
        topic,
        new ProducerSettings(
            1_000_000,
            104_857_600,
            Acks.ONE,
            ProducerCompression.NONE,
            null,
            0,
            16384,
            true,
            Duration.ofMillis(20),
            0,
            null,
            null,
            null,
            null,
            false));
  }

  static KafkaExporterConfig config(KafkaBroker broker, String topic, ProducerSettings producer) {
    Map<String, Object> m = KafkaExporterIT.base(broker, topic);
    m.put("partition_traces_by_id", true);
    m.put("sending_queue", new QueueConfig(true, 4, 100, Sizer.REQUESTS, false, true, null));
    m.put("producer", producer);
    return KafkaExporterConfigTest.with(m);
  }

  /** The topic's records without the probes: span (hex span id / trace id) -> times seen. */
  static Map<String, Integer> spanCounts(KafkaBroker broker, String topic) throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : KafkaExporterIT.readAll(broker, topic)) {
      if (new String(r.key(), StandardCharsets.UTF_8).equals(PROBE)) {
        continue;
      }
      for (String s : KafkaExporterIT.spans(TracesData.parseFrom(r.value())).keySet()) {
        counts.merge(s, 1, Integer::sum);
      }
    }
    return counts;
  }

  static void await(IntSupplier n, int atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (n.getAsInt() < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(n.getAsInt()).as("records refused").isGreaterThanOrEqualTo(atLeast);
  }

  /** The records the exporters of {@code metrics} counted as failed. */
  static int failedRecords(MetricsRegistry metrics) {
    return (int)
        metrics
            .counter(
                "otelcol_kafka_exporter_records", "", "exporter", "topic", "partition", "outcome")
            .collect()
            .getDataPoints()
            .stream()
            .filter(d -> d.getLabels().get("outcome").equals("failure"))
            .mapToDouble(d -> d.getValue())
            .sum();
  }

  static double counter(Settings s, String name) {
    return s.metrics().counter(name, "", "exporter").labelValues(s.id().toString()).get();
  }

  @Test
  void recordsRefusedForGoodAreThePermanentFailuresPartAndAreNotRetried() throws Exception {
    String topic = "it_refused_part";
    broker.createTopic(topic, 4);
    TracesData data = TestData.tracesData(50, 2, 21); // 50 traces: 50 records, keyed by trace id
    RefusingProducer[] made = new RefusingProducer[1];
    Settings s = KafkaExporterIT.settings("refused");
    KafkaExporter<Traces> e =
        new KafkaExporter<>(
            s,
            config(topic),
            props ->
                made[0] =
                    new RefusingProducer(
                        props,
                        () -> refuseWrites(topic),
                        ex -> ex instanceof InvalidRecordException,
                        31));
    e.start(TestHost.create());
    PipelineException failure;
    try {
      CompletableFuture<Void> f = e.consume(Context.EMPTY, Traces.of(data));
      await(made[0].refused::get, 20);
      failure =
          PipelineException.classify(
              org.assertj.core.api.Assertions.catchThrowable(() -> f.get(30, TimeUnit.SECONDS)));
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(10)));
      acceptWrites(topic);
    }
    RefusingProducer p = made[0];
    assertThat(failure).isInstanceOf(PermanentException.class);
    assertThat(p.refusedKeys).hasSize(20);
    assertThat(p.keys).as("not retried").hasSize(50);
    Map<String, Span> failedSpans =
        KafkaExporterIT.spans(TracesData.parseFrom(failure.failed().orElseThrow().bytes()));
    assertThat(failedSpans).hasSize(40);
    assertThat(failedSpans.keySet())
        .allSatisfy(k -> assertThat(p.refusedKeys).contains(k.substring(k.indexOf('/') + 1)));
    Map<String, Integer> counts = spanCounts(broker, topic);
    Set<String> delivered = new HashSet<>(KafkaExporterIT.spans(data).keySet());
    delivered.removeAll(failedSpans.keySet());
    assertThat(counts.keySet()).isEqualTo(delivered);
    assertThat(Set.copyOf(counts.values())).as("every span exactly once").containsExactly(1);
    assertThat(counter(s, "otelcol_exporter_sent_spans")).isEqualTo(60);
    assertThat(counter(s, "otelcol_exporter_send_failed_spans")).isEqualTo(40);
  }

  /** A receiver whose consumers the test pushes into. */
  static final class PushReceiverFactory implements ReceiverFactory<PushConfig> {
    volatile Consumers next;

    @Override
    public String type() {
      return "push";
    }

    @Override
    public Class<PushConfig> configClass() {
      return PushConfig.class;
    }

    @Override
    public PushConfig createDefaultConfig() {
      return new PushConfig();
    }

    @Override
    public Map<Signal, Stability> signals() {
      return Map.of(Signal.TRACES, Stability.DEVELOPMENT);
    }

    @Override
    public Receiver create(Settings settings, PushConfig config, Consumers next) {
      this.next = next;
      return new Receiver() {
        @Override
        public void start(Host host) {}

        @Override
        public void shutdown(Deadline deadline) {}
      };
    }
  }

  record PushConfig() {}

  /** The {@code kafka} exporter, made with a {@link RefusingProducer}. */
  static final class RefusingKafkaFactory implements ExporterFactory<KafkaExporterConfig> {
    private final Function<Map<String, Object>, RefusingProducer> producers;
    final List<RefusingProducer> made = new CopyOnWriteArrayList<>();

    RefusingKafkaFactory(Function<Map<String, Object>, RefusingProducer> producers) {
      this.producers = producers;
    }

    @Override
    public String type() {
      return "kafka";
    }

    @Override
    public Class<KafkaExporterConfig> configClass() {
      return KafkaExporterConfig.class;
    }

    @Override
    public KafkaExporterConfig createDefaultConfig() {
      return KafkaExporterConfig.defaults();
    }

    @Override
    public Map<Signal, Stability> signals() {
      return Map.of(Signal.TRACES, Stability.ALPHA);
    }

    @Override
    public Exporter<Traces> createTraces(Settings settings, KafkaExporterConfig config) {
      return new KafkaExporter<>(
          settings,
          config,
          props -> {
            RefusingProducer p = producers.apply(props);
            made.add(p);
            return p;
          });
    }
  }
}
