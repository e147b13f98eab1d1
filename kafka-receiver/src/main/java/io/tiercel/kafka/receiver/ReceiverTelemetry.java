package io.tiercel.kafka.receiver;

/**
 * {@code telemetry}: the receiver's optional metrics, with the collector's keys ({@code
 * telemetry.metrics.kafka_receiver_records_delay.enabled}).
 *
 * @param metrics the switches of the optional metrics
 */
public record ReceiverTelemetry(Metrics metrics) {
  /** Every optional metric off, as in the collector. */
  public static final ReceiverTelemetry DEFAULT = new ReceiverTelemetry(Metrics.DEFAULT);

  public ReceiverTelemetry {
    metrics = metrics == null ? Metrics.DEFAULT : metrics;
  }

  /** True when {@code otelcol_kafka_receiver_records_delay} is reported. */
  boolean recordsDelay() {
    return metrics.kafkaReceiverRecordsDelay().enabled();
  }

  /**
   * {@code telemetry.metrics}.
   *
   * @param kafkaReceiverRecordsDelay {@code otelcol_kafka_receiver_records_delay}, a histogram of
   *     the seconds between a record's timestamp and its poll, per topic and partition; off by
   *     default because it costs one observation per record
   */
  public record Metrics(MetricSwitch kafkaReceiverRecordsDelay) {
    /** Every optional metric off. */
    public static final Metrics DEFAULT = new Metrics(MetricSwitch.OFF);

    public Metrics {
      kafkaReceiverRecordsDelay =
          kafkaReceiverRecordsDelay == null ? MetricSwitch.OFF : kafkaReceiverRecordsDelay;
    }
  }

  /**
   * One optional metric's switch.
   *
   * @param enabled whether the metric is reported
   */
  public record MetricSwitch(boolean enabled) {
    /** Not reported. */
    public static final MetricSwitch OFF = new MetricSwitch(false);
  }
}
