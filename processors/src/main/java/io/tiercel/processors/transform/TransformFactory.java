package io.tiercel.processors.transform;

import io.tiercel.core.component.Processor;
import io.tiercel.core.component.ProcessorFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.featuregate.FeatureGates;
import io.tiercel.core.featuregate.Gate;
import io.tiercel.core.featuregate.Stage;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.pdata.TracesView;
import io.tiercel.processors.ottl.ErrorMode;
import io.tiercel.processors.ottl.Errors;
import io.tiercel.processors.ottl.OttlGates;
import io.tiercel.processors.ottl.func.FunctionRegistry;
import java.util.List;
import java.util.Map;

/** Creates {@code transform} processors (traces, metrics, logs; alpha). */
public final class TransformFactory implements ProcessorFactory<TransformConfig> {
  public static final String TYPE = "transform";

  /**
   * The collector's gate for {@code flatten_data}: log data is flattened before the statements run,
   * so each record has its own copy of its resource and scope, and regrouped after.
   */
  public static final Gate FLATTEN_LOGS_GATE =
      new Gate(
          "transform.flatten.logs",
          Stage.ALPHA,
          "Allows flatten_data: transform gives every log record its own copy of its resource and"
              + " scope before running the statements, and regroups the records by resource and"
              + " scope after.",
          "https://github.com/open-telemetry/opentelemetry-collector-contrib/issues/32080#issuecomment-2120764953");

  /** The collector's gate that makes an unset {@code error_mode} mean {@code ignore}. */
  public static final Gate DEFAULT_ERROR_MODE_IGNORE_GATE =
      new Gate(
          "processor.transform.defaultErrorModeIgnore",
          Stage.BETA,
          "Makes ignore, not propagate, the error_mode of a transform processor that does not set"
              + " one.",
          "https://github.com/open-telemetry/opentelemetry-collector-contrib/issues/47231");

  @Override
  public List<Gate> featureGates() {
    return List.of(FunctionRegistry.LAMBDA_GATE, FLATTEN_LOGS_GATE, DEFAULT_ERROR_MODE_IGNORE_GATE);
  }

  /**
   * The error mode of statements whose config sets none: {@code ignore} while {@link
   * #DEFAULT_ERROR_MODE_IGNORE_GATE} is on (its default), {@code propagate} when it is disabled.
   */
  public static ErrorMode defaultErrorMode(FeatureGates gates) {
    return gates.isEnabled(DEFAULT_ERROR_MODE_IGNORE_GATE) ? ErrorMode.IGNORE : ErrorMode.PROPAGATE;
  }

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
    if (c.flattenData() && !s.featureGates().isEnabled(FLATTEN_LOGS_GATE)) {
      // the collector's config validation, which sees the gates; here the gates are the service's
      throw new InvalidValueException(
          "flatten_data",
          "'flatten_data' requires the '"
              + FLATTEN_LOGS_GATE.id()
              + "' feature gate to be enabled");
    }
    OttlGates.require(c.groups(signal), s.featureGates());
    Errors errors =
        new Errors(s.logger(), "processor " + s.id(), defaultErrorMode(s.featureGates()));
    return signal == Signal.LOGS && c.flattenData()
        ? TransformRunner.flattening(c.transformGroups(signal), s.clock(), errors)
        : TransformRunner.of(c.transformGroups(signal), s.clock(), errors);
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
        t -> c.logStatements().isEmpty() && !c.flattenData() ? t : Logs.of(r.apply(t.message())),
        next);
  }
}
