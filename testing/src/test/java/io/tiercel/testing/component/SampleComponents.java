package io.tiercel.testing.component;

import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.ExporterFactory;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.ExtensionFactory;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Processor;
import io.tiercel.core.component.ProcessorFactory;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.ReceiverFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Well-behaved components of every kind, registered for this module's contract run. */
final class SampleComponents {
  private SampleComponents() {}

  /** Config of the sample exporter: an output dir that the contract's hook must provide. */
  record SinkConfig(String directory, int maxItems) {
    SinkConfig {
      if (maxItems < 1) {
        throw new IllegalArgumentException("max_items must be positive");
      }
    }
  }

  record NoConfig() {}

  /**
   * Counts items into a file in a directory; traces and logs only; start fails without a directory.
   */
  public static final class SinkExporterFactory implements ExporterFactory<SinkConfig> {
    @Override
    public String type() {
      return "sample_sink";
    }

    @Override
    public Class<SinkConfig> configClass() {
      return SinkConfig.class;
    }

    @Override
    public SinkConfig createDefaultConfig() {
      return new SinkConfig("", 1000);
    }

    @Override
    public Map<Signal, Stability> signals() {
      return Map.of(Signal.TRACES, Stability.ALPHA, Signal.LOGS, Stability.DEVELOPMENT);
    }

    @Override
    public Exporter<Traces> createTraces(Settings settings, SinkConfig config) {
      return new SinkExporter<>(config);
    }

    @Override
    public Exporter<Logs> createLogs(Settings settings, SinkConfig config) {
      return new SinkExporter<>(config);
    }
  }

  static final class SinkExporter<T extends OtlpData> implements Exporter<T> {
    private final SinkConfig config;
    private Path file;

    SinkExporter(SinkConfig config) {
      this.config = config;
    }

    @Override
    public void start(Host host) throws Exception {
      if (config.directory().isEmpty()) {
        throw new IllegalStateException("directory is required");
      }
      file = Files.createFile(Path.of(config.directory(), "items.txt"));
    }

    @Override
    public CompletableFuture<Void> consume(Context ctx, T data) {
      try {
        Files.writeString(file, data.itemCount() + "\n", java.nio.file.StandardOpenOption.APPEND);
        return TelemetryConsumer.done();
      } catch (Exception e) {
        return TelemetryConsumer.failed(new RetryableException("write failed", e));
      }
    }

    @Override
    public void shutdown(Deadline deadline) {}
  }

  /**
   * Holds everything until shutdown, then forwards it and completes the held futures with the
   * result.
   */
  public static final class HoldingProcessorFactory implements ProcessorFactory<NoConfig> {
    @Override
    public String type() {
      return "sample_holding";
    }

    @Override
    public Class<NoConfig> configClass() {
      return NoConfig.class;
    }

    @Override
    public NoConfig createDefaultConfig() {
      return new NoConfig();
    }

    @Override
    public Map<Signal, Stability> signals() {
      return Map.of(
          Signal.TRACES,
          Stability.BETA,
          Signal.METRICS,
          Stability.BETA,
          Signal.LOGS,
          Stability.BETA);
    }

    @Override
    public Processor<Traces> createTraces(
        Settings settings, NoConfig config, TelemetryConsumer<Traces> next) {
      return new HoldingProcessor<>(next);
    }

    @Override
    public Processor<Metrics> createMetrics(
        Settings settings, NoConfig config, TelemetryConsumer<Metrics> next) {
      return new HoldingProcessor<>(next);
    }

    @Override
    public Processor<Logs> createLogs(
        Settings settings, NoConfig config, TelemetryConsumer<Logs> next) {
      return new HoldingProcessor<>(next);
    }
  }

  static final class HoldingProcessor<T extends OtlpData> implements Processor<T> {
    private final TelemetryConsumer<T> next;
    private final Object lock = new Object();
    private final List<Map.Entry<T, CompletableFuture<Void>>> held = new ArrayList<>();

    HoldingProcessor(TelemetryConsumer<T> next) {
      this.next = next;
    }

    @Override
    public void start(Host host) {}

    @Override
    public CompletableFuture<Void> consume(Context ctx, T data) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      synchronized (lock) {
        held.add(Map.entry(data, f));
      }
      return f;
    }

    @Override
    public void shutdown(Deadline deadline) {
      List<Map.Entry<T, CompletableFuture<Void>>> out;
      synchronized (lock) {
        out = new ArrayList<>(held);
        held.clear();
      }
      for (Map.Entry<T, CompletableFuture<Void>> e : out) {
        next.consume(Context.EMPTY, e.getKey())
            .whenComplete(
                (v, t) -> {
                  if (t != null) {
                    e.getValue().completeExceptionally(t);
                  } else {
                    e.getValue().complete(null);
                  }
                });
      }
    }
  }

  /** Emits one batch of traces on a thread of its own after start. */
  public static final class EmitterReceiverFactory implements ReceiverFactory<NoConfig> {
    @Override
    public String type() {
      return "sample_emitter";
    }

    @Override
    public Class<NoConfig> configClass() {
      return NoConfig.class;
    }

    @Override
    public NoConfig createDefaultConfig() {
      return new NoConfig();
    }

    @Override
    public Map<Signal, Stability> signals() {
      return Map.of(Signal.TRACES, Stability.STABLE);
    }

    @Override
    public Receiver create(Settings settings, NoConfig config, Consumers next) {
      next.requireOnly(type(), signals().keySet());
      return new Receiver() {
        private Thread thread;

        @Override
        public void start(Host host) {
          thread =
              new Thread(
                  () -> next.traces().consume(Context.EMPTY, TestData.traces(2, 2, 1)),
                  "sample-emitter");
          thread.setDaemon(true);
          thread.start();
        }

        @Override
        public void shutdown(Deadline deadline) throws InterruptedException {
          if (thread != null) {
            thread.join(deadline.remainingMillis() + 1);
          }
        }
      };
    }
  }

  /** Does nothing, correctly. */
  public static final class NoopExtensionFactory implements ExtensionFactory<NoConfig> {
    @Override
    public String type() {
      return "sample_noop";
    }

    @Override
    public Class<NoConfig> configClass() {
      return NoConfig.class;
    }

    @Override
    public NoConfig createDefaultConfig() {
      return new NoConfig();
    }

    @Override
    public Stability stability() {
      return Stability.DEVELOPMENT;
    }

    @Override
    public Extension create(Settings settings, NoConfig config) {
      return new Extension() {
        @Override
        public void start(Host host) {}

        @Override
        public void shutdown(Deadline deadline) {}
      };
    }
  }
}
