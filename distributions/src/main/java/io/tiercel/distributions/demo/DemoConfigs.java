package io.tiercel.distributions.demo;

import io.tiercel.core.config.GoDuration;
import io.tiercel.core.pdata.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The demo's three configs as YAML a user could run: the generator (the load), the ingestion tier
 * and the processing tier, with the ports, brokers and topics of one run.
 */
final class DemoConfigs {
  /**
   * The demo's tail_sampling {@code decision_wait}: short, so that the summary follows the
   * generator quickly.
   */
  static final Duration DECISION_WAIT = Duration.ofSeconds(2);

  /** Its policies, in order (the shipped processing.yaml's). */
  static final List<String> POLICIES = List.of("errors", "slow", "ten-percent");

  private DemoConfigs() {}

  static String client(int rate, int otlpPort) {
    return """
    # The load: a generator sending over OTLP gRPC, acknowledged only when the ingestion tier has the data in Kafka.
    # Traces of 5 spans: about 5%% have an error span (1%% of spans), about 9%% last over 1 s (roots last 5 ms to
    # 1.1 s), so each of tail sampling's policies has something to keep.
    receivers:
      generator:
        seed: 42
        rate: %d
        batch_size: 100
        max_in_flight: 16
        traces: {spans_per_trace: 5, error_ratio: 0.01, min_duration: 5ms, max_duration: 1100ms}
    exporters:
      otlp_grpc:
        endpoint: http://127.0.0.1:%d
        sending_queue: {wait_for_result: true}
        retry_on_failure: {initial_interval: 100ms, max_interval: 1s}
    service:
      telemetry: {metrics: {level: none}}
      pipelines:
        traces: {receivers: [generator], exporters: [otlp_grpc]}
        metrics: {receivers: [generator], exporters: [otlp_grpc]}
        logs: {receivers: [generator], exporters: [otlp_grpc]}
    """
        .formatted(rate, otlpPort);
  }

  static String ingestion(int otlpPort, String bootstrap, Map<Signal, String> topics) {
    return """
    # Ingestion tier: OTLP in, Kafka out (one record per trace, keyed by trace id).
    receivers:
      otlp:
        protocols:
          grpc: {endpoint: 127.0.0.1:%d}
    processors:
      memory_limiter: {check_interval: 1s, limit_percentage: 85, spike_limit_percentage: 15}
      batch: {timeout: 100ms, send_batch_size: 4096}
    exporters:
      kafka:
        brokers: [%s]
        traces: {topic: %s}
        metrics: {topic: %s}
        logs: {topic: %s}
        partition_traces_by_id: true
        partition_metrics_by_resource_attributes: true
        partition_logs_by_resource_attributes: true
        producer: {required_acks: all, compression: lz4}
        sending_queue: {wait_for_result: true}
    service:
      telemetry: {metrics: {level: none}}
      pipelines:
        traces: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [kafka]}
        metrics: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [kafka]}
        logs: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [kafka]}
    """
        .formatted(
            otlpPort,
            bootstrap,
            topics.get(Signal.TRACES),
            topics.get(Signal.METRICS),
            topics.get(Signal.LOGS));
  }

  static String processing(String bootstrap, Map<Signal, String> topics, String run, Path file) {
    return """
    # Processing tier: a consumer group in (offsets committed only after export or a drop on purpose), OTTL
    # filter/transform, tail sampling of traces (as the shipped processing.yaml, with a short decision_wait), file out.
    receivers:
      kafka:
        brokers: [%s]
        group_id: tiercel-demo-%s
        initial_offset: earliest
        traces: {topics: [%s]}
        metrics: {topics: [%s]}
        logs: {topics: [%s]}
        # per partition: >= records/s per partition x (decision_wait + 1 s tick), here >= 1,500 x 3 s
        max_in_flight: {records: 5000, bytes: 16777216}
    processors:
      filter:
        error_mode: ignore
        traces:
          span:
            - IsMatch(span.attributes["url.path"], "^/(health|healthz|metrics)(/|$)")
        logs:
          log_record:
            - severity_number < SEVERITY_NUMBER_INFO
      transform:
        trace_statements:
          - set(span.attributes["tiercel.tier"], "processing")
      tail_sampling:
        decision_wait: %s
        num_traces: 50000
        decision_cache: {sampled_cache_size: 100000, non_sampled_cache_size: 100000}
        policies:
          - {name: %s, type: status_code, status_code: {status_codes: [ERROR]}}
          - {name: %s, type: latency, latency: {threshold_ms: 1000}}
          - {name: %s, type: probabilistic, probabilistic: {sampling_percentage: 10}}
      batch: {timeout: 200ms}
    exporters:
      file: {path: %s}
    service:
      telemetry: {metrics: {level: none}}
      pipelines:
        traces: {receivers: [kafka], processors: [filter, transform, tail_sampling, batch], exporters: [file]}
        metrics: {receivers: [kafka], processors: [batch], exporters: [file]}
        logs: {receivers: [kafka], processors: [filter, batch], exporters: [file]}
    """
        .formatted(
            bootstrap,
            run,
            topics.get(Signal.TRACES),
            topics.get(Signal.METRICS),
            topics.get(Signal.LOGS),
            GoDuration.format(DECISION_WAIT),
            POLICIES.get(0),
            POLICIES.get(1),
            POLICIES.get(2),
            file);
  }
}
