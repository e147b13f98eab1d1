package io.tiercel.kafka.receiver;

import io.tiercel.core.exporterhelper.RetryConfig;
import io.tiercel.kafka.common.config.AuthConfig;
import io.tiercel.kafka.common.config.MetadataConfig;
import io.tiercel.kafka.common.config.TlsConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A mutable copy of every config component, so that a test changes one key and builds the record.
 */
final class ConfigBuilder {
  List<String> brokers = List.of("localhost:9092");
  String clientId = "tiercel";
  Duration connIdleTimeout = Duration.ofMinutes(9);
  String groupId = "tiercel";
  Duration sessionTimeout = Duration.ofSeconds(10);
  Duration heartbeatInterval = Duration.ofSeconds(3);
  List<RebalanceStrategy> strategies = List.of(RebalanceStrategy.COOPERATIVE_STICKY);
  RebalanceStrategy strategy;
  String groupInstanceId = "";
  String rackId = "";
  PartitionProcessing partitionProcessing = PartitionProcessing.DEFAULT;
  SignalTopics profiles = SignalTopics.of("otlp_profiles");
  int minFetch = 1;
  int maxFetch;
  int maxPartitionFetch = 1 << 20;
  Duration maxFetchWait = Duration.ofMillis(250);
  SignalTopics traces = SignalTopics.of("otlp_spans");
  SignalTopics metrics = SignalTopics.of("otlp_metrics");
  SignalTopics logs = SignalTopics.of("otlp_logs");
  DeadLetter deadLetter = DeadLetter.NONE;
  Duration revokeTimeout = Duration.ofSeconds(5);
  Map<String, Object> consumerConfig = Map.of();
  MessageMarking marking = MessageMarking.DEFAULT;
  InitialOffset initialOffset = InitialOffset.LATEST;
  AutoCommit autocommit = AutoCommit.DEFAULT;
  MaxInFlight maxInFlight = MaxInFlight.DEFAULT;
  HeaderExtraction headerExtraction = HeaderExtraction.NONE;
  RetryConfig backoff = KafkaReceiverConfig.DEFAULT_ERROR_BACKOFF;
  ReceiverTelemetry telemetry = ReceiverTelemetry.DEFAULT;
  TlsConfig tls;
  AuthConfig auth = AuthConfig.NONE;
  HandOver handOver = HandOver.FETCH;

  KafkaReceiverConfig build() {
    return new KafkaReceiverConfig(
        brokers,
        clientId,
        false,
        connIdleTimeout,
        "",
        auth,
        tls,
        MetadataConfig.DEFAULT,
        groupId,
        groupInstanceId,
        rackId,
        true,
        initialOffset,
        sessionTimeout,
        heartbeatInterval,
        strategies,
        strategy,
        minFetch,
        1 << 20,
        maxFetch,
        maxPartitionFetch,
        maxFetchWait,
        autocommit,
        marking,
        partitionProcessing,
        headerExtraction,
        backoff,
        traces,
        metrics,
        logs,
        profiles,
        maxInFlight,
        deadLetter,
        revokeTimeout,
        telemetry,
        consumerConfig,
        handOver);
  }
}
