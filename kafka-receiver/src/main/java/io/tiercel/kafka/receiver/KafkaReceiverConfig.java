package io.tiercel.kafka.receiver;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.exporterhelper.RetryConfig;
import io.tiercel.core.pdata.Signal;
import io.tiercel.kafka.common.config.AuthConfig;
import io.tiercel.kafka.common.config.ClientConfig;
import io.tiercel.kafka.common.config.MetadataConfig;
import io.tiercel.kafka.common.config.Passthrough;
import io.tiercel.kafka.common.config.TlsConfig;
import io.tiercel.kafka.common.encoding.EncodingRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.jspecify.annotations.Nullable;

/**
 * The {@code kafka} receiver's config: the collector's keys (client settings at the top level, the
 * consumer group settings, one block per signal) plus Tiercel's {@code max_in_flight}, {@code
 * dead_letter} and {@code revoke_timeout}.
 *
 * @param brokers bootstrap brokers, {@code host:port} ({@code localhost:9092})
 * @param clientId client id ({@code tiercel})
 * @param resolveCanonicalBootstrapServersOnly resolve then reverse-look-up the brokers at start
 * @param connIdleTimeout close idle connections after this long (9m)
 * @param protocolVersion accepted for the collector's configs; the Java client negotiates versions
 *     itself
 * @param auth SASL authentication (and the deprecated {@code auth.tls})
 * @param tls TLS to the brokers; absent for plaintext
 * @param metadata metadata refresh
 * @param groupId consumer group ({@code tiercel})
 * @param groupInstanceId static membership id ({@code group.instance.id}); empty for none
 * @param rackId the client's rack ({@code client.rack}): with a rack-aware replica selector on the
 *     brokers, partitions are fetched from the closest replica; empty for none
 * @param useLeaderEpoch detect log truncation with the leader epoch (KIP-320); only true, since the
 *     Java client always does
 * @param initialOffset where partitions without a committed offset start ({@code latest})
 * @param sessionTimeout group session timeout (10s)
 * @param heartbeatInterval heartbeat interval (3s), less than the session timeout
 * @param groupRebalanceStrategies assignors, in order of preference ({@code cooperative-sticky})
 * @param groupRebalanceStrategy the collector's deprecated single strategy; when set it replaces
 *     the list, which must then be left at its default
 * @param minFetchSize {@code fetch.min.bytes} (1)
 * @param defaultFetchSize accepted for the collector's configs (a Sarama setting without a Java
 *     equivalent)
 * @param maxFetchSize {@code fetch.max.bytes}; 0 keeps the client's default (0)
 * @param maxPartitionFetchSize {@code max.partition.fetch.bytes} (1 MiB)
 * @param maxFetchWait {@code fetch.max.wait.ms} (250ms)
 * @param autocommit how often marked offsets are committed
 * @param messageMarking when records count as done
 * @param partitionProcessing the collector's per-partition processing switch; Tiercel always
 *     processes partitions independently
 * @param headerExtraction headers copied into resource attributes
 * @param errorBackoff backoff for retryable pipeline failures (the partition is paused meanwhile,
 *     never skipped)
 * @param traces where traces are read
 * @param metrics where metrics are read
 * @param logs where logs are read
 * @param profiles where profiles are read ({@code otlp_profiles}; {@code otlp_proto} only)
 * @param maxInFlight per-partition bound on unfinished records
 * @param deadLetter dead-letter topic
 * @param revokeTimeout how long a revoked partition's unfinished records are waited for before the
 *     finished prefix is committed and the rest left to the next owner (5s)
 * @param telemetry optional metrics ({@code
 *     telemetry.metrics.kafka_receiver_records_delay.enabled})
 * @param consumerConfig Kafka consumer properties beside the derived ones: unknown names, and
 *     properties a first-class key sets, are rejected; every value a string once built
 * @param handOver one pipeline call per fetch and partition (default) or per record (see {@link
 *     HandOver})
 */
