package io.tiercel.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

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

  /** The processing pipelines the tool can run (the rows of issue 14's table). */
  enum Pipeline {
    /** kafka -> batch -> file (proto): the floor of receive + join. */
    floor,
    /** kafka -> otlp_grpc: a receiver feeding an exporter without a batch processor. */
    no_batch,
    /** kafka -> batch -> otlp_grpc. */
    batch,
    /** kafka -> memory_limiter -> filter -> transform -> batch -> otlp_grpc. */
    plain,
    /** plain with tail_sampling (5 policies) before batch. */
    tail_sampling
  }

  /**
   * One processing config: a pipeline and its {@code otlp_grpc} exporter's compression (none for
   * the file exporter).
   */
  record Processing(Pipeline pipeline, String compression) {
    /** The name in the report, e.g. {@code tail_sampling/gzip}. */
    String label() {
      return pipeline == Pipeline.floor
          ? "floor (batch -> file)"
          : (pipeline == Pipeline.plain ? "filter+transform" : pipeline.name()) + "/" + compression;
    }
  }

  /** Issue 14's table: the floor, batch with none and gzip, filter+transform, tail_sampling. */
  static final List<String> ISSUE14 =
      List.of(
          "floor",
          "batch/none",
          "batch/gzip",
          "plain/gzip",
          "tail_sampling/gzip",
          "tail_sampling/none");

  /**
   * Parses {@code --processing-configs}: {@code all} (plain and tail_sampling, gzip), {@code
   * issue14} ({@link #ISSUE14}), or names {@code pipeline[/compression]} (compression none, gzip or
   * zstd; default gzip, as the shipped processing config).
   */
  static List<Processing> parse(List<String> names) {
    List<Processing> out = new ArrayList<>();
    for (String n : names) {
      String t = n.strip();
      if (t.equals("all")) {
        out.addAll(parse(List.of("plain", "tail_sampling")));
        continue;
      }
      if (t.equals("issue14")) {
        out.addAll(parse(ISSUE14));
        continue;
      }
      int slash = t.indexOf('/');
      String p = slash < 0 ? t : t.substring(0, slash);
      String c = slash < 0 ? "gzip" : t.substring(slash + 1);
      Pipeline pipeline;
      try {
        pipeline = Pipeline.valueOf(p);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--processing-configs: \""
                + p
                + "\" is not one of all, issue14, "
                + Arrays.stream(Pipeline.values())
                    .map(Enum::name)
                    .collect(Collectors.joining(", ")));
      }
      if (!List.of("none", "gzip", "zstd").contains(c)) {
        throw new IllegalArgumentException(
            "--processing-configs: compression \"" + c + "\" is not one of none, gzip, zstd");
      }
      out.add(new Processing(pipeline, pipeline == Pipeline.floor ? "none" : c));
    }
    return out;
  }

  /**
   * The processing tier as {@code distributions/config/processing.yaml} has it, traces only, cut to
   * {@code p}'s pipeline: kafka -> memory_limiter -> filter -> transform -> [tail_sampling] ->
   * batch -> otlp_grpc (acknowledged only once the backend has the data), or the shorter pipelines
   * of {@link Pipeline}. tail_sampling: 5 policies with a short decision_wait (2 s), and a receiver
   * window large enough for 2 s of data (issue 7: throughput caps at window / decision_wait).
   */
  static Path processing(Path dir, Processing p) throws IOException {
    boolean ts = p.pipeline() == Pipeline.tail_sampling;
    boolean processors = ts || p.pipeline() == Pipeline.plain;
    StringBuilder procs = new StringBuilder();
    List<String> chain = new ArrayList<>();
    if (processors) {
      procs.append(
          """
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
          """);
      chain.addAll(List.of("memory_limiter", "filter", "transform"));
    }
    if (ts) {
      procs.append(
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
          """);
      chain.add("tail_sampling");
    }
    if (p.pipeline() != Pipeline.no_batch) {
      procs.append("  batch: {timeout: 200ms, send_batch_size: 8192}\n");
      chain.add("batch");
    }
    String exporter;
    String exporterId;
    if (p.pipeline() == Pipeline.floor) {
      exporterId = "file";
      exporter = "  file: {path: \"" + dir.resolve("floor-export.bin") + "\", format: proto}\n";
    } else {
      exporterId = "otlp_grpc";
      exporter =
          """
            otlp_grpc:
              endpoint: ${env:OTLP_ENDPOINT}
              compression: %s
              # processing.yaml keeps the default 5s; on a loaded 2-core machine exports then time out and are
              # sent again (duplicates at the sink), which measures the machine rather than the tier
              timeout: 30s
              sending_queue: {wait_for_result: true}
          """
              .formatted(p.compression());
    }
    String name = p.label().replaceAll("[^A-Za-z0-9_]+", "-");
    return write(
        dir.resolve("processing-" + name + ".yaml"),
        """
        # Written by the load tool: distributions/config/processing.yaml for traces, pipeline %s. The tool sets
        # the brokers, the topic, the group and the exporter's endpoint with --set.
        receivers:
          kafka:
            brokers: ["${env:KAFKA_BROKERS}"]
            group_id: tiercel-processing
            initial_offset: earliest
            traces: {topics: [otlp_spans], encoding: otlp_proto}
        %s
        %s
        exporters:
        %s
        service:
          pipelines:
            traces:
              receivers: [kafka]
              processors: [%s]
              exporters: [%s]
        """
            .formatted(
                p.label(),
                ts ? "    max_in_flight: {records: 100000, bytes: 268435456}" : "",
                procs.length() == 0 ? "" : "processors:\n" + procs,
                exporter,
                String.join(", ", chain),
                exporterId));
  }

  private static Path write(Path p, String yaml) throws IOException {
    Files.writeString(p, yaml);
    return p;
  }
}
