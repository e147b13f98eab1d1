package io.tiercel.kafka.receiver;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.telemetry.MetricsRegistry;
import org.apache.kafka.common.TopicPartition;

/**
 * The receiver's own metrics (the collector's {@code otelcol_kafka_receiver_*} names plus the
 * dead-letter and skip counters). The generic {@code otelcol_receiver_accepted_*} metrics are
 * counted by the service with {@code transport=kafka}. Every metric carries the receiver id as
 * {@code receiver}.
 */
final class ReceiverMetrics {
  // seconds; records are normally read well within a second, a backlog after an outage takes
  // minutes
  private static final double[] DELAY_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600
  };
  private final String receiver;
  private final Histogram recordsDelay; // null unless enabled
  private final Counter records;
  private final Counter bytes;
  private final Gauge offsetLag;
  private final Gauge currentOffset;
  private final CounterDataPoint partitionStart;
  private final CounterDataPoint partitionClose;
  private final Counter unmarshalFailedSpans;
  private final Counter unmarshalFailedPoints;
  private final Counter unmarshalFailedLogs;
  private final Counter deadLettered;
  private final Counter skipped;
  private final Counter retries;

  ReceiverMetrics(MetricsRegistry m, String receiver, boolean recordsDelayEnabled) {
    this.receiver = receiver;
    recordsDelay =
        recordsDelayEnabled
            ? m.histogram(
                "otelcol_kafka_receiver_records_delay",
                "Time in seconds between producing a record (its timestamp) and the receiver"
                    + " polling it.",
                DELAY_BUCKETS,
                "receiver",
                "topic",
                "partition")
            : null;
    records =
        m.counter(
            "otelcol_kafka_receiver_records",
            "Number of received records.",
            "receiver",
            "topic",
            "partition",
            "outcome");
    bytes =
        m.counter(
            "otelcol_kafka_receiver_bytes",
            "Bytes of received record values.",
            "receiver",
            "topic",
            "partition",
            "outcome");
    offsetLag =
        m.gauge(
            "otelcol_kafka_receiver_offset_lag",
            "Records between the committable offset and the end of the partition.",
            "receiver",
            "topic",
            "partition");
    currentOffset =
        m.gauge(
            "otelcol_kafka_receiver_current_offset",
            "The last committed offset.",
            "receiver",
            "topic",
            "partition");
    partitionStart =
        m.counter(
                "otelcol_kafka_receiver_partition_start",
                "Number of started partitions.",
                "receiver")
            .labelValues(receiver);
    partitionClose =
        m.counter(
                "otelcol_kafka_receiver_partition_close",
                "Number of finished partitions.",
                "receiver")
            .labelValues(receiver);
    unmarshalFailedSpans =
        m.counter(
            "otelcol_kafka_receiver_unmarshal_failed_spans",
            "Number of records of spans that failed to be unmarshaled.",
            "receiver",
            "topic",
            "partition");
    unmarshalFailedPoints =
        m.counter(
            "otelcol_kafka_receiver_unmarshal_failed_metric_points",
            "Number of records of metric points that failed to be unmarshaled.",
            "receiver",
            "topic",
            "partition");
    unmarshalFailedLogs =
        m.counter(
            "otelcol_kafka_receiver_unmarshal_failed_log_records",
            "Number of records of log records that failed to be unmarshaled.",
            "receiver",
            "topic",
            "partition");
    deadLettered =
        m.counter(
            "otelcol_kafka_receiver_dead_letter_records",
            "Records copied to the dead-letter topic.",
            "receiver",
            "topic",
            "partition",
            "reason");
    skipped =
        m.counter(
            "otelcol_kafka_receiver_skipped_records",
            "Records skipped (undecodable or refused permanently) without a dead-letter topic.",
            "receiver",
            "topic",
            "partition",
            "reason");
    retries =
        m.counter(
            "otelcol_kafka_receiver_retries",
            "Retries scheduled for a record the pipeline refused retryably (the record waits for"
                + " its backoff, then is handed over again).",
            "receiver",
            "topic",
            "partition");
  }

  /** The data points of one partition, looked up once per assignment. */
  final class Partition {
    final CounterDataPoint recordsOk;
    final CounterDataPoint recordsFailed;
    final CounterDataPoint bytesOk;
    final CounterDataPoint bytesFailed;
    final GaugeDataPoint lag;
    final GaugeDataPoint offset;
    final CounterDataPoint unmarshalFailed;
    final CounterDataPoint retried;

    /** Null unless {@code telemetry.metrics.kafka_receiver_records_delay} is enabled. */
    final DistributionDataPoint delay;

    private final String topic;
    private final String partition;

    Partition(TopicPartition tp, Signal signal) {
      topic = tp.topic();
      partition = Integer.toString(tp.partition());
      recordsOk = records.labelValues(receiver, topic, partition, "success");
      recordsFailed = records.labelValues(receiver, topic, partition, "failure");
      bytesOk = bytes.labelValues(receiver, topic, partition, "success");
      bytesFailed = bytes.labelValues(receiver, topic, partition, "failure");
      lag = offsetLag.labelValues(receiver, topic, partition);
      offset = currentOffset.labelValues(receiver, topic, partition);
      Counter c =
          signal == null || signal == Signal.TRACES
              ? unmarshalFailedSpans
              : signal == Signal.METRICS ? unmarshalFailedPoints : unmarshalFailedLogs;
      unmarshalFailed = c.labelValues(receiver, topic, partition);
      retried = retries.labelValues(receiver, topic, partition);
      delay = recordsDelay == null ? null : recordsDelay.labelValues(receiver, topic, partition);
    }

    void deadLettered(String reason) {
      deadLettered.labelValues(receiver, topic, partition, reason).inc();
    }

    void skipped(String reason) {
      skipped.labelValues(receiver, topic, partition, reason).inc();
    }
  }

  Partition partition(TopicPartition tp, Signal signal) {
    return new Partition(tp, signal);
  }

  void partitionStarted() {
    partitionStart.inc();
  }

  void partitionClosed() {
    partitionClose.inc();
  }
}
