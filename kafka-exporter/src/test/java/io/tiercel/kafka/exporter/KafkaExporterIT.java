package io.tiercel.kafka.exporter;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.exporterhelper.QueueConfig;
import io.tiercel.core.exporterhelper.RetryConfig;
import io.tiercel.core.exporterhelper.Sizer;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.kafka.common.partition.KeyPartitioner;
import io.tiercel.kafka.common.partition.PartitionerType;
import io.tiercel.testing.TestData;
import io.tiercel.testing.component.TestHost;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@KafkaBrokerTest
class KafkaExporterIT {
  static KafkaBroker broker;

  static Map<String, Object> base(String topic) {
    return base(broker, topic);
  }

  /** The config keys every IT sets: the broker, the topic, a small waiting queue, quick retries. */
  static Map<String, Object> base(KafkaBroker broker, String topic) {
    Map<String, Object> m = new HashMap<>();
    m.put("brokers", List.of(broker.bootstrapServers()));
    m.put("traces", new SignalDestination(topic, null, null, null));
    m.put("sending_queue", new QueueConfig(true, 4, 100, Sizer.REQUESTS, false, true, null));
    m.put(
        "retry_on_failure",
        new RetryConfig(
            true, Duration.ofMillis(200), 0.1, 1.5, Duration.ofSeconds(2), Duration.ofSeconds(60)));
    m.put("timeout", Duration.ofSeconds(10));
    return m;
  }

  static Settings settings(String name) {
    return Settings.forTest(Kind.EXPORTER, new ComponentId("kafka", name), Signal.TRACES);
  }

  static KafkaExporter<Traces> start(Settings s, KafkaExporterConfig c) throws Exception {
    KafkaExporter<Traces> e = new KafkaExporter<>(s, c);
    e.start(TestHost.create());
    return e;
  }

