package io.tiercel.kafka.receiver;

import com.sun.management.OperatingSystemMXBean;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.kafka.common.encoding.RecordEncoding;
import io.tiercel.testing.TestData;
import io.tiercel.testing.component.TestHost;
import io.tiercel.testing.kafka.KafkaBroker;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * The end-to-end figure for docs/BENCHMARKS.md (not a test; run by hand, see the README): a
 * child-JVM broker so that this process's CPU is the client's only; the same topic read by a raw
 * {@code KafkaConsumer} and by the receiver into a no-op pipeline, three passes each, medians
 * printed; plus the decode cost per record (a timed loop, not JMH: the project has no JMH module
 * yet).
 */
public final class ReceiverThroughput {
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private ReceiverThroughput() {}

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int partitions = 6;
    byte[] value = TestData.traces(5, 4, 42).bytes(); // 20 spans
    int spansPerRecord = 20;
    decodeCost(value);
    try (KafkaBroker broker = KafkaBroker.startChildJvm()) {
      broker.createTopic("bench", partitions);
      try (KafkaProducer<byte[], byte[]> p =
          broker.producer(Map.of("acks", "1", "linger.ms", 5, "batch.size", 1 << 20))) {
        for (int i = 0; i < records; i++) {
          p.send(new ProducerRecord<>("bench", TestData.traces(5, 4, i).bytes()));
        }
        p.flush();
      }
      long spans = (long) records * spansPerRecord;
      System.out.printf(
          "topic: %d records of %d bytes (%d spans each), %d partitions%n",
          records, value.length, spansPerRecord, partitions);
      List<double[]> raw = new ArrayList<>();
      List<double[]> rec = new ArrayList<>();
      for (int pass = 0; pass < 3; pass++) {
        raw.add(rawConsumer(broker, records, partitions));
        rec.add(receiver(broker, spans, pass));
      }
      double[] r = median(raw);
      double[] t = median(rec);
      System.out.printf(
          "raw KafkaConsumer: %.0f spans/s, %.3f CPU s per million spans%n",
          spans / r[0], r[1] / spans * 1e6);
      System.out.printf(
          "kafka receiver -> no-op: %.0f spans/s, %.3f CPU s per million spans%n",
          spans / t[0], t[1] / spans * 1e6);
      System.out.printf(
          "ratio receiver/raw: throughput %.2f, CPU %.2f%n", r[0] / t[0], t[1] / r[1]);
    }
  }

  private static void decodeCost(byte[] value) {
    RecordDecoder dec = new RecordDecoder(HeaderExtraction.NONE);
    ConsumerRecord<byte[], byte[]> rec =
        new ConsumerRecord<>(
            "t",
            0,
            0L,
            0L,
            TimestampType.CREATE_TIME,
            0,
            value.length,
            null,
            value,
            new RecordHeaders(),
            Optional.empty());
    long sink = 0;
    for (int round = 0; round < 5; round++) {
      long t0 = System.nanoTime();
      int n = 200_000;
      for (int i = 0; i < n; i++) {
        sink += dec.decode(Signal.TRACES, RecordEncoding.OTLP_PROTO, rec).serializedSize();
        sink += RecordDecoder.context(rec).metadata().size();
      }
      long dt = System.nanoTime() - t0;
      if (round == 4) {
        System.out.printf(
            "decode + check + context per record (%d bytes, 20 spans): %.2f us (%d)%n",
            value.length, dt / 1e3 / n, sink % 10);
      }
    }
  }

  private static double[] rawConsumer(KafkaBroker broker, int records, int partitions) {
    long cpu0 = OS.getProcessCpuTime();
    long t0 = System.nanoTime();
    int n = 0;
    try (KafkaConsumer<byte[], byte[]> c = broker.consumer(Map.of())) {
      List<TopicPartition> tps = new ArrayList<>();
      for (int i = 0; i < partitions; i++) {
        tps.add(new TopicPartition("bench", i));
      }
      c.assign(tps);
      c.seekToBeginning(tps);
      while (n < records) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
          n += r.value().length > 0 ? 1 : 0;
        }
      }
    }
    return new double[] {(System.nanoTime() - t0) / 1e9, (OS.getProcessCpuTime() - cpu0) / 1e9};
  }

  private static double[] receiver(KafkaBroker broker, long spans, int pass) throws Exception {
    AtomicLong seen = new AtomicLong();
    TelemetryConsumer<Traces> noop =
        (ctx, data) -> {
          seen.addAndGet(data.itemCount());
          return TelemetryConsumer.done();
        };
    ConfigBuilder b = new ConfigBuilder();
    b.brokers = List.of(broker.bootstrapServers());
    b.groupId = "bench-" + pass;
    b.initialOffset = InitialOffset.EARLIEST;
    b.traces = SignalTopics.of("bench");
    b.metrics = SignalTopics.of("bench-m");
    b.logs = SignalTopics.of("bench-l");
    long cpu0 = OS.getProcessCpuTime();
    long t0 = System.nanoTime();
    Receiver r =
        new KafkaReceiverFactory()
            .create(
                Settings.forTest(Kind.RECEIVER, new ComponentId("kafka", "bench"), null),
                b.build(),
                new Consumers(noop, null, null));
    r.start(TestHost.create());
    while (seen.get() < spans) {
      Thread.sleep(5);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = (OS.getProcessCpuTime() - cpu0) / 1e9;
    r.shutdown(Deadline.in(Duration.ofSeconds(10)));
    return new double[] {wall, cpu};
  }

  private static double[] median(List<double[]> runs) {
    List<Double> w = new ArrayList<>();
    List<Double> c = new ArrayList<>();
    for (double[] x : runs) {
      w.add(x[0]);
      c.add(x[1]);
    }
    Collections.sort(w);
    Collections.sort(c);
    return new double[] {w.get(w.size() / 2), c.get(c.size() / 2)};
  }
}
