package io.tiercel.kafka.exporter;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
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
import io.tiercel.core.util.DaemonThreads;
import io.tiercel.kafka.common.config.ClientConfig;
import io.tiercel.kafka.common.encoding.SignalCodec;
import io.tiercel.kafka.common.partition.KeyPartitioner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.jspecify.annotations.Nullable;

/**
 * The {@code kafka} exporter for one signal: encodes each request, splits it by trace id or
 * resource (and below {@code max_message_bytes}) on the wire, picks partitions with the configured
 * partitioner and writes the records with one {@link KafkaProducer}, behind the shared queue/retry
 * chain.
 *
 * <p>Threads: {@link #consume} never blocks and never touches the producer; each attempt runs on
 * this exporter's own send thread (where {@code KafkaProducer.send} may block on metadata or a full
 * buffer), and its future completes on the producer's I/O thread when every record was
 * acknowledged.
 *
 * <p>Partial failure: an attempt whose records were not all acknowledged fails with the part of the
 * request those records held ({@link PipelineException#failed()}), rebuilt from the records'
 * values: an {@code otlp_proto} record is a slice of the request and slices concatenated are one
 * valid request; {@code otlp_json} records are parsed back. The exporter helper's next attempt
 * sends only that part, so records that were acknowledged are not written twice, whichever
 * pipelines share this exporter and its data.
 *
 * @param <T> the signal's data type
 */
public final class KafkaExporter<T extends OtlpData> implements Exporter<T> {
  private static final int SEND_QUEUE = 1024;

  private final Settings settings;
  private final KafkaExporterConfig config;
  private final ClientConfig client;
  private final Signal signal;
  private final Function<Map<String, Object>, Producer<byte[], byte[]>> producerFactory;
  private final ExporterHelper<T> helper;
  private final KeyPartitioner partitioner;
  private volatile @Nullable SignalCodec encoding; // resolved at start (an extension may name it)
  private final WireSplitter.KeyBy keyBy;
  private final String staticTopic;
  private final List<Header> staticHeaders;
  private final KafkaRecordMetrics recordMetrics;
  private final CounterDataPoint oversized;
  private final Object lifecycleLock = new Object();

  private volatile Producer<byte[], byte[]> producer;
  private volatile ThreadPoolExecutor sendThread;
  private volatile @Nullable Thread warmer;
  private volatile boolean stopped;

