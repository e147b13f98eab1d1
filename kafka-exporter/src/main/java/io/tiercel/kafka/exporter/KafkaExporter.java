package io.tiercel.kafka.exporter;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.exporterhelper.ExporterHelper;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.kafka.common.config.ClientConfig;
import io.tiercel.kafka.common.encoding.RecordEncoding;
import io.tiercel.kafka.common.partition.KeyPartitioner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The {@code kafka} exporter for one signal: encodes each request, splits it by trace id or
 * resource (and below {@code max_message_bytes}) on the wire, picks partitions with the configured
 * partitioner and writes the records with one {@link KafkaProducer}, behind the shared queue/retry
 * chain.
 *
 * <p>Threads: {@link #consume} never blocks and never touches the producer; each attempt runs on
 * this exporter's own send thread (where {@code KafkaProducer.send} may block on metadata or a full
 * buffer), and its future completes on the producer's I/O thread when every record was
 * acknowledged. A retry sends only the records that failed with a retryable error.
 *
 * @param <T> the signal's data type
 */
public final class KafkaExporter<T extends OtlpData> implements Exporter<T> {
  private static final double[] LATENCY_BUCKETS = {
    0, 0.005, 0.010, 0.025, 0.050, 0.075, 0.100, 0.250, 0.500, 0.750, 1, 2.5, 5, 7.5, 10, 25, 50,
    75, 100
  };
  private static final int SEND_QUEUE = 1024;

  private final Settings settings;
  private final KafkaExporterConfig config;
  private final ClientConfig client;
  private final Signal signal;
  private final Function<Map<String, Object>, Producer<byte[], byte[]>> producerFactory;
  private final ExporterHelper<T> helper;
  private final KeyPartitioner partitioner;
  private final RecordEncoding encoding;
  private final WireSplitter.KeyBy keyBy;
  private final String staticTopic;
  private final List<Header> staticHeaders;
  private final Leftovers<Pending> leftovers = new Leftovers<>();
  // per topic: [success, failure][partition], filled on first use (no allocation per record
  // afterwards)
  private final ConcurrentHashMap<
          String, java.util.concurrent.atomic.AtomicReferenceArray<RecordMetrics>>
      recordMetrics = new ConcurrentHashMap<>();
  private final Counter records;
  private final Counter bytes;
  private final Counter bytesUncompressed;
  private final Histogram writeLatency;
  private final CounterDataPoint oversized;
  private final Object lifecycleLock = new Object();

  private volatile Producer<byte[], byte[]> producer;
  private volatile ThreadPoolExecutor sendThread;
  private volatile Thread warmer;
  private volatile boolean stopped;
  private volatile double compressionRate = 1.0;
  private volatile long compressionRateReadNanos;

  /** Records an attempt still has to send, and the permanent failures met so far. */
  private record Pending(List<ProducerRecord<byte[], byte[]>> records, String permanent) {}

  private record RecordMetrics(
      CounterDataPoint records,
      CounterDataPoint bytes,
      CounterDataPoint bytesUncompressed,
      DistributionDataPoint latency) {}

  /** An exporter writing with a {@link KafkaProducer}; nothing is opened until {@link #start}. */
  public KafkaExporter(Settings settings, KafkaExporterConfig config) {
    this(settings, config, KafkaProducer::new);
  }

