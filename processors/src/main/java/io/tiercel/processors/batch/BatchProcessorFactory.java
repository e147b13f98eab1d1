package io.tiercel.processors.batch;

import io.tiercel.core.component.Processor;
import io.tiercel.core.component.ProcessorFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Batches;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import java.util.Map;

/**
 * The {@code batch} processor: joins requests into batches by size and time, acknowledging only
 * after export. Profiles pass through unbatched (see {@link ProfilesPassThrough}).
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
    return Stability.BETA.withProfiles(Stability.DEVELOPMENT);
  }

  @Override
  public <T extends OtlpData> Processor<T> create(
      Signal signal, Settings settings, BatchConfig config, TelemetryConsumer<T> next) {
    if (!Batches.joinable(signal)) {
      return new ProfilesPassThrough<>(next);
    }
    return new BatchProcessor<>(settings, config, next);
  }
}