  /** The records of one attempt, and why items that got no record were refused (or null). */
  private record Planned(
      List<ProducerRecord<byte[], byte[]>> records, @Nullable String permanent) {}

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
    this.recordMetrics = new KafkaRecordMetrics(settings, () -> producer);
    oversized =
        settings
            .metrics()
            .counter(
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
      encoding = config.codecFor(signal, host, settings.id());
      String owner = "kafka-" + settings.id() + "-" + signal;
      client
          .insecureWarning()
          .ifPresent(w -> settings.logger().warn("Exporter {}: {}", settings.id(), w));
      producer = producerFactory.apply(ProducerProperties.of(config, client.properties(host)));
      sendThread =
          new ThreadPoolExecutor(
              1,
              1,
              0,
              TimeUnit.MILLISECONDS,
              new ArrayBlockingQueue<>(SEND_QUEUE),
              DaemonThreads.named(owner, "send"));
      helper.start(host);
      Thread w = DaemonThreads.thread(owner, "metadata", this::warmMetadata);
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
   * Runs on the send thread. The data is the whole request or, on a retry, the part of it that the
   * last attempt reported failed.
   */
  private void sendNow(Context ctx, T data, CompletableFuture<Void> result) {
    Planned planned = build(ctx, data);
    List<ProducerRecord<byte[], byte[]>> recs = planned.records();
    if (recs.isEmpty()) {
      finish(result, planned.permanent(), null, List.of(), List.of(), 0);
      return;
    }
    Batch batch =
        new Batch(recs, result, planned.permanent(), Thread.currentThread(), System.nanoTime());
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
  private Planned build(Context ctx, T data) {
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
    WireSplitter.Result split =
        RecordValues.split(Objects.requireNonNull(encoding), signal, data, keyBy, maxBytes);
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
    return new Planned(recs, permanent);
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
    private final int total;
    private final CompletableFuture<Void> result;
    private final AtomicInteger left;
    private final Object lock = new Object();
    private final List<ProducerRecord<byte[], byte[]>> retry = new ArrayList<>();
    private final List<ProducerRecord<byte[], byte[]>> refused = new ArrayList<>();
    private @Nullable String permanent;
    private final boolean oversized;
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
    // lock); records not completed yet; when its last record completed (one write latency per
    // partition, from the attempt's first send to that moment, not one observation per record)
    private final long[] records;
    private final long[] bytes;
    private final java.util.concurrent.atomic.AtomicIntegerArray open;
    private final java.util.concurrent.atomic.AtomicLongArray lastNanos;

    Batch(
        List<ProducerRecord<byte[], byte[]>> recs,
        CompletableFuture<Void> result,
        @Nullable String permanent,
        Thread sender,
        long startNanos) {
      this.sender = sender;
      this.oversized = permanent != null;
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
          bytes[r.partition()] += KafkaRecordMetrics.size(r);
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
        recordMetrics.observe(
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
        List<ProducerRecord<byte[], byte[]>> toRetry;
        List<ProducerRecord<byte[], byte[]>> refusedForGood;
        synchronized (lock) {
          perm = permanent;
          retryable = firstRetryable;
          toRetry = List.copyOf(retry);
          // the part refused for good is exact only when every refused item had a record
          refusedForGood = oversized ? List.of() : List.copyOf(refused);
        }
        countAcknowledged();
        finish(result, perm, retryable, toRetry, refusedForGood, total);
      }
    }

    private void failed(ProducerRecord<byte[], byte[]> r, int partition, Exception ex) {
      if (ex instanceof org.apache.kafka.common.errors.TimeoutException
          && Thread.currentThread() == sender) {
        blocked = true;
      }
      recordMetrics.observe(r, false, startNanos);
      PipelineException pe = failure(ex);
      synchronized (lock) {
        if (partition >= 0) {
          records[partition]--;
          bytes[partition] -= KafkaRecordMetrics.size(r);
        }
        if (pe.isRetryable()) {
          retry.add(r);
          if (firstRetryable == null) {
            firstRetryable = pe;
          }
        } else {
          refused.add(r);
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
      double rate = recordMetrics.compressionRate();
      synchronized (lock) {
        for (int p = 0; p < records.length; p++) {
          if (records[p] > 0) {
            KafkaRecordMetrics.Partition m = recordMetrics.of(topic, p, true);
            m.records().inc(records[p]);
            m.bytesUncompressed().inc(bytes[p]);
            m.bytes().inc(Math.round(bytes[p] * rate));
            m.latency().observe(Math.max(0, lastNanos.get(p) - startNanos) / 1e9);
          }
        }
      }
    }
  }

  /**
   * Completes an attempt: successfully, or with the part of its data that failed. Records that
   * failed retryably are the part the next attempt sends; items refused for good (too large alone,
   * or records the broker will never take) are not retried: beside a retryable part they are a
   * {@link PermanentException} suppressed by the {@link RetryableException}, which the exporter
   * helper reports once the rest is through.
   */
  private void finish(
      CompletableFuture<Void> result,
      @Nullable String permanent,
      @Nullable Throwable retryable,
      List<ProducerRecord<byte[], byte[]>> toRetry,
      List<ProducerRecord<byte[], byte[]>> refused,
      int total) {
    PermanentException refusal =
        permanent == null
            ? null
            : new PermanentException(permanent, null, refused.isEmpty() ? null : partOf(refused));
    if (retryable != null) {
      RetryableException e =
          new RetryableException(
              toRetry.size()
                  + " of "
                  + total
                  + " records to Kafka failed: "
                  + retryable.getMessage(),
              retryable,
              null,
              partOf(toRetry));
      if (refusal != null) {
        e.addSuppressed(refusal);
      }
      result.completeExceptionally(e);
    } else if (refusal != null) {
      result.completeExceptionally(refusal);
    } else {
      result.complete(null);
    }
  }

  /** The part of the request that {@code recs}, records of one attempt, hold. */
  private OtlpData partOf(List<ProducerRecord<byte[], byte[]>> recs) {
    List<byte[]> values = new ArrayList<>(recs.size());
    for (ProducerRecord<byte[], byte[]> r : recs) {
      values.add(r.value());
    }
    return RecordValues.request(Objects.requireNonNull(encoding), signal, values);
  }

  /**
   * {@link ProducerErrors#classify}, with the brokers and the mechanism named when authentication
   * failed (retryable: the credentials may be fixed on the broker side; the password is never part
   * of the message).
   */
  private PipelineException failure(Throwable t) {
    Throwable c = PipelineException.unwrap(t);
    if (c instanceof org.apache.kafka.common.errors.AuthenticationException a) {
      return new RetryableException(client.authenticationFailure(a), c);
    }
    return ProducerErrors.classify(c);
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
    recordMetrics.close();
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
}