  /**
   * @param producerFactory makes the producer from its properties at {@link #start} (tests wrap the
   *     real one)
   */
  KafkaExporter(
      Settings settings,
      KafkaExporterConfig config,
      Function<Map<String, Object>, Producer<byte[], byte[]>> producerFactory) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.config = Objects.requireNonNull(config, "config");
    this.client = config.client();
    this.signal = Objects.requireNonNull(settings.signal(), "settings.signal");
    this.producerFactory = Objects.requireNonNull(producerFactory, "producerFactory");
    this.helper =
        new ExporterHelper<>(
            settings, Duration.ZERO, config.retryOnFailure(), config.sendingQueue(), this::send);
    this.partitioner = new KeyPartitioner(config.partitionerType());
    this.encoding = config.encodingFor(signal);
    this.keyBy = config.keyBy(signal);
    this.staticTopic = config.topicFor(signal);
    List<Header> headers = new ArrayList<>();
    config
        .recordHeaders()
        .forEach((k, v) -> headers.add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
    if (config.signalHeader()) {
      headers.add(
          new RecordHeader(
              KafkaExporterConfig.SIGNAL_HEADER, signal.id().getBytes(StandardCharsets.UTF_8)));
    }
    this.staticHeaders = List.copyOf(headers);
    var m = settings.metrics();
    String[] labels = {"exporter", "topic", "partition", "outcome"};
    records =
        m.counter("otelcol_kafka_exporter_records", "The number of exported records.", labels);
    bytes =
        m.counter(
            "otelcol_kafka_exporter_bytes",
            "The size in bytes of exported records as written (compressed; estimated from the"
                + " producer's compression rate).",
            labels);
    bytesUncompressed =
        m.counter(
            "otelcol_kafka_exporter_bytes_uncompressed",
            "The uncompressed size in bytes of exported records.",
            labels);
    writeLatency =
        m.histogram(
            "otelcol_kafka_exporter_write_latency",
            "The time it took in seconds to export a batch of records: per attempt and partition,"
                + " from the attempt's first send to the acknowledgement of its last record on that"
                + " partition.",
            LATENCY_BUCKETS,
            labels);
    oversized =
        m.counter(
                "otelcol_kafka_exporter_oversized_items",
                "Items (spans, metrics, log records) larger than max_message_bytes on their own:"
                    + " not sent, failed permanently.",
                "exporter",
                "data_type")
            .labelValues(settings.id().toString(), signal.id());
  }

  @Override
  public boolean reportsOwnMetrics() {
    return true;
  }

  /**
   * Creates the producer and the send thread, and fetches the topic's metadata in the background (a
   * broker that is down at start is not an error: sends fail with retryable errors until it is
   * back).
   */
  @Override
  public void start(Host host) {
    synchronized (lifecycleLock) {
      if (producer != null || stopped) {
        return;
      }
      String base = "tiercel-kafka-" + settings.id() + "-" + signal;
      client
          .insecureWarning()
          .ifPresent(w -> settings.logger().warn("Exporter {}: {}", settings.id(), w));
      producer = producerFactory.apply(ProducerProperties.of(config, client));
      sendThread =
          new ThreadPoolExecutor(
              1,
              1,
              0,
              TimeUnit.MILLISECONDS,
              new ArrayBlockingQueue<>(SEND_QUEUE),
              r -> {
                Thread t = new Thread(r, base + "-send");
                t.setDaemon(true);
                return t;
              });
      helper.start(host);
      Thread w = new Thread(this::warmMetadata, base + "-metadata");
      w.setDaemon(true);
      warmer = w;
      w.start();
    }
  }

