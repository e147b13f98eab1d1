package io.tiercel.otlp.exporter;

import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.ExporterFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.exporterhelper.ExporterHelper;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import java.util.Map;
import java.util.Set;

/** The {@code otlp_http} exporter (the collector's {@code otlphttp} is accepted as an alias). */
public final class OtlpHttpExporterFactory implements ExporterFactory<OtlpHttpExporterConfig> {
  @Override
  public String type() {
    return "otlp_http";
  }

  @Override
  public Set<String> aliases() {
    return Set.of("otlphttp");
  }

  @Override
  public Class<OtlpHttpExporterConfig> configClass() {
    return OtlpHttpExporterConfig.class;
  }

  @Override
  public OtlpHttpExporterConfig createDefaultConfig() {
    return OtlpHttpExporterConfig.DEFAULT;
  }

  @Override
  public Map<Signal, Stability> signals() {
    return Map.of(
        Signal.TRACES, Stability.BETA, Signal.METRICS, Stability.BETA, Signal.LOGS, Stability.BETA);
  }

  private static <T extends OtlpData> Exporter<T> create(Settings s, OtlpHttpExporterConfig c) {
    c.validate();
    HttpTransport<T> transport = new HttpTransport<>(s, c);
    return new OtlpExporter<>(
        transport,
        new ExporterHelper<>(s, c.timeout(), c.retryOnFailure(), c.sendingQueue(), transport));
  }

  @Override
  public Exporter<Traces> createTraces(Settings s, OtlpHttpExporterConfig c) {
    return create(s, c);
  }

  @Override
  public Exporter<Metrics> createMetrics(Settings s, OtlpHttpExporterConfig c) {
    return create(s, c);
  }

  @Override
  public Exporter<Logs> createLogs(Settings s, OtlpHttpExporterConfig c) {
    return create(s, c);
  }
}