public record KafkaReceiverConfig(
    List<String> brokers,
    String clientId,
    boolean resolveCanonicalBootstrapServersOnly,
    Duration connIdleTimeout,
    String protocolVersion,
    AuthConfig auth,
    @Nullable TlsConfig tls,
    MetadataConfig metadata,
    String groupId,
    String groupInstanceId,
    String rackId,
    boolean useLeaderEpoch,
    InitialOffset initialOffset,
    Duration sessionTimeout,
    Duration heartbeatInterval,
    List<RebalanceStrategy> groupRebalanceStrategies,
    @Nullable RebalanceStrategy groupRebalanceStrategy,
    int minFetchSize,
    int defaultFetchSize,
    int maxFetchSize,
    int maxPartitionFetchSize,
    Duration maxFetchWait,
    AutoCommit autocommit,
    MessageMarking messageMarking,
    PartitionProcessing partitionProcessing,
    HeaderExtraction headerExtraction,
    RetryConfig errorBackoff,
    SignalTopics traces,
    SignalTopics metrics,
    SignalTopics logs,
    SignalTopics profiles,
    MaxInFlight maxInFlight,
    DeadLetter deadLetter,
    Duration revokeTimeout,
    ReceiverTelemetry telemetry,
    Map<String, Object> consumerConfig,
    HandOver handOver) {

  /** Tiercel's default backoff for retryable pipeline failures. */
  public static final RetryConfig DEFAULT_ERROR_BACKOFF =
      new RetryConfig(
          true, Duration.ofMillis(250), 0.5, 1.5, Duration.ofSeconds(10), Duration.ofSeconds(60));

  /** The defaults (what {@code receivers: {kafka: {}}} means). */
  public static final KafkaReceiverConfig DEFAULT =
      new KafkaReceiverConfig(
          List.of("localhost:9092"),
          "tiercel",
          false,
          Duration.ofMinutes(9),
          "",
          AuthConfig.NONE,
          null,
          MetadataConfig.DEFAULT,
          "tiercel",
          "",
          "",
          true,
          InitialOffset.LATEST,
          Duration.ofSeconds(10),
          Duration.ofSeconds(3),
          List.of(RebalanceStrategy.COOPERATIVE_STICKY),
          null,
          1,
          1 << 20,
          0,
          1 << 20,
          Duration.ofMillis(250),
          AutoCommit.DEFAULT,
          MessageMarking.DEFAULT,
          PartitionProcessing.DEFAULT,
          HeaderExtraction.NONE,
          DEFAULT_ERROR_BACKOFF,
          SignalTopics.of("otlp_spans"),
          SignalTopics.of("otlp_metrics"),
          SignalTopics.of("otlp_logs"),
          SignalTopics.of("otlp_profiles"),
          MaxInFlight.DEFAULT,
          DeadLetter.NONE,
          Duration.ofSeconds(5),
          ReceiverTelemetry.DEFAULT,
          Map.of(),
          HandOver.FETCH);

  public KafkaReceiverConfig {
    protocolVersion = protocolVersion == null ? "" : protocolVersion;
    auth = auth == null ? AuthConfig.NONE : auth;
    metadata = metadata == null ? MetadataConfig.DEFAULT : metadata;
    // the shared client settings check themselves, with keys relative to this record
    ClientConfig client =
        new ClientConfig(
            brokers,
            clientId,
            resolveCanonicalBootstrapServersOnly,
            connIdleTimeout,
            auth,
            tls,
            metadata);
    brokers = List.copyOf(brokers);
    if (groupId == null || groupId.isBlank()) {
      throw new InvalidValueException("group_id", "must not be empty");
    }
    groupInstanceId = groupInstanceId == null ? "" : groupInstanceId.strip();
    rackId = rackId == null ? "" : rackId.strip();
    if (!useLeaderEpoch) {
      throw new InvalidValueException(
          "use_leader_epoch",
          "false is not supported: the Java Kafka client always uses the leader epoch (KIP-320)");
    }
    initialOffset = initialOffset == null ? InitialOffset.LATEST : initialOffset;
    positive("session_timeout", sessionTimeout);
    positive("heartbeat_interval", heartbeatInterval);
    if (heartbeatInterval.compareTo(sessionTimeout) >= 0) {
      throw new InvalidValueException(
          "heartbeat_interval",
          "must be less than session_timeout (" + sessionTimeout + "), got " + heartbeatInterval);
    }
    if (groupRebalanceStrategies == null || groupRebalanceStrategies.isEmpty()) {
      throw new InvalidValueException(
          "group_rebalance_strategies", "must list at least one strategy");
    }
    groupRebalanceStrategies = List.copyOf(groupRebalanceStrategies);
    // the default list cannot be told from an explicit [cooperative-sticky]: only another list
    // conflicts
    if (groupRebalanceStrategy != null
        && !groupRebalanceStrategies.equals(List.of(RebalanceStrategy.COOPERATIVE_STICKY))) {
      throw new InvalidValueException(
          "group_rebalance_strategy",
          "group_rebalance_strategy and group_rebalance_strategies cannot both be set"
              + " (group_rebalance_strategy is deprecated: use group_rebalance_strategies)");
    }
    if (minFetchSize < 0) {
      throw new InvalidValueException(
          "min_fetch_size", "must not be negative, got " + minFetchSize);
    }
    if (maxFetchSize < 0) {
      throw new InvalidValueException(
          "max_fetch_size", "must not be negative, got " + maxFetchSize);
    }
    if (maxPartitionFetchSize < 1) {
      throw new InvalidValueException(
          "max_partition_fetch_size", "must be at least 1, got " + maxPartitionFetchSize);
    }
    if (maxFetchWait == null || maxFetchWait.isNegative()) {
      throw new InvalidValueException(
          "max_fetch_wait", "must not be negative, got " + maxFetchWait);
    }
    messageMarking = messageMarking == null ? MessageMarking.DEFAULT : messageMarking;
    partitionProcessing =
        partitionProcessing == null ? PartitionProcessing.DEFAULT : partitionProcessing;
    autocommit = autocommit == null ? AutoCommit.DEFAULT : autocommit;
    if (partitionProcessing.independent() && !autocommit.enable()) {
      throw new InvalidValueException(
          "partition_processing.independent", "requires autocommit.enable to be true");
    }
    headerExtraction = headerExtraction == null ? HeaderExtraction.NONE : headerExtraction;
    errorBackoff = errorBackoff == null ? DEFAULT_ERROR_BACKOFF : errorBackoff;
    traces = traces == null ? SignalTopics.of("otlp_spans") : traces;
    metrics = metrics == null ? SignalTopics.of("otlp_metrics") : metrics;
    logs = logs == null ? SignalTopics.of("otlp_logs") : logs;
    profiles = profiles == null ? SignalTopics.of("otlp_profiles") : profiles;
    maxInFlight = maxInFlight == null ? MaxInFlight.DEFAULT : maxInFlight;
    deadLetter = deadLetter == null ? DeadLetter.NONE : deadLetter;
    if (revokeTimeout == null || revokeTimeout.isNegative()) {
      throw new InvalidValueException(
          "revoke_timeout", "must not be negative, got " + revokeTimeout);
    }
    telemetry = telemetry == null ? ReceiverTelemetry.DEFAULT : telemetry;
    handOver = handOver == null ? HandOver.FETCH : handOver;
    checkEncoding(Signal.TRACES, traces);
    checkEncoding(Signal.METRICS, metrics);
    checkEncoding(Signal.LOGS, logs);
    checkTopics(
        Map.of(
            Signal.TRACES,
            traces,
            Signal.METRICS,
            metrics,
            Signal.LOGS,
            logs,
            Signal.PROFILES,
            profiles),
        deadLetter);
    consumerConfig =
        Passthrough.consumer(
            "consumer_config",
            consumerConfig,
            ConsumerProperties.owned(client, groupInstanceId, rackId, maxFetchSize));
    if (consumerConfig.containsKey(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)) {
      throw new InvalidValueException(
          "consumer_config." + ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
          "is set by Tiercel (offsets are committed only for finished records); use autocommit");
    }
    Passthrough.rejectConflicts(
        "dead_letter.producer_config", deadLetter.producerConfig(), client.ownedProperties());
  }

  private static void positive(String key, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new InvalidValueException(key, "must be positive, got " + d);
    }
  }

  private static void checkTopics(Map<Signal, SignalTopics> signals, DeadLetter deadLetter) {
    Map<String, Signal> owner = new HashMap<>();
    for (Signal s : Signal.values()) {
      List<String> topics = signals.get(s).topics();
      for (int i = 0; i < topics.size(); i++) {
        String t = topics.get(i);
        if (SignalTopics.isRegex(t)) {
          continue;
        }
        Signal other = owner.putIfAbsent(t, s);
        if (other != null && other != s) {
          throw new InvalidValueException(
              s.id() + ".topics[" + i + "]",
              "topic \"" + t + "\" is also read as " + other.id() + "; a topic holds one signal");
        }
      }
    }
    if (deadLetter.enabled()) {
      for (Signal s : Signal.values()) {
        if (signals.get(s).matches(deadLetter.topic())) {
          throw new InvalidValueException(
              "dead_letter.topic",
              "\""
                  + deadLetter.topic()
                  + "\" is read as "
                  + s.id()
                  + "; the dead-letter topic must not be one the receiver consumes");
        }
      }
    }
  }

  /** The signal block for {@code signal}. */
  public SignalTopics signal(Signal signal) {
    return switch (signal) {
      case TRACES -> traces;
      case METRICS -> metrics;
      case LOGS -> logs;
      case PROFILES -> profiles;
    };
  }

  /**
   * The shared client settings: a new instance per call, so the receiver builds it once and keeps
   * it.
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

  private static void checkEncoding(Signal signal, SignalTopics topics) {
    if (!topics.encoding().mayRead(signal)) {
      throw new InvalidValueException(
          signal.id() + ".encoding",
          "\""
              + topics.encoding()
              + "\" holds no "
              + signal.id()
              + " (it is a "
              + java.util.Arrays.stream(Signal.values())
                  .filter(topics.encoding()::mayRead)
                  .map(Signal::id)
                  .collect(java.util.stream.Collectors.joining(", "))
              + " encoding)");
    }
  }

  /** The encodings in use, for the README table and tests. */
  Map<Signal, EncodingRef> encodings() {
    Map<Signal, EncodingRef> m = new LinkedHashMap<>();
    for (Signal s : Signal.values()) {
      m.put(s, signal(s).encoding());
    }
    return m;
  }

  /** Every topic entry of every signal in {@code signals}, for logs. */
  List<String> topicsOf(Iterable<Signal> signals) {
    List<String> all = new ArrayList<>();
    for (Signal s : signals) {
      all.addAll(signal(s).topics());
    }
    return all;
  }
}