  private void warmMetadata() {
    var retry = config.metadata().retry();
    for (int attempt = 0; !stopped; attempt++) {
      try {
        List<PartitionInfo> parts = producer.partitionsFor(staticTopic);
        settings
            .logger()
            .info(
                "Exporter {} ({}) ready: topic {} has {} partitions",
                settings.id(),
                signal,
                staticTopic,
                parts.size());
        return;
      } catch (
          RuntimeException e) { // KafkaException, or the producer closed by a shutdown meanwhile
        if (stopped) {
          return;
        }
        if (attempt == retry.max()) {
          settings
              .logger()
              .warn(
                  "Exporter {} ({}): no metadata for topic {} after {} attempts ({}); sends will"
                      + " retry until the brokers answer",
                  settings.id(),
                  signal,
                  staticTopic,
                  attempt + 1,
                  e.getMessage());
          return;
        }
      }
      try {
        Thread.sleep(retry.backoff().toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public CompletableFuture<Void> consume(Context ctx, T data) {
    return helper.consume(ctx, data);
  }

  /**
   * One attempt: hands the work to the send thread. Called by the helper from any thread; never
   * blocks.
   */
  private CompletableFuture<Void> send(Context ctx, T data) {
    ThreadPoolExecutor t = sendThread;
    if (t == null) {
      return TelemetryConsumer.failed(
          new RetryableException("exporter " + settings.id() + " is not started"));
    }
    CompletableFuture<Void> result = new CompletableFuture<>();
    try {
      t.execute(
          () -> {
            try {
              sendNow(ctx, data, result);
            } catch (RuntimeException e) {
              result.completeExceptionally(failure(e));
            }
          });
    } catch (RejectedExecutionException e) {
      return TelemetryConsumer.failed(
          new RetryableException(
              "send queue of exporter " + settings.id() + " is full or shut down"));
    }
    return result;
  }

  /**
   * Runs on the send thread. A retry of a request finds the records its last attempt left (keyed by
   * the data object, which the helper passes again); if two pipelines hand this exporter the very
   * same data object at once, one attempt may send the other's leftovers and the other then
   * re-sends the whole request: duplicates, never a loss.
   */
  private void sendNow(Context ctx, T data, CompletableFuture<Void> result) {
    Pending pending = leftovers.remove(data);
    if (pending == null) {
      pending = build(ctx, data);
    }
    List<ProducerRecord<byte[], byte[]>> recs = pending.records();
    if (recs.isEmpty()) {
      finish(result, pending.permanent(), null, 0, 0);
      return;
    }
    Batch batch =
        new Batch(
            data, recs, result, pending.permanent(), Thread.currentThread(), System.nanoTime());
    for (ProducerRecord<byte[], byte[]> r : recs) {
      if (batch.blocked) {
        // send() already blocked for max.block.ms on a full buffer or missing metadata: so would
        // the rest
        batch.done(
            r,
            r.partition() == null ? -1 : r.partition(),
            new org.apache.kafka.common.errors.TimeoutException(
                "not sent: the producer was blocked (buffer full or metadata missing)"));
        continue;
      }
      batch.send(r);
    }
  }

  /** Encodes, splits and partitions a request into records (on the send thread). */
  private Pending build(Context ctx, T data) {
    SignalDestination sc = config.signal(signal);
    String topic = staticTopic;
    if (sc.topicFromMetadataKey() != null && ctx.first(sc.topicFromMetadataKey()).isPresent()) {
      topic = ctx.first(sc.topicFromMetadataKey()).get();
    } else if (config.topicFromAttribute() != null) {
      String t = WireSplitter.firstResourceAttribute(data.bytes(), config.topicFromAttribute());
      if (t != null && !t.isEmpty()) {
        topic = t;
      }
    }
    int maxBytes = config.producer().maxMessageBytes();
    byte[] metadataKey =
        sc.messageKeyFromMetadataKey() == null
            ? null
            : ctx.first(sc.messageKeyFromMetadataKey())
                .filter(v -> !v.isEmpty())
                .map(v -> v.getBytes(StandardCharsets.UTF_8))
                .orElse(null);
    WireSplitter.Result split = RecordValues.split(encoding, signal, data, keyBy, maxBytes);
    if (split.oversizedItems() > 0) {
      oversized.inc(split.oversizedItems());
    }
    String permanent =
        split.oversizedItems() == 0
            ? null
            : split.oversizedItems()
                + " "
                + signal.itemName()
                + " larger than max_message_bytes ("
                + maxBytes
                + ") alone, the largest "
                + split.largestOversizedItem()
                + " bytes";
    int partitions =
        producer.partitionsFor(topic).size(); // blocks up to max.block.ms when metadata is missing
    List<Header> headers = headers(ctx);
    List<ProducerRecord<byte[], byte[]>> recs = new ArrayList<>(split.parts().size());
    for (WireSplitter.Part p : split.parts()) {
      byte[] key = metadataKey != null ? metadataKey : p.key();
      recs.add(
          new ProducerRecord<>(
              topic, partitioner.choose(key, partitions), null, key, p.value(), headers));
    }
    return new Pending(recs, permanent);
  }

  private List<Header> headers(Context ctx) {
    if (config.includeMetadataKeys().isEmpty()) {
      return staticHeaders;
    }
    List<Header> h = new ArrayList<>(staticHeaders);
    for (String k : config.includeMetadataKeys()) {
      for (String v : ctx.get(k)) {
        h.add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8)));
      }
    }
    return h;
  }

  /**
   * The acknowledgements of one attempt. What a successful record adds to the counters (records and
   * bytes per partition) is summed up here, on the send thread, while the records are fresh; the
   * producer's I/O thread then only counts completions down (it never reads a record back on
   * success: at hundreds of thousands of records a second, reading each cold record's arrays was
   * most of its per-record work). Failures, rare, are accounted one by one.
   */
  private final class Batch {
    private final Object data;
    private final int total;
    private final CompletableFuture<Void> result;
    private final AtomicInteger left;
    private final Object lock = new Object();
    private final List<ProducerRecord<byte[], byte[]>> retry = new ArrayList<>();
    private String permanent;
    private Throwable firstRetryable;
    private int permanentCount;
    private final Thread sender;

    /**
     * Set when a send failed on the send thread itself with a timeout: the producer blocked and
     * gave up.
     */
    volatile boolean blocked;

    private final String topic;
    private final long startNanos;
    // per partition of the attempt: records and bytes sent, then minus those that failed (under
    // lock); records
    // not completed yet; when its last record completed (one write latency per partition, from the
    // attempt's
    // first send to that moment, rather than one histogram observation per record)
    private final long[] records;
    private final long[] bytes;
    private final java.util.concurrent.atomic.AtomicIntegerArray open;
    private final java.util.concurrent.atomic.AtomicLongArray lastNanos;

    Batch(
        Object data,
        List<ProducerRecord<byte[], byte[]>> recs,
        CompletableFuture<Void> result,
        String permanent,
        Thread sender,
        long startNanos) {
      this.sender = sender;
      this.data = data;
      this.total = recs.size();
      this.result = result;
      this.left = new AtomicInteger(total);
      this.permanent = permanent;
      this.startNanos = startNanos;
      this.topic = recs.get(0).topic(); // an attempt writes one topic
      int partitions = 0;
      for (ProducerRecord<byte[], byte[]> r : recs) {
        partitions = Math.max(partitions, r.partition() == null ? 0 : r.partition() + 1);
      }
      records = new long[partitions];
      bytes = new long[partitions];
      for (ProducerRecord<byte[], byte[]> r : recs) {
        if (r.partition() != null) {
          records[r.partition()]++;
          bytes[r.partition()] += size(r);
        }
      }
      open = new java.util.concurrent.atomic.AtomicIntegerArray(partitions);
      for (int p = 0; p < partitions; p++) {
        open.set(p, (int) records[p]);
      }
      lastNanos = new java.util.concurrent.atomic.AtomicLongArray(partitions);
    }

    /** Sends {@code r} (on the send thread) with a callback that completes it here. */
    void send(ProducerRecord<byte[], byte[]> r) {
      int partition = r.partition() == null ? -1 : r.partition();
      try {
        producer.send(r, (md, ex) -> done(r, partition, ex));
      } catch (RuntimeException e) {
        done(r, partition, e);
      }
    }

    /**
     * One record completed, {@code partition} being the one it was sent to (-1: none set), {@code
     * ex} null on success. On success {@code r} is not read.
     */
    void done(ProducerRecord<byte[], byte[]> r, int partition, Exception ex) {
      if (ex != null) {
        failed(r, partition, ex);
      } else if (partition < 0) {
        observe(
            r,
            true,
            startNanos); // not in the per-partition sums (the exporter always sets a partition)
      }
      if (partition >= 0 && open.decrementAndGet(partition) == 0) {
        lastNanos.lazySet(partition, System.nanoTime());
      }
      if (left.decrementAndGet() == 0) {
        String perm;
        Throwable retryable;
        int failed;
        synchronized (lock) {
          if (!retry.isEmpty()) {
            leftovers.put(data, new Pending(List.copyOf(retry), permanent));
          }
          perm = permanent;
          retryable = firstRetryable;
          failed = retry.size();
        }
        countAcknowledged();
        finish(result, perm, retryable, failed, total);
      }
    }

    private void failed(ProducerRecord<byte[], byte[]> r, int partition, Exception ex) {
      if (ex instanceof org.apache.kafka.common.errors.TimeoutException
          && Thread.currentThread() == sender) {
        blocked = true;
      }
      observe(r, false, startNanos);
      PipelineException pe = failure(ex);
      synchronized (lock) {
        if (partition >= 0) {
          records[partition]--;
          bytes[partition] -= size(r);
        }
        if (pe.isRetryable()) {
          retry.add(r);
          if (firstRetryable == null) {
            firstRetryable = pe;
          }
        } else {
          permanentCount++;
          if (permanentCount == 1) {
            permanent =
                (permanent == null ? "" : permanent + "; ")
                    + "rejected by Kafka: "
                    + pe.getMessage();
          }
        }
      }
    }

    /**
     * Adds the attempt's acknowledged records to the counters and observes one write latency per
     * partition it wrote to (on the thread of the last completion, before the attempt's future
     * completes).
     */
    private void countAcknowledged() {
      double rate = compressionRate();
      synchronized (lock) {
        for (int p = 0; p < records.length; p++) {
          if (records[p] > 0) {
            RecordMetrics m = metricsFor(topic, p, true);
            m.records().inc(records[p]);
            m.bytesUncompressed().inc(bytes[p]);
            m.bytes().inc(Math.round(bytes[p] * rate));
            m.latency().observe(Math.max(0, lastNanos.get(p) - startNanos) / 1e9);
          }
        }
      }
    }
  }

  private static int size(ProducerRecord<byte[], byte[]> r) {
    return r.value().length + (r.key() == null ? 0 : r.key().length);
  }

  private void finish(
      CompletableFuture<Void> result,
      String permanent,
      Throwable retryable,
      int failed,
      int total) {
    if (retryable != null) {
      result.completeExceptionally(
          new RetryableException(
              failed + " of " + total + " records to Kafka failed: " + retryable.getMessage(),
              retryable));
    } else if (permanent != null) {
      result.completeExceptionally(new PermanentException(permanent));
    } else {
      result.complete(null);
    }
  }

  private void observe(ProducerRecord<byte[], byte[]> r, boolean ok, long startNanos) {
    int partition = r.partition() == null ? -1 : r.partition();
    RecordMetrics m = metricsFor(r.topic(), partition, ok);
    int size = size(r);
    m.records().inc();
    m.bytesUncompressed().inc(size);
    m.bytes().inc(Math.round(size * compressionRate()));
    m.latency().observe((System.nanoTime() - startNanos) / 1e9);
  }

  private RecordMetrics metricsFor(String topic, int partition, boolean ok) {
    int slot = partition < 0 ? -1 : 2 * partition + (ok ? 0 : 1);
    var byTopic = recordMetrics.get(topic);
    if (byTopic != null && slot >= 0 && slot < byTopic.length()) {
      RecordMetrics m = byTopic.get(slot);
      if (m != null) {
        return m;
      }
    }
    String[] v = {
      settings.id().toString(), topic, Integer.toString(partition), ok ? "success" : "failure"
    };
    RecordMetrics m =
        new RecordMetrics(
            records.labelValues(v),
            bytes.labelValues(v),
            bytesUncompressed.labelValues(v),
            writeLatency.labelValues(v));
    if (slot >= 0) {
      recordMetrics.compute(
          topic,
          (k, old) -> {
            var a = old;
            if (a == null || slot >= a.length()) {
              a =
                  new java.util.concurrent.atomic.AtomicReferenceArray<RecordMetrics>(
                      Math.max(slot + 1, 24));
              if (old != null) {
                for (int i = 0; i < old.length(); i++) {
                  a.set(i, old.get(i));
                }
              }
            }
            a.compareAndSet(slot, null, m);
            return a;
          });
    }
    return m;
  }

  /**
   * The producer's average compression rate (compressed/uncompressed), re-read at most once a
   * second.
   */
  private double compressionRate() {
    long now = System.nanoTime();
    if (now - compressionRateReadNanos > 1_000_000_000L) {
      compressionRateReadNanos = now;
      Producer<byte[], byte[]> p = producer;
      if (p != null) {
        for (Map.Entry<MetricName, ? extends Metric> e : p.metrics().entrySet()) {
          if (e.getKey().name().equals("compression-rate-avg")
              && e.getKey().group().equals("producer-metrics")) {
            Object v = e.getValue().metricValue();
            if (v instanceof Double d && d > 0 && !d.isNaN() && !d.isInfinite()) {
              compressionRate = d;
            }
          }
        }
      }
    }
    return compressionRate;
  }

  /**
   * {@link #classify}, with the brokers and the mechanism named when authentication failed
   * (retryable: the credentials may be fixed on the broker side; the password is never part of the
   * message).
   */
  private PipelineException failure(Throwable t) {
    Throwable c = PipelineException.unwrap(t);
    if (c instanceof org.apache.kafka.common.errors.AuthenticationException a) {
      return new RetryableException(client.authenticationFailure(a), c);
    }
    return classify(c);
  }

  /**
   * Kafka's retriable errors are retryable; a record or topic the broker will never take is
   * permanent.
   */
  static PipelineException classify(Throwable t) {
    Throwable c = PipelineException.unwrap(t);
    if (c instanceof PipelineException pe) {
      return pe;
    }
    if (c instanceof org.apache.kafka.common.errors.RecordTooLargeException
        || c instanceof org.apache.kafka.common.errors.RecordBatchTooLargeException
        || c instanceof org.apache.kafka.common.errors.InvalidTopicException
        || c instanceof org.apache.kafka.common.InvalidRecordException
        || c instanceof org.apache.kafka.common.errors.SerializationException
        || c instanceof org.apache.kafka.common.errors.TopicAuthorizationException
        || c instanceof org.apache.kafka.common.errors.ClusterAuthorizationException
        || c instanceof org.apache.kafka.common.errors.UnsupportedVersionException) {
      return new PermanentException(c.getClass().getSimpleName() + ": " + c.getMessage(), c);
    }
    return new RetryableException(c.getClass().getSimpleName() + ": " + c.getMessage(), c);
  }

  /**
   * Stops intake, lets queued requests and in-flight records finish until the deadline, then closes
   * the producer with what time is left. Idempotent; safe without {@link #start}.
   */
  @Override
  public void shutdown(Deadline deadline) throws InterruptedException {
    synchronized (lifecycleLock) {
      if (stopped) {
        return;
      }
      stopped = true;
    }
    helper.shutdown(deadline);
    Thread w = warmer;
    if (w != null) {
      w.interrupt();
    }
    ThreadPoolExecutor t = sendThread;
    if (t != null) {
      t.shutdown();
      if (!t.awaitTermination(Math.max(1, deadline.remainingMillis()), TimeUnit.MILLISECONDS)) {
        t.shutdownNow();
      }
    }
    Producer<byte[], byte[]> p = producer;
    if (p != null) {
      p.close(deadline.remaining());
      settings.logger().info("Exporter {} ({}) stopped", settings.id(), signal);
    }
  }

  /** Requests waiting in the sending queue. */
  long queueSize() {
    return helper.queueSize();
  }

  /** Requests with records left for their next attempt. */
  int pendingRetries() {
    return leftovers.size();
  }
}
