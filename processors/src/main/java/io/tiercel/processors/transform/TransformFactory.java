package io.tiercel.processors.transform;

import io.tiercel.core.component.Processor;
import io.tiercel.core.component.ProcessorFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.pdata.TracesView;
import io.tiercel.processors.ottl.Errors;
import java.util.Map;

/** Creates {@code transform} processors (traces, metrics, logs; alpha). */
public final class TransformFactory implements ProcessorFactory<TransformConfig> {
  public static final String TYPE = "transform";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Class<TransformConfig> configClass() {
    return TransformConfig.class;
  }

  @Override
  public TransformConfig createDefaultConfig() {
    return TransformConfig.defaults();
  }

  @Override
  public Map<Signal, Stability> signals() {
    return Stability.ALPHA.forEverySignal();
  }

  private static TransformRunner runner(Settings s, TransformConfig c, Signal signal) {
    return new TransformRunner(
        c.groups(signal), s.clock(), new Errors(s.logger(), "processor " + s.id()));
  }

  @Override
  public Processor<Traces> createTraces(
      Settings s, TransformConfig c, TelemetryConsumer<Traces> next) {
    TransformRunner r = runner(s, c, Signal.TRACES);
    return new TransformProcessor<>(
        t -> {
          if (c.traceStatements().isEmpty()) {
            return t;
          }
          if (t.hasMessage()) {
            return Traces.of(r.apply(t.message()));
          }
          // bytes or a view: statements edit the view, untouched spans stay byte ranges
          TracesView v = t.view();
          int before = v.modifications();
          r.apply(v);
          return v.modifications() == before ? t : Traces.ofView(v);
        },
        next);
  }

  @Override
  public Processor<Metrics> createMetrics(
      Settings s, TransformConfig c, TelemetryConsumer<Metrics> next) {
    TransformRunner r = runner(s, c, Signal.METRICS);
    return new TransformProcessor<>(
        t -> c.metricStatements().isEmpty() ? t : Metrics.of(r.apply(t.message())), next);
  }

  @Override
  public Processor<Logs> createLogs(Settings s, TransformConfig c, TelemetryConsumer<Logs> next) {
    TransformRunner r = runner(s, c, Signal.LOGS);
    return new TransformProcessor<>(
        t -> c.logStatements().isEmpty() ? t : Logs.of(r.apply(t.message())), next);
  }
}