  static Map<String, Span> spans(TracesData d) {
    Map<String, Span> m = new HashMap<>();
    for (ResourceSpans rs : d.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          m.put(
              HexFormat.of().formatHex(s.getSpanId().toByteArray())
                  + "/"
                  + TestData.hex(s.getTraceId()),
              s);
        }
      }
    }
    return m;
  }

  /** The trace ids of {@code d}, in hex. */
  static Set<String> traceIds(TracesData d) {
    Set<String> ids = new HashSet<>();
    for (ResourceSpans rs : d.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          ids.add(TestData.hex(s.getTraceId()));
        }
      }
    }
    return ids;
  }

  /** Every record of a topic (the count is taken from the partitions' end offsets). */
  static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaBroker broker, String topic) {
    long total = 0;
    try (var c = broker.consumer(Map.of())) {
      List<org.apache.kafka.common.TopicPartition> tps =
          c.partitionsFor(topic).stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition()))
              .toList();
      for (long end : c.endOffsets(tps).values()) {
        total += end;
      }
    }
    return broker.consumeAll(topic, (int) total, Duration.ofSeconds(60));
  }

  static Map<String, String> headers(ConsumerRecord<byte[], byte[]> r) {
    Map<String, String> h = new HashMap<>();
    for (Header x : r.headers()) {
      h.merge(x.key(), new String(x.value(), UTF_8), (a, b) -> a + "," + b);
    }
    return h;
  }

  @Test
  void tracesKeyedByTraceIdWithHeadersOnTheSaramaPartition() throws Exception {
    broker.createTopic("it_keyed", 6);
    Map<String, Object> m = base("it_keyed");
    m.put("partition_traces_by_id", true);
    m.put("record_headers", Map.of("env", "test"));
    m.put("include_metadata_keys", List.of("x-tenant"));
    m.put("signal_header", true);
    Settings s = settings("keyed");
    KafkaExporter<Traces> e = start(s, KafkaExporterConfigTest.with(m));
    TracesData data = TestData.tracesData(20, 5, 1);
    try {
      e.consume(Context.of(Map.of("X-Tenant", List.of("acme"))), Traces.of(data))
          .get(30, TimeUnit.SECONDS);
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(10)));
    }
    List<ConsumerRecord<byte[], byte[]>> got =
        broker.consumeAll("it_keyed", 20, Duration.ofSeconds(30));
    assertThat(got).hasSize(20);
    KeyPartitioner sarama = new KeyPartitioner(PartitionerType.SARAMA_COMPAT);
    Map<String, Span> received = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : got) {
      TracesData part = TracesData.parseFrom(r.value());
      Map<String, Span> sp = spans(part);
      assertThat(sp).hasSize(5);
      String key = new String(r.key(), US_ASCII);
      assertThat(sp.keySet()).allMatch(k -> k.endsWith("/" + key));
      assertThat(r.partition()).isEqualTo(sarama.partition(r.key(), 6));
      assertThat(headers(r))
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("env", "test", "x-tenant", "acme", "otelcol.signal", "traces"));
      received.putAll(sp);
    }
    assertThat(received).isEqualTo(spans(data));
    // within a partition, the records come in the request's trace order
    List<String> traceOrder = new ArrayList<>();
    for (ResourceSpans rs : data.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span sp : ss.getSpansList()) {
          if (!traceOrder.contains(TestData.hex(sp.getTraceId()))) {
            traceOrder.add(TestData.hex(sp.getTraceId()));
          }
        }
      }
    }
    for (int p = 0; p < 6; p++) {
      int partition = p;
      List<String> keys =
          got.stream()
              .filter(r -> r.partition() == partition)
              .sorted(java.util.Comparator.comparingLong(ConsumerRecord::offset))
              .map(r -> new String(r.key(), US_ASCII))
              .toList();
      assertThat(keys).isEqualTo(traceOrder.stream().filter(keys::contains).toList());
    }
    // the exporter's own metrics count records by topic, partition and outcome
    var records =
        s.metrics()
            .counter(
                "otelcol_kafka_exporter_records", "", "exporter", "topic", "partition", "outcome");
    double total = 0;
    for (int p = 0; p < 6; p++) {
      total += records.labelValues("kafka/keyed", "it_keyed", Integer.toString(p), "success").get();
    }
    assertThat(total).isEqualTo(20);
  }

  @Test
  void topicAndKeyFromClientMetadata() throws Exception {
    broker.createTopic("it_from_meta", 2);
    broker.createTopic("it_static", 2);
    Map<String, Object> m = base("it_static");
    m.put("traces", new SignalDestination("it_static", null, "x-topic", "x-key"));
    KafkaExporter<Traces> e = start(settings("meta"), KafkaExporterConfigTest.with(m));
    try {
      e.consume(
              Context.of(Map.of("x-topic", List.of("it_from_meta"), "x-key", List.of("tenant-7"))),
              TestData.traces(2, 2, 1))
          .get(30, TimeUnit.SECONDS);
      e.consume(Context.EMPTY, TestData.traces(1, 1, 2)).get(30, TimeUnit.SECONDS);
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(10)));
    }
    ConsumerRecord<byte[], byte[]> r =
        broker.consumeAll("it_from_meta", 1, Duration.ofSeconds(30)).get(0);
    assertThat(new String(r.key(), UTF_8)).isEqualTo("tenant-7");
    assertThat(r.partition())
        .isEqualTo(new KeyPartitioner(PartitionerType.SARAMA_COMPAT).partition(r.key(), 2));
    ConsumerRecord<byte[], byte[]> plain =
        broker.consumeAll("it_static", 1, Duration.ofSeconds(30)).get(0);
    assertThat(plain.key()).isNull();
  }

  @Test
  void topicFromResourceAttribute() throws Exception {
    broker.createTopic("checkout", 1);
    Map<String, Object> m = base("it_unused");
    m.put("topic_from_attribute", "service.name");
    KafkaExporter<Traces> e = start(settings("attr"), KafkaExporterConfigTest.with(m));
    Traces t = TestData.traces(1, 2, 3); // one trace: one service, "checkout"
    try {
      e.consume(Context.EMPTY, t).get(30, TimeUnit.SECONDS);
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(10)));
    }
    assertThat(broker.consumeAll("checkout", 1, Duration.ofSeconds(30)).get(0).value())
        .isEqualTo(t.bytes());
  }

  @Test
  void metricsByResourceAndLogsByTraceId() throws Exception {
    broker.createTopic("it_metrics", 4);
    broker.createTopic("it_logs", 4);
    Map<String, Object> m = base("x");
    m.put("metrics", new SignalDestination("it_metrics", null, null, null));
    m.put("logs", new SignalDestination("it_logs", null, null, null));
    m.put("partition_metrics_by_resource_attributes", true);
    m.put("partition_logs_by_trace_id", true);
    KafkaExporterConfig c = KafkaExporterConfigTest.with(m);
    KafkaExporter<io.tiercel.core.pdata.Metrics> me =
        new KafkaExporter<>(
            Settings.forTest(Kind.EXPORTER, ComponentId.of("kafka"), Signal.METRICS), c);
    KafkaExporter<io.tiercel.core.pdata.Logs> le =
        new KafkaExporter<>(
            Settings.forTest(Kind.EXPORTER, ComponentId.of("kafka"), Signal.LOGS), c);
    var metrics = Gen.metrics(3, 2, 2);
    var logs = TestData.logsData(12, 5);
    try {
      me.start(TestHost.create());
      le.start(TestHost.create());
      me.consume(Context.EMPTY, io.tiercel.core.pdata.Metrics.of(metrics))
          .get(30, TimeUnit.SECONDS);
      le.consume(Context.EMPTY, io.tiercel.core.pdata.Logs.of(logs)).get(30, TimeUnit.SECONDS);
    } finally {
      me.shutdown(Deadline.in(Duration.ofSeconds(10)));
      le.shutdown(Deadline.in(Duration.ofSeconds(10)));
    }
    List<ConsumerRecord<byte[], byte[]>> mr =
        broker.consumeAll("it_metrics", 3, Duration.ofSeconds(30));
    Set<String> keys = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : mr) {
      var md = io.opentelemetry.proto.metrics.v1.MetricsData.parseFrom(r.value());
      assertThat(md.getResourceMetricsCount()).isEqualTo(1);
      assertThat(r.key())
          .isEqualTo(WireSplitter.resourceHash(md.getResourceMetrics(0).getResource()));
      keys.add(HexFormat.of().formatHex(r.key()));
    }
    assertThat(keys).hasSize(3);
    List<ConsumerRecord<byte[], byte[]>> lr =
        broker.consumeAll("it_logs", 12, Duration.ofSeconds(30));
    for (ConsumerRecord<byte[], byte[]> r : lr) {
      var ld = io.opentelemetry.proto.logs.v1.LogsData.parseFrom(r.value());
      String key = new String(r.key(), US_ASCII);
      ld.getResourceLogsList()
          .forEach(
              rl ->
                  rl.getScopeLogsList()
                      .forEach(
                          sl ->
                              sl.getLogRecordsList()
                                  .forEach(
                                      rec ->
                                          assertThat(TestData.hex(rec.getTraceId()))
                                              .isEqualTo(key))));
    }
    assertThat(lr).hasSize(12);
  }

  @Test
  void roundRobinSpreadsTracesOverEveryPartitionInTurn() throws Exception {
    broker.createTopic("it_rr", 3);
    Map<String, Object> m = base("it_rr");
    m.put("partition_traces_by_id", true);
    m.put("partitioner", PartitionerType.ROUND_ROBIN);
    KafkaExporter<Traces> e = start(settings("rr"), KafkaExporterConfigTest.with(m));
    try {
      e.consume(Context.EMPTY, TestData.traces(9, 1, 4)).get(30, TimeUnit.SECONDS);
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(10)));
    }
    Map<Integer, Integer> perPartition = new HashMap<>();
    broker
        .consumeAll("it_rr", 9, Duration.ofSeconds(30))
        .forEach(r -> perPartition.merge(r.partition(), 1, Integer::sum));
    assertThat(perPartition).isEqualTo(Map.of(0, 3, 1, 3, 2, 3));
  }

  /**
   * sticky and least_backup leave the partition to the producer's built-in partitioner with keys
   * ignored: 30 keyed records of one request, well under one batch ({@code producer.batch_size}),
   * stay on one partition although their keys hash to several; the keys are still written.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = RecordPartitionerConfig.Strategy.class,
      names = {"STICKY", "LEAST_BACKUP"})
  void producerChosenPartitionersIgnoreKeysAndKeepABatchTogether(
      RecordPartitionerConfig.Strategy strategy) throws Exception {
    String topic = "it_" + strategy.name().toLowerCase(java.util.Locale.ROOT);
    broker.createTopic(topic, 6);
    Map<String, Object> m = base(topic);
    m.put("partition_traces_by_id", true);
    m.put("record_partitioner", new RecordPartitionerConfig(strategy, null, null, null, null));
    KafkaExporter<Traces> e = start(settings(topic), KafkaExporterConfigTest.with(m));
    try {
      e.consume(Context.EMPTY, TestData.traces(30, 1, 11)).get(30, TimeUnit.SECONDS);
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(10)));
    }
    List<ConsumerRecord<byte[], byte[]>> got = broker.consumeAll(topic, 30, Duration.ofSeconds(30));
    assertThat(got).hasSize(30).allSatisfy(r -> assertThat(r.key()).hasSize(32));
    assertThat(got.stream().map(ConsumerRecord::partition).distinct()).hasSize(1);
    KeyPartitioner byKey = new KeyPartitioner(PartitionerType.SARAMA_COMPAT);
    assertThat(got.stream().map(r -> byKey.partition(r.key(), 6)).distinct().count())
        .isGreaterThan(1);
  }

  @Test
  void unkeyedRequestIsOneRecordByteIdenticalToTheRequest() throws Exception {
    broker.createTopic("it_whole", 3);
    KafkaExporter<Traces> e =
        start(settings("whole"), KafkaExporterConfigTest.with(base("it_whole")));
    Traces t = TestData.traces(7, 3, 2);
    try {
      e.consume(Context.EMPTY, t).get(30, TimeUnit.SECONDS);
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(10)));
    }
    List<ConsumerRecord<byte[], byte[]>> got =
        broker.consumeAll("it_whole", 1, Duration.ofSeconds(30));
    assertThat(got).hasSize(1);
    assertThat(got.get(0).key()).isNull();
    assertThat(got.get(0).value()).isEqualTo(t.bytes());
    assertThat(got.get(0).headers().toArray()).isEmpty();
  }

  /**
   * 1,000 traces on a 12-partition topic: each trace is one record on the partition its key hashes
   * to, for the collector's partitioner and for the Java client's (checked against the Java
   * producer's own choice).
   */
  @ParameterizedTest
  @EnumSource(
      value = PartitionerType.class,
      names = {"SARAMA_COMPAT", "MURMUR2"})
  void thousandTracesKeyedOnTwelvePartitions(PartitionerType type) throws Exception {
    String topic = "it_thousand_" + type.id();
    broker.createTopic(topic, 12);
    Map<String, Object> m = base(topic);
    m.put("partition_traces_by_id", true);
    m.put("partitioner", type);
    KafkaExporter<Traces> e =
        start(settings("thousand_" + type.id()), KafkaExporterConfigTest.with(m));
    TracesData data = TestData.tracesData(1000, 4, 3);
    try {
      e.consume(Context.EMPTY, Traces.ofBytes(data.toByteArray())).get(60, TimeUnit.SECONDS);
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(10)));
    }
    List<ConsumerRecord<byte[], byte[]>> got =
        broker.consumeAll(topic, 1000, Duration.ofSeconds(60));
    assertThat(got).hasSize(1000);
    Map<String, Integer> partitionOfTrace = new HashMap<>();
    Set<Integer> used = new HashSet<>();
    KeyPartitioner p = new KeyPartitioner(type);
    Map<String, Span> all = spans(data);
    int spanCount = 0;
    for (ConsumerRecord<byte[], byte[]> r : got) {
      String key = new String(r.key(), US_ASCII);
      assertThat(partitionOfTrace.put(key, r.partition())).as("one record per trace").isNull();
      TracesData part = TracesData.parseFrom(r.value());
      assertThat(part.getResourceSpansCount()).isEqualTo(1);
      ResourceSpans rs = part.getResourceSpans(0);
      assertThat(data.getResourceSpansList())
          .extracting(ResourceSpans::getResource)
          .contains(rs.getResource());
      assertThat(rs.getScopeSpansCount()).isEqualTo(1);
      assertThat(rs.getScopeSpans(0).getScope())
          .isEqualTo(data.getResourceSpans(0).getScopeSpans(0).getScope());
      Map<String, Span> sp = spans(part);
      assertThat(sp)
          .hasSize(4)
          .allSatisfy(
              (k, v) -> {
                assertThat(k).endsWith("/" + key);
                assertThat(all.get(k)).isEqualTo(v);
              });
      spanCount += sp.size();
      assertThat(r.partition()).isEqualTo(p.partition(r.key(), 12));
      used.add(r.partition());
    }
    assertThat(partitionOfTrace.keySet()).isEqualTo(TestData.spansByTrace(data).keySet());
    assertThat(spanCount).isEqualTo(4000);
    assertThat(used).hasSize(12);
    if (type == PartitionerType.MURMUR2) {
      // the Java producer's default partitioner puts the same keys on the same partitions
      String ref = topic + "_java";
      broker.createTopic(ref, 12);
      try (KafkaProducer<byte[], byte[]> raw = broker.producer(Map.of())) {
        for (String key : partitionOfTrace.keySet()) {
          RecordMetadata md =
              raw.send(new ProducerRecord<>(ref, key.getBytes(US_ASCII), new byte[0])).get();
          assertThat(md.partition()).as(key).isEqualTo(partitionOfTrace.get(key));
        }
      }
    }
  }

  @Test
  void tenMegabyteRequestIsSplitBelowMaxMessageBytes() throws Exception {
    broker.createTopic("it_big", 3);
    Map<String, Object> m = base("it_big");
    KafkaExporter<Traces> e = start(settings("big"), KafkaExporterConfigTest.with(m));
    TracesData data = TestData.tracesData(6000, 10, 4);
    assertThat(data.getSerializedSize()).isGreaterThan(10_000_000);
    try {
      e.consume(Context.EMPTY, Traces.ofBytes(data.toByteArray())).get(60, TimeUnit.SECONDS);
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(10)));
    }
    int expected = data.getSerializedSize() / 1_000_000 + 1;
    List<ConsumerRecord<byte[], byte[]>> got = readAll(broker, "it_big");
    Map<String, Span> received = new HashMap<>();
    int count = 0;
    for (ConsumerRecord<byte[], byte[]> r : got) {
      assertThat(r.value().length).isLessThanOrEqualTo(1_000_000);
      Map<String, Span> sp = spans(TracesData.parseFrom(r.value()));
      count += sp.size();
      received.putAll(sp);
    }
    assertThat(got.size()).isBetween(expected, expected + 2);
    assertThat(received).isEqualTo(spans(data));
    assertThat(count).as("every span exactly once").isEqualTo(60_000);
  }

  @Test
  void tenMegabyteRequestAsJsonIsSplitBelowMaxMessageBytes() throws Exception {
    broker.createTopic("it_big_json", 3);
    Map<String, Object> m = base("it_big_json");
    m.put(
        "traces",
        new SignalDestination(
            "it_big_json",
            io.tiercel.kafka.common.encoding.EncodingRef.of(
                io.tiercel.kafka.common.encoding.RecordEncoding.OTLP_JSON),
            null,
            null));
    m.put("partition_traces_by_id", true);
    KafkaExporter<Traces> e = start(settings("big_json"), KafkaExporterConfigTest.with(m));
    TracesData data =
        TestData.tracesData(60, 1000, 8); // 60 traces of ~300 kB protobuf, ~700 kB+ as JSON
    assertThat(data.getSerializedSize()).isGreaterThan(10_000_000);
    try {
      e.consume(Context.EMPTY, Traces.ofBytes(data.toByteArray())).get(120, TimeUnit.SECONDS);
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(10)));
    }
    byte[] json = io.tiercel.core.pdata.json.OtlpJson.encode(Traces.of(data));
    List<ConsumerRecord<byte[], byte[]>> got = readAll(broker, "it_big_json");
    assertThat(got.size()).isGreaterThanOrEqualTo(json.length / 1_000_000);
    Map<String, Span> received = new HashMap<>();
    int count = 0;
    for (ConsumerRecord<byte[], byte[]> r : got) {
      assertThat(r.value().length).isLessThanOrEqualTo(1_000_000);
      TracesData part = io.tiercel.core.pdata.json.OtlpJson.decodeTraces(r.value());
      Map<String, Span> sp = spans(part);
      count += sp.size();
      String key = new String(r.key(), US_ASCII);
      assertThat(sp.keySet()).allMatch(k -> k.endsWith("/" + key));
      received.putAll(sp);
    }
    assertThat(received).isEqualTo(spans(data));
    assertThat(count).as("every span exactly once").isEqualTo(60_000);
  }

  @Test
  void spanLargerThanMaxMessageBytesFailsPermanentlyAfterTheRestIsSent() throws Exception {
    broker.createTopic("it_oversized", 1);
    Map<String, Object> m = base("it_oversized");
    m.put(
        "producer",
        new ProducerSettings(
            2000,
            104_857_600,
            Acks.ONE,
            ProducerCompression.NONE,
            null,
            0,
            16384,
            true,
            Duration.ofMillis(5),
            null,
            null,
            null,
            null,
            null,
            null));
    Settings s = settings("oversized");
    KafkaExporter<Traces> e = start(s, KafkaExporterConfigTest.with(m));
    TracesData small = TestData.tracesData(2, 1, 5);
    TracesData big = Gen.traces(1, 1, 1, 1, 1, 5000);
    TracesData d = small.toBuilder().addAllResourceSpans(big.getResourceSpansList()).build();
    CompletableFuture<Void> f = e.consume(Context.EMPTY, Traces.of(d));
    try {
      assertThat(f)
          .failsWithin(Duration.ofSeconds(30))
          .withThrowableThat()
          .havingRootCause()
          .isInstanceOf(PermanentException.class)
          .withMessageStartingWith(
              "1 spans larger than max_message_bytes (2000) alone, the largest ");
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(10)));
    }
    List<ConsumerRecord<byte[], byte[]>> got =
        broker.consumeAll("it_oversized", 1, Duration.ofSeconds(30));
    assertThat(spans(TracesData.parseFrom(got.get(0).value()))).isEqualTo(spans(small));
    assertThat(
            s.metrics()
                .counter("otelcol_kafka_exporter_oversized_items", "", "exporter", "data_type")
                .labelValues("kafka/oversized", "traces")
                .get())
        .isEqualTo(1);
  }

  /** The codec is the one written in the broker's log segment, batch by batch. */
  @ParameterizedTest
  @EnumSource(ProducerCompression.class)
  void compressionCodecIsOnTheBatch(ProducerCompression codec) throws Exception {
    String topic = "it_codec_" + codec.kafkaName();
    broker.createTopic(topic, 1);
    Map<String, Object> m = base(topic);
    m.put(
        "producer",
        new ProducerSettings(
            1_000_000,
            104_857_600,
            Acks.ALL,
            codec,
            null,
            0,
            1_048_576,
            true,
            Duration.ofMillis(5),
            null,
            null,
            null,
            null,
            null,
            null));
    Settings s = settings("codec_" + codec.kafkaName());
    KafkaExporter<Traces> e = start(s, KafkaExporterConfigTest.with(m));
    try {
      e.consume(Context.EMPTY, TestData.traces(50, 5, 6)).get(30, TimeUnit.SECONDS);
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(10)));
    }
    assertThat(broker.consumeAll(topic, 1, Duration.ofSeconds(30))).hasSize(1);
    List<CompressionType> codecs = new ArrayList<>();
    try (Stream<Path> files = Files.walk(broker.directory())) {
      for (Path log :
          files
              .filter(
                  p ->
                      p.getParent().getFileName().toString().equals(topic + "-0")
                          && p.getFileName().toString().endsWith(".log"))
              .toList()) {
        try (FileRecords fr = FileRecords.open(log.toFile())) {
          for (RecordBatch b : fr.batches()) {
            codecs.add(b.compressionType());
          }
        }
      }
    }
    assertThat(codecs).isNotEmpty().allMatch(c -> c.name.equals(codec.kafkaName()));
    var bytes =
        s.metrics()
            .counter(
                "otelcol_kafka_exporter_bytes_uncompressed",
                "",
                "exporter",
                "topic",
                "partition",
                "outcome")
            .labelValues("kafka/codec_" + codec.kafkaName(), topic, "0", "success")
            .get();
    assertThat(bytes).isEqualTo(TestData.traces(50, 5, 6).bytes().length);
  }

  /**
   * The real producer, except that the first time it sees a key on an odd partition it fails that
   * record with a retryable broker error, without sending it. A retry sends new records for the
   * failed part of the request, with the same keys.
   */
  static class OddPartitionsFailOnce extends KafkaProducer<byte[], byte[]> {
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    private final Set<String> seen = new HashSet<>();

    OddPartitionsFailOnce(Map<String, Object> props) {
      super(props);
    }

    @Override
    public java.util.concurrent.Future<RecordMetadata> send(
        ProducerRecord<byte[], byte[]> r, Callback cb) {
      boolean first;
      synchronized (seen) {
        first =
            seen.add(
                r.partition() + "/" + (r.key() == null ? "" : HexFormat.of().formatHex(r.key())));
      }
      if (first && r.partition() % 2 == 1) {
        failed.incrementAndGet();
        NotEnoughReplicasException ex = new NotEnoughReplicasException("injected");
        cb.onCompletion(null, ex);
        return CompletableFuture.failedFuture(ex);
      }
      sent.incrementAndGet();
      return super.send(r, cb);
    }
  }

  @Test
  void aRetryResendsOnlyTheRecordsThatFailed() throws Exception {
    broker.createTopic("it_partial", 4);
    Map<String, Object> m = base("it_partial");
    m.put("partition_traces_by_id", true);
    OddPartitionsFailOnce[] made = new OddPartitionsFailOnce[1];
    Settings s = settings("partial");
    KafkaExporter<Traces> e =
        new KafkaExporter<>(
            s,
            KafkaExporterConfigTest.with(m),
            props -> {
              made[0] = new OddPartitionsFailOnce(props);
              return made[0];
            });
    e.start(TestHost.create());
    TracesData data = TestData.tracesData(100, 2, 7);
    try {
      e.consume(Context.EMPTY, Traces.of(data)).get(30, TimeUnit.SECONDS);
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(10)));
    }
    List<ConsumerRecord<byte[], byte[]>> got =
        broker.consumeAll("it_partial", 100, Duration.ofSeconds(30));
    assertThat(got).hasSize(100); // no duplicates: the records that succeeded were not sent again
    assertThat(made[0].failed.get()).isPositive();
    assertThat(made[0].sent.get()).isEqualTo(100);
    Map<String, Span> received = new HashMap<>();
    got.forEach(
        r -> {
          try {
            received.putAll(spans(TracesData.parseFrom(r.value())));
          } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
            throw new AssertionError(ex);
          }
        });
    assertThat(received).isEqualTo(spans(data));
    // records are counted once by outcome; the write latency is one observation per attempt and
    // partition for
    // what succeeded (even partitions in the first attempt, odd ones in the retry) and one per
    // failed record
    String[] labels = {"exporter", "topic", "partition", "outcome"};
    var records =
        s.metrics().counter("otelcol_kafka_exporter_records", "", labels).collect().getDataPoints();
    assertThat(
            records.stream()
                .filter(d -> d.getLabels().get("outcome").equals("success"))
                .mapToDouble(d -> d.getValue())
                .sum())
        .isEqualTo(100);
    assertThat(
            records.stream()
                .filter(d -> d.getLabels().get("outcome").equals("failure"))
                .mapToDouble(d -> d.getValue())
                .sum())
        .isEqualTo(made[0].failed.get());
    var latency =
        s.metrics()
            .histogram("otelcol_kafka_exporter_write_latency", "", new double[] {1}, labels)
            .collect()
            .getDataPoints();
    assertThat(
            latency.stream()
                .filter(d -> d.getLabels().get("outcome").equals("success"))
                .mapToLong(d -> d.getCount())
                .sum())
        .isEqualTo(got.stream().mapToInt(ConsumerRecord::partition).distinct().count());
    assertThat(
            latency.stream()
                .filter(d -> d.getLabels().get("outcome").equals("failure"))
                .mapToLong(d -> d.getCount())
                .sum())
        .isEqualTo(made[0].failed.get());
  }

  @Test
  void consumeNeverRunsOnTheCallersThreadAndShutdownIsIdempotent() throws Exception {
    broker.createTopic("it_threads", 1);
    KafkaExporter<Traces> never =
        new KafkaExporter<>(settings("never"), KafkaExporterConfigTest.with(base("x")));
    never.shutdown(Deadline.in(Duration.ofSeconds(1)));
    never.shutdown(Deadline.in(Duration.ofSeconds(1)));
    Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    KafkaExporter<Traces> e =
        new KafkaExporter<>(
            settings("threads"),
            KafkaExporterConfigTest.with(base("it_threads")),
            props ->
                new OddPartitionsFailOnce(props) {
                  @Override
                  public java.util.concurrent.Future<RecordMetadata> send(
                      ProducerRecord<byte[], byte[]> r, Callback cb) {
                    threads.add(Thread.currentThread().getName());
                    return super.send(r, cb);
                  }
                });
    e.start(TestHost.create());
    e.consume(Context.EMPTY, TestData.traces(3, 1, 1)).get(30, TimeUnit.SECONDS);
    e.shutdown(Deadline.in(Duration.ofSeconds(5)));
    e.shutdown(Deadline.in(Duration.ofSeconds(5)));
    assertThat(threads).containsExactly("tiercel-kafka-kafka/threads-traces-send");
    assertThat(e.consume(Context.EMPTY, TestData.traces(1, 1, 1)))
        .failsWithin(Duration.ofSeconds(1))
        .withThrowableOfType(ExecutionException.class);
  }
}
