package io.tiercel.kafka.exporter;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Host;
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.exporterhelper.QueueBatchConfig;
import io.tiercel.core.exporterhelper.QueueConfig;
import io.tiercel.core.exporterhelper.RetryConfig;
import io.tiercel.core.pdata.Signal;
import io.tiercel.kafka.common.config.AuthConfig;
import io.tiercel.kafka.common.config.ClientConfig;
import io.tiercel.kafka.common.config.MetadataConfig;
import io.tiercel.kafka.common.config.Passthrough;
import io.tiercel.kafka.common.config.TlsConfig;
import io.tiercel.kafka.common.encoding.EncodingRef;
import io.tiercel.kafka.common.encoding.RecordEncoding;
import io.tiercel.kafka.common.encoding.SignalCodec;
import io.tiercel.kafka.common.partition.PartitionerType;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code kafka} exporter's config: the OpenTelemetry Collector's keys, plus {@code
 * partitioner}, {@code signal_header} and {@code producer_config}. See README.md for the table.
 *
 * @param brokers bootstrap brokers ({@code [localhost:9092]})
 * @param protocolVersion accepted for the collector's configs and ignored: the Java client
 *     negotiates versions
 * @param resolveCanonicalBootstrapServersOnly resolve then reverse-look-up the brokers at start
 *     (false)
 * @param clientId the client id ({@code tiercel})
 * @param connIdleTimeout close idle connections after this long (9m)
 * @param topic deprecated: the topic of every signal whose own {@code topic} is not set
 * @param encoding deprecated: the encoding of every signal whose own {@code encoding} is not set
 * @param traces where traces go
 * @param metrics where metrics go
 * @param logs where logs go
 * @param profiles where profiles go (topic {@code otlp_profiles}; {@code otlp_proto} only)
 * @param topicFromAttribute a resource attribute whose value (from the first resource holding it)
 *     is the topic
 * @param includeMetadataKeys client metadata keys copied into record headers
 * @param recordHeaders static headers on every record
 * @param signalHeader add the header {@code otelcol.signal} ({@code traces}, {@code metrics},
 *     {@code logs})
 * @param partitionTracesById one record per trace, keyed by its trace id
 * @param partitionMetricsByResourceAttributes one record per resource, keyed by its attributes'
 *     hash
 * @param partitionLogsByResourceAttributes one record per resource, keyed by its attributes' hash
 * @param partitionLogsByTraceId one record per trace id of the log records (records without one
 *     share a record without key)
 * @param partitioner how keys map to partitions: sarama_compat (default), murmur2, consistent,
 *     consistent_random, murmur2_random, fnv1a, fnv1a_random, round_robin (YAML takes {@code -} or
 *     {@code _}), and sticky and least_backup, which leave the partition to the producer; null
 *     takes the default
 * @param recordPartitioner the collector's {@code record_partitioner}; when set it decides the
 *     partitioning, and {@code partitioner} must be left at its default
 * @param tls TLS to the brokers, or null for plaintext
 * @param auth authentication
 * @param metadata metadata refresh and the start-up fetch
 * @param timeout how long one attempt may take: bounds the producer's {@code delivery.timeout.ms}
 *     and {@code max.block.ms} (5s)
 * @param retryOnFailure retries of failed records
 * @param sendingQueue the queue in front of the producer
 * @param producer producer settings
 * @param producerConfig raw producer properties beside the derived ones: checked against the
 *     client's names, none that a first-class key sets, every value as a string once built
 */
