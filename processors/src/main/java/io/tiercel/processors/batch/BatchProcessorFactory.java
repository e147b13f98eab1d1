package io.tiercel.processors.batch;

import io.tiercel.core.component.Processor;
import io.tiercel.core.component.ProcessorFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import java.util.Map;

/**
 * The {@code batch} processor: joins requests into batches by size and time, acknowledging only
 * after export.
 */
public final class BatchProcessorFactory implements ProcessorFactory<BatchConfig> {
  @Override
  public String type() {
    return "batch";
  }

  @Override
  public Class<BatchConfig> configClass() {
    return BatchConfig.class;
  }

  @Override
  public BatchConfig createDefaultConfig() {
    return BatchConfig.DEFAULT;
  }

  @Override
  public Map<Signal, Stability> signals() {
    return Map.of(
        Signal.TRACES, Stability.BETA, Signal.METRICS, Stability.BETA, Signal.LOGS, Stability.BETA);
  }

  @Override
  public Processor<Traces> createTraces(
      Settings settings, BatchConfig config, TelemetryConsumer<Traces> next) {
    return new BatchProcessor<>(settings, config, next);
  }

  @Override
  public Processor<Metrics> createMetrics(
      Settings settings, BatchConfig config, TelemetryConsumer<Metrics> next) {
    return new BatchProcessor<>(settings, config, next);
  }

  @Override
  public Processor<Logs> createLogs(
      Settings settings, BatchConfig config, TelemetryConsumer<Logs> next) {
    return new BatchProcessor<>(settings, config, next);
  }
}
