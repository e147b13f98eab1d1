package io.tiercel.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tiers' configs the load tool writes when the user gives none: the shipped ones of {@code
 * distributions/config}, traces only.
 */
final class BuiltInConfigs {
  private BuiltInConfigs() {}

  /**
   * The ingestion tier as {@code distributions/config/ingestion.yaml} has it, traces only: otlp ->
   * memory_limiter -> batch (200ms, 8192) -> kafka (otlp_proto, keyed by trace id, acks all, lz4,
   * acknowledged only once Kafka has the data). Endpoints, brokers and topic are set by the tool.
   */
  static Path ingestion(Path dir) throws IOException {
    return write(
        dir.resolve("ingestion.yaml"),
        """
        # Written by the load tool: distributions/config/ingestion.yaml for traces. The tool sets the endpoints,
        # the brokers and the topic with --set.
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: 127.0.0.1:4317, max_recv_msg_size_mib: 16}
              http: {endpoint: 127.0.0.1:4318}
        processors:
          memory_limiter: {check_interval: 1s, limit_percentage: 80, spike_limit_percentage: 25}
          batch: {timeout: 200ms, send_batch_size: 8192}
        exporters:
          kafka:
            brokers: ["${env:KAFKA_BROKERS}"]
            traces: {topic: otlp_spans, encoding: otlp_proto}
            partition_traces_by_id: true
            producer: {required_acks: all, compression: lz4}
            sending_queue: {wait_for_result: true}
        service:
          pipelines:
            traces:
              receivers: [otlp]
              processors: [memory_limiter, batch]
              exporters: [kafka]
        """);
  }

  /**
   * The processing tier as {@code distributions/config/processing.yaml} has it, traces only: kafka
   * -> memory_limiter -> filter -> transform -> [tail_sampling] -> batch -> otlp_grpc (gzip,
   * acknowledged only once the backend has the data). tail_sampling: 5 policies with a short
   * decision_wait (2 s), and a receiver window large enough for 2 s of data (issue 7: throughput
   * caps at window / decision_wait).
   */
  static Path processing(Path dir, boolean tailSampling) throws IOException {
    String ts =
        """
          tail_sampling:
            decision_wait: 2s
            num_traces: 200000
            decision_cache: {sampled_cache_size: 100000, non_sampled_cache_size: 100000}
            policies:
              - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
              - {name: slow, type: latency, latency: {threshold_ms: 250}}
              - name: server-errors
                type: numeric_attribute
                numeric_attribute: {key: http.response.status_code, min_value: 500, max_value: 599}
              - {name: checkout, type: string_attribute, string_attribute: {key: http.route, values: [/api/checkout]}}
              - {name: ten-percent, type: probabilistic, probabilistic: {sampling_percentage: 10}}
        """;
    return write(
        dir.resolve(tailSampling ? "processing-tail-sampling.yaml" : "processing.yaml"),
        """
        # Written by the load tool: distributions/config/processing.yaml for traces%s. The tool sets the brokers,
        # the topic, the group and the exporter's endpoint with --set.
        receivers:
          kafka:
            brokers: ["${env:KAFKA_BROKERS}"]
            group_id: tiercel-processing
            initial_offset: earliest
            traces: {topics: [otlp_spans], encoding: otlp_proto}
        %s
        processors:
          memory_limiter: {check_interval: 1s, limit_percentage: 80, spike_limit_percentage: 25}
          filter:
            error_mode: ignore
            traces:
              span:
                - IsMatch(span.attributes["url.path"], "^/(health|healthz|metrics)(/|$)")
          transform:
            error_mode: ignore
            trace_statements:
              - set(resource.attributes["tiercel.tier"], "processing")
        %s
          batch: {timeout: 200ms, send_batch_size: 8192}
        exporters:
          otlp_grpc:
            endpoint: ${env:OTLP_ENDPOINT}
            compression: gzip
            # processing.yaml keeps the default 5s; on a loaded 2-core machine exports then time out and are sent
            # again (duplicates at the sink), which measures the machine rather than the tier
            timeout: 30s
            sending_queue: {wait_for_result: true}
        service:
          pipelines:
            traces:
              receivers: [kafka]
              processors: [memory_limiter, filter, transform, %sbatch]
              exporters: [otlp_grpc]
        """
            .formatted(
                tailSampling ? ", with tail_sampling" : "",
                tailSampling ? "    max_in_flight: {records: 100000, bytes: 268435456}" : "",
                tailSampling ? ts : "",
                tailSampling ? "tail_sampling, " : ""));
  }

  private static Path write(Path p, String yaml) throws IOException {
    Files.writeString(p, yaml);
    return p;
  }
}
