package io.tiercel.core.builtin.debug;

import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.OtlpData;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;

/**
 * Prints each request it is given (sampled per second like the collector's debug exporter) through
 * the component logger at INFO, or, with {@code use_internal_logger: false}, to standard output
 * and/or standard error, then completes the future. One log call (or one write) per request
 * whatever the verbosity, so that the lines of one request stay together.
 */
final class DebugExporter<T extends OtlpData> implements Exporter<T> {
  private final Logger log;
  private final DebugExporterConfig config;
  private final Sampler sampler;
  private final List<PrintStream> streams;

  DebugExporter(Settings settings, DebugExporterConfig config) {
    this.log = settings.logger();
    this.config = config;
    this.streams =
        Boolean.TRUE.equals(config.useInternalLogger())
            ? List.of()
            : config.streams().stream()
                .map(s -> s.equals("stderr") ? System.err : System.out)
                .toList();
    this.sampler =
        new Sampler(config.samplingInitial(), config.samplingThereafter(), System::nanoTime);
  }

  @Override
  public void start(Host host) {}

  @Override
  public CompletableFuture<Void> consume(Context ctx, T data) {
    try {
      if ((!streams.isEmpty() || log.isInfoEnabled()) && sampler.sample()) {
        String text =
            switch (config.verbosity()) {
              case BASIC -> DebugFormat.basic(data);
              case NORMAL -> DebugFormat.basic(data) + DebugFormat.normal(data);
              case DETAILED -> DebugFormat.basic(data) + "\n" + DebugFormat.detailed(data);
            };
        if (streams.isEmpty()) {
          log.info(text);
        }
        for (PrintStream out : streams) {
          out.println(text);
        }
      }
      return TelemetryConsumer.done();
    } catch (RuntimeException e) {
      return TelemetryConsumer.failed(PipelineException.classify(e));
    }
  }

  @Override
  public void shutdown(Deadline deadline) {}
}
