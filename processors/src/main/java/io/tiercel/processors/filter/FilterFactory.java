package io.tiercel.processors.filter;

import io.tiercel.core.component.Processor;
import io.tiercel.core.component.ProcessorFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
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

/**
 * Creates {@code filter} processors. Counts dropped items in {@code
 * otelcol_processor_filter_spans_filtered}, {@code otelcol_processor_filter_datapoints_filtered}
 * and {@code otelcol_processor_filter_logs_filtered} (the collector's {@code
 * otelcol_processor_filter_*.filtered}, in Prometheus spelling) with label {@code filter} = the
 * processor id.
 */
public final class FilterFactory implements ProcessorFactory<FilterConfig> {
  public static final String TYPE = "filter";

  /** The collector's gate that makes an unset {@code error_mode} mean {@code ignore}. */
  public static final Gate DEFAULT_ERROR_MODE_IGNORE_GATE =
      new Gate(
          "processor.filter.defaultErrorModeIgnore",
          Stage.BETA,
          "Makes ignore, not propagate, the error_mode of a filter processor that does not set"
              + " one.",
          "https://github.com/open-telemetry/opentelemetry-collector-contrib/issues/47232");

  @Override
  public List<Gate> featureGates() {
    return List.of(FunctionRegistry.LAMBDA_GATE, DEFAULT_ERROR_MODE_IGNORE_GATE);
  }

  /**
   * The error mode of conditions whose config sets none: {@code ignore} while {@link
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
  public Class<FilterConfig> configClass() {
    return FilterConfig.class;
  }

  @Override
  public FilterConfig createDefaultConfig() {
    return FilterConfig.defaults();
  }

  @Override
  public Map<Signal, Stability> signals() {
    return Stability.ALPHA.forEverySignal();
  }

  private static Filters filters(Settings s, FilterConfig c, Signal signal) {
    for (FilterConfig.Rule r : c.conditions(signal)) {
      OttlGates.requireCondition(r.condition(), s.featureGates());
    }
    return new Filters(
        c.conditions(signal),
        c.legacySkips(signal),
        new Errors(s.logger(), "processor " + s.id(), defaultErrorMode(s.featureGates())),
        s.clock());
  }

  private static io.prometheus.metrics.core.datapoints.CounterDataPoint counter(
      Settings s, String item) {
    return s.metrics()
        .counter(
            "otelcol_processor_filter_" + item + "_filtered",
            "Number of " + item + " dropped by the filter processor",
            "filter")
        .labelValues(s.id().toString());
  }

  @Override
  public Processor<Traces> createTraces(
      Settings s, FilterConfig c, TelemetryConsumer<Traces> next) {
    Filters f = filters(s, c, Signal.TRACES);
    return new FilterProcessor<>(
        t -> {
          if (!t.hasMessage()) {
            // bytes or a view: conditions read the wire, drops are skipped byte ranges
            TracesView v = t.view();
            int before = v.modifications();
            Filters.Result<TracesView> r = f.apply(v);
            return new Filters.Result<>(
                r.data() == null ? null : v.modifications() == before ? t : Traces.ofView(v),
                r.dropped());
          }
          Filters.Result<io.opentelemetry.proto.trace.v1.TracesData> r = f.apply(t.message());
          return new Filters.Result<>(
              r.data() == null ? null : r.data() == t.message() ? t : Traces.of(r.data()),
              r.dropped());
        },
        next,
        counter(s, "spans"));
  }

  @Override
  public Processor<Metrics> createMetrics(
      Settings s, FilterConfig c, TelemetryConsumer<Metrics> next) {
    Filters f = filters(s, c, Signal.METRICS);
    return new FilterProcessor<>(
        t -> {
          Filters.Result<io.opentelemetry.proto.metrics.v1.MetricsData> r = f.apply(t.message());
          return new Filters.Result<>(
              r.data() == null ? null : r.data() == t.message() ? t : Metrics.of(r.data()),
              r.dropped());
        },
        next,
        counter(s, "datapoints"));
  }

  @Override
  public Processor<Logs> createLogs(Settings s, FilterConfig c, TelemetryConsumer<Logs> next) {
    Filters f = filters(s, c, Signal.LOGS);
    return new FilterProcessor<>(
        t -> {
          Filters.Result<io.opentelemetry.proto.logs.v1.LogsData> r = f.apply(t.message());
          return new Filters.Result<>(
              r.data() == null ? null : r.data() == t.message() ? t : Logs.of(r.data()),
              r.dropped());
        },
        next,
        counter(s, "logs"));
  }
}
