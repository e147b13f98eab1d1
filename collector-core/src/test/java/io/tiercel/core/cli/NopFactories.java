package io.tiercel.core.cli;

import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.ExporterFactory;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.ReceiverFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Do-nothing components for CLI tests. */
final class NopFactories {
  private NopFactories() {}

  record Empty() {}

  static class NopReceiverFactory implements ReceiverFactory<Empty> {
    @Override
    public String type() {
      return "nop";
    }

    @Override
    public Class<Empty> configClass() {
      return Empty.class;
    }

    @Override
    public Empty createDefaultConfig() {
      return new Empty();
    }

    @Override
    public Map<Signal, Stability> signals() {
      return Map.of(Signal.TRACES, Stability.STABLE, Signal.LOGS, Stability.DEVELOPMENT);
    }

    @Override
    public Receiver create(Settings settings, Empty config, Consumers next) {
      next.requireOnly(type(), signals().keySet());
      return new Receiver() {
        @Override
        public void start(Host host) {}

        @Override
        public void shutdown(Deadline deadline) {}
      };
    }
  }

  static final class NopExporterFactory implements ExporterFactory<Empty> {
    @Override
    public String type() {
      return "nop";
    }

    @Override
    public Set<String> aliases() {
      return Set.of("nothing", "devnull");
    }

    @Override
    public Class<Empty> configClass() {
      return Empty.class;
    }

    @Override
    public Empty createDefaultConfig() {
      return new Empty();
    }

    @Override
    public Map<Signal, Stability> signals() {
      return Map.of(Signal.TRACES, Stability.BETA);
    }

    @Override
    public Exporter<Traces> createTraces(Settings settings, Empty config) {
      return new Exporter<>() {
        @Override
        public CompletableFuture<Void> consume(Context ctx, Traces data) {
          return TelemetryConsumer.done();
        }

        @Override
        public void start(Host host) {}

        @Override
        public void shutdown(Deadline deadline) {}
      };
    }
  }
}
