package io.tiercel.benchmarks.load;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The raw Kafka clients of a pass: the producer that writes the per-trace records the ingestion
 * tier would (its baseline, and the processing phase's pre-fill and live load), and the consumer
 * that reads them back (the processing tier's baseline).
 */
final class RawKafka {
  private final LoadTool.Kafka kafka;
  private final Workload data;
  private final LoadTool.Settings s;
  private final PrintStream out;
  private final AtomicInteger seq;

  /**
   * @param seq the stamp sequence the pass's other load shares, so that every trace sent is unique
   */
  RawKafka(
      LoadTool.Kafka kafka,
      Workload data,
      LoadTool.Settings s,
      PrintStream out,
      AtomicInteger seq) {
    this.kafka = kafka;
    this.data = data;
    this.s = s;
    this.out = out;
    this.seq = seq;
  }

  /**
   * The same per-trace records the tier writes, sent by a raw producer with the exporter's
   * settings: as many spans as the tier had in its warm-up and its window (not for as long: at max
   * rate the producer would write gigabytes, and the broker of a small machine then stalled the
   * next phase's producer for minutes).
   */
  Result.Baseline producerBaseline(int pass, long warmSpans, long spans) throws Exception {
    String topic = "load_raw_producer_" + pass;
    kafka.createTopic(topic, s.partitions());
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      producer.partitionsFor(topic);
      Pacer.Unit unit = recordsUnit(producer, topic);
      Duration limit = s.warmup().plus(s.duration()).multipliedBy(3);
      Pacer.run(limit, warmSpans, s.rate(), s.window(), 0, s.spansPerRequest(), unit);
      double cpu0 = ProcStat.cpuSeconds(ProcStat.self());
      long t0 = System.nanoTime();
      Pacer.Sent m = Pacer.run(limit, spans, s.rate(), s.window(), 0, s.spansPerRequest(), unit);
      double secs = (System.nanoTime() - t0) / 1e9;
      double cpu = ProcStat.cpuSeconds(ProcStat.self()) - cpu0;
      if (m.failedUnits() > 0) {
        throw new IllegalStateException("the raw producer failed", m.firstFailure());
      }
      out.printf(
          Locale.ROOT,
          "  raw KafkaProducer: %,d spans in %.1f s = %,.0f spans/s, %.2f CPU-s/M spans (tool "
              + "process)%n",
          m.ackedSpans(),
          secs,
          m.ackedSpans() / secs,
          cpu / (m.ackedSpans() / 1e6));
      return new Result.Baseline("raw KafkaProducer", m.ackedSpans(), secs, cpu, m.ackedBytes());
    } finally {
      kafka.deleteTopic(topic);
    }
  }

  /**
   * Unit i = the per-trace records of request i, stamped; acknowledged when Kafka acknowledged all
   * of them.
   */
  Pacer.Unit recordsUnit(KafkaProducer<byte[], byte[]> producer, String topic) {
    return (i, micros) -> {
      List<Workload.Template> recs = data.records(i);
      int stamp = seq.incrementAndGet();
      CompletableFuture<Void> done = new CompletableFuture<>();
      AtomicInteger left = new AtomicInteger(recs.size());
      long bytes = 0;
      for (Workload.Template t : recs) {
        byte[] v = t.stamp(micros, stamp);
        byte[] k = t.traceIdHex(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        bytes += v.length + k.length;
        producer.send(
            new ProducerRecord<>(topic, k, v),
            (md, e) -> {
              if (e != null) {
                done.completeExceptionally(e);
              } else if (left.decrementAndGet() == 0) {
                done.complete(null);
              }
            });
      }
      return new Pacer.Pending(done, bytes);
    };
  }

  KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    // the kafka exporter's settings in the built-in config: acks=all, lz4, its default linger and
    // batch size
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
    p.put(
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
        300_000); // a loaded machine's broker may stall for a while
    // not idempotent: on the loaded 2-core machine, after a timed-out request the idempotent
    // producer's partition
    // went into an OutOfOrderSequenceException loop (the broker log) and its records expired
    // unsent; acks=all
    // still means the records are durable, and the load has no retries to deduplicate
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    return new KafkaProducer<>(p);
  }

  /**
   * A raw consumer (assign + seek, no group) reading the same records, counting spans on the wire.
   */
  Result.Baseline consumerBaseline(String topic, long spans, Duration limit) throws Exception {
    try (TopicReader reader = new TopicReader(kafka.bootstrap, topic)) {
      double cpu0 = ProcStat.cpuSeconds(ProcStat.self());
      long t0 = System.nanoTime();
      if (!reader.drain(spans, limit)) {
        throw new IllegalStateException(
            "the raw consumer read only " + reader.spans() + " of " + spans + " spans");
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      double cpu = ProcStat.cpuSeconds(ProcStat.self()) - cpu0;
      out.printf(
          Locale.ROOT,
          "  raw KafkaConsumer: %,d spans in %.1f s = %,.0f spans/s, %.2f CPU-s/M spans (tool "
              + "process)%n",
          reader.spans(),
          secs,
          reader.spans() / secs,
          cpu / (reader.spans() / 1e6));
      return new Result.Baseline("raw KafkaConsumer", reader.spans(), secs, cpu, reader.bytes());
    }
  }
}