public record KafkaExporterConfig(
    List<String> brokers,
    @Nullable String protocolVersion,
    boolean resolveCanonicalBootstrapServersOnly,
    String clientId,
    Duration connIdleTimeout,
    @Nullable String topic,
    @Nullable EncodingRef encoding,
    SignalDestination traces,
    SignalDestination metrics,
    SignalDestination logs,
    SignalDestination profiles,
    @Nullable String topicFromAttribute,
    List<String> includeMetadataKeys,
    Map<String, String> recordHeaders,
    boolean signalHeader,
    boolean partitionTracesById,
    boolean partitionMetricsByResourceAttributes,
    boolean partitionLogsByResourceAttributes,
    boolean partitionLogsByTraceId,
    PartitionerType partitioner,
    @Nullable RecordPartitionerConfig recordPartitioner,
    @Nullable TlsConfig tls,
    AuthConfig auth,
    MetadataConfig metadata,
    Duration timeout,
    RetryConfig retryOnFailure,
    QueueConfig sendingQueue,
    ProducerSettings producer,
    Map<String, Object> producerConfig) {

  /** The header naming the signal when {@code signal_header} is on. */
  public static final String SIGNAL_HEADER = "otelcol.signal";

  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  /** The defaults, as {@code createDefaultConfig()} returns them. */
  public static KafkaExporterConfig defaults() {
    return new KafkaExporterConfig(
        List.of("localhost:9092"),
        null,
        false,
        "tiercel",
        Duration.ofMinutes(9),
        null,
        null,
        SignalDestination.UNSET,
        SignalDestination.UNSET,
        SignalDestination.UNSET,
        SignalDestination.UNSET,
        null,
        List.of(),
        Map.of(),
        false,
        false,
        false,
        false,
        false,
        PartitionerType.SARAMA_COMPAT,
        null,
        null,
        AuthConfig.NONE,
        MetadataConfig.DEFAULT,
        Duration.ofSeconds(5),
        RetryConfig.DEFAULT,
        QueueConfig.DEFAULT,
        ProducerSettings.DEFAULT,
        Map.of());
  }

  public KafkaExporterConfig {
    includeMetadataKeys =
        includeMetadataKeys == null ? List.of() : List.copyOf(includeMetadataKeys);
    recordHeaders = recordHeaders == null ? Map.of() : Map.copyOf(recordHeaders);
    traces = traces == null ? SignalDestination.UNSET : traces;
    metrics = metrics == null ? SignalDestination.UNSET : metrics;
    logs = logs == null ? SignalDestination.UNSET : logs;
    profiles = profiles == null ? SignalDestination.UNSET : profiles;
    auth = auth == null ? AuthConfig.NONE : auth;
    metadata = metadata == null ? MetadataConfig.DEFAULT : metadata;
    retryOnFailure = retryOnFailure == null ? RetryConfig.DEFAULT : retryOnFailure;
    sendingQueue = sendingQueue == null ? QueueConfig.DEFAULT : sendingQueue;
    producer = producer == null ? ProducerSettings.DEFAULT : producer;
    topic = topic == null || topic.isEmpty() ? null : topic;
    topicFromAttribute =
        topicFromAttribute == null || topicFromAttribute.isEmpty() ? null : topicFromAttribute;

    // checks the connection keys (brokers, client_id, conn_idle_timeout), reported at this level
    ClientConfig client =
        new ClientConfig(
            brokers,
            clientId,
            resolveCanonicalBootstrapServersOnly,
            connIdleTimeout,
            auth,
            tls,
            metadata);
    checkTopic("topic", topic);
    checkEncoding(Signal.TRACES, traces.encoding());
    checkEncoding(Signal.METRICS, metrics.encoding());
    checkEncoding(Signal.LOGS, logs.encoding());
    checkTopic("traces.topic", traces.topic());
    checkTopic("metrics.topic", metrics.topic());
    checkTopic("logs.topic", logs.topic());
    checkTopic("profiles.topic", profiles.topic());
    partitioner = partitioner == null ? PartitionerType.SARAMA_COMPAT : partitioner;
    // Tiercel's default is the collector's, so a default partitioner cannot be told from none
    if (recordPartitioner != null && partitioner != PartitionerType.SARAMA_COMPAT) {
      throw new InvalidValueException(
          "record_partitioner",
          "partitioner ("
              + partitioner
              + ") and record_partitioner cannot both be set; keep one of them");
    }
    if (partitionLogsByResourceAttributes && partitionLogsByTraceId) {
      throw new InvalidValueException(
          "partition_logs_by_trace_id",
          "partition_logs_by_resource_attributes and partition_logs_by_trace_id cannot both be"
              + " true");
    }
    if (traces.messageKeyFromMetadataKey() != null && partitionTracesById) {
      throw new InvalidValueException(
          "traces.message_key_from_metadata_key", "cannot be used with partition_traces_by_id");
    }
    if (metrics.messageKeyFromMetadataKey() != null && partitionMetricsByResourceAttributes) {
      throw new InvalidValueException(
          "metrics.message_key_from_metadata_key",
          "cannot be used with partition_metrics_by_resource_attributes");
    }
    if (logs.messageKeyFromMetadataKey() != null
        && (partitionLogsByResourceAttributes || partitionLogsByTraceId)) {
      throw new InvalidValueException(
          "logs.message_key_from_metadata_key",
          "cannot be used with partition_logs_by_resource_attributes or"
              + " partition_logs_by_trace_id");
    }
    checkBatchPartition(sendingQueue, includeMetadataKeys, traces, metrics, logs, profiles);
    for (String h : recordHeaders.keySet()) {
      if (h.isEmpty()) {
        throw new InvalidValueException("record_headers", "header names must not be empty");
      }
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new InvalidValueException("timeout", "must be positive, got " + timeout);
    }
    producerConfig =
        Passthrough.producer(
            "producer_config",
            producerConfig,
            recordPartitioner != null
                ? ProducerProperties.owned(
                    client, producer, recordPartitioner.type(), "record_partitioner")
                : ProducerProperties.owned(client, producer, partitioner, "partitioner"));
  }

  /**
   * The collector's checks when {@code sending_queue.batch} merges requests: a merged batch keeps
   * only the client metadata its partition keys name, so every key the exporter reads from the
   * metadata ({@code include_metadata_keys}, each signal's {@code topic_from_metadata_key} and
   * {@code message_key_from_metadata_key}) must be one of {@code partition.metadata_keys}
   * (case-insensitive, as metadata keys are).
   */
  private static void checkBatchPartition(
      QueueConfig queue, List<String> includeMetadataKeys, SignalDestination... signals) {
    if (!queue.enabled() || queue.batch() == null) {
      return;
    }
    QueueBatchConfig.Partition partition = queue.batch().partition();
    Set<String> keys = new HashSet<>();
    if (partition != null) {
      partition.metadataKeys().forEach(k -> keys.add(k.toLowerCase(Locale.ROOT)));
    }
    String partitionKey = "sending_queue.batch.partition.metadata_keys";
    if (!includeMetadataKeys.isEmpty()) {
      if (keys.isEmpty()) {
        throw new InvalidValueException(
            partitionKey,
            "must be configured when include_metadata_keys is set and batching is enabled");
      }
      for (String k : includeMetadataKeys) {
        if (!keys.contains(k.toLowerCase(Locale.ROOT))) {
          throw new InvalidValueException(
              partitionKey,
              "must include all include_metadata_keys values (\"" + k + "\" is missing)");
        }
      }
    }
    String[] names = {"traces", "metrics", "logs", "profiles"};
    for (int i = 0; i < signals.length; i++) {
      String topicKey = signals[i].topicFromMetadataKey();
      if (topicKey != null && !keys.contains(topicKey.toLowerCase(Locale.ROOT))) {
        throw new InvalidValueException(
            names[i] + ".topic_from_metadata_key",
            "must be present in sending_queue::batch::partition::metadata_keys if batching is"
                + " enabled");
      }
      String messageKey = signals[i].messageKeyFromMetadataKey();
      if (messageKey != null && !keys.contains(messageKey.toLowerCase(Locale.ROOT))) {
        throw new InvalidValueException(
            names[i] + ".message_key_from_metadata_key",
            "must be present in sending_queue::batch::partition::metadata_keys if batching is"
                + " enabled");
      }
    }
  }

  private static void checkTopic(String key, @Nullable String t) {
    if (t != null && (!TOPIC.matcher(t).matches() || t.equals(".") || t.equals(".."))) {
      throw new InvalidValueException(
          key, "\"" + t + "\" is not a valid Kafka topic name (1-249 of a-z A-Z 0-9 . _ -)");
    }
  }

  /**
   * The connection settings shared with the Kafka receiver: a new instance per call, so a component
   * builds it once and keeps it.
   */
  public ClientConfig client() {
    return new ClientConfig(
        brokers,
        clientId,
        resolveCanonicalBootstrapServersOnly,
        connIdleTimeout,
        auth,
        tls,
        metadata);
  }

  /**
   * The partitioning in effect: {@code record_partitioner}'s when set, else {@code partitioner}.
   */
  public PartitionerType partitionerType() {
    return recordPartitioner != null ? recordPartitioner.type() : partitioner;
  }

  /** The per-signal block of {@code signal}. */
  public SignalDestination signal(Signal signal) {
    return switch (signal) {
      case TRACES -> traces;
      case METRICS -> metrics;
      case LOGS -> logs;
      case PROFILES -> profiles;
    };
  }

  /**
   * The static topic of {@code signal}: its own, else the deprecated top-level one, else the
   * default.
   */
  public String topicFor(Signal signal) {
    String own = signal(signal).topic();
    if (own != null) {
      return own;
    }
    if (topic != null) {
      return topic;
    }
    return switch (signal) {
      case TRACES -> "otlp_spans";
      case METRICS -> "otlp_metrics";
      case LOGS -> "otlp_logs";
      case PROFILES -> "otlp_profiles";
    };
  }

  /**
   * A signal's own encoding must be able to write it (the top-level one is checked per pipeline).
   */
  private static void checkEncoding(Signal signal, @Nullable EncodingRef own) {
    if (own != null && !own.mayWrite(signal)) {
      throw new InvalidValueException(
          signal.id() + ".encoding", "\"" + own + "\" cannot write " + signal.id());
    }
  }

  /**
   * The encoding of {@code signal}: its own, else the deprecated top-level one, else {@code
   * otlp_proto}.
   */
  public EncodingRef encodingFor(Signal signal) {
    EncodingRef own = signal(signal).encoding();
    return own != null
        ? own
        : encoding != null ? encoding : EncodingRef.of(RecordEncoding.OTLP_PROTO);
  }

  /**
   * The codec writing {@code signal} for exporter {@code id}: {@link #encodingFor} resolved against
   * the started extensions.
   *
   * @throws IllegalStateException naming the key when an extension id does not resolve to an
   *     encoding extension that writes {@code signal}
   */
  SignalCodec codecFor(Signal signal, Host host, ComponentId id) {
    String place =
        "exporters."
            + id
            + (signal(signal).encoding() != null ? "." + signal.id() : "")
            + ".encoding";
    return encodingFor(signal).codec(host, place, signal, true);
  }

  /** How {@code signal}'s requests are split and keyed. */
  public WireSplitter.KeyBy keyBy(Signal signal) {
    return switch (signal) {
      case TRACES -> partitionTracesById ? WireSplitter.KeyBy.TRACE_ID : WireSplitter.KeyBy.NONE;
      case METRICS ->
          partitionMetricsByResourceAttributes
              ? WireSplitter.KeyBy.RESOURCE
              : WireSplitter.KeyBy.NONE;
      case LOGS ->
          partitionLogsByResourceAttributes
              ? WireSplitter.KeyBy.RESOURCE
              : partitionLogsByTraceId ? WireSplitter.KeyBy.TRACE_ID : WireSplitter.KeyBy.NONE;
      // a profiles request travels whole (its dictionary indexes the whole request): no key
      case PROFILES -> WireSplitter.KeyBy.NONE;
    };
  }
}
