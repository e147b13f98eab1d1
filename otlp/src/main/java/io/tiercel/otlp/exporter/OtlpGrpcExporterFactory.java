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

/** The {@code otlp_grpc} exporter (the collector's {@code otlp} is accepted as an alias). */
public final class OtlpGrpcExporterFactory implements ExporterFactory<OtlpGrpcExporterConfig> {
  @Override
  public String type() {
    return "otlp_grpc";
  }

  @Override
  public Set<String> aliases() {
    return Set.of("otlp");
  }

  @Override
  public Class<OtlpGrpcExporterConfig> configClass() {
    return OtlpGrpcExporterConfig.class;
  }

  @Override
  public OtlpGrpcExporterConfig createDefaultConfig() {
    return OtlpGrpcExporterConfig.DEFAULT;
  }

  @Override
  public Map<Signal, Stability> signals() {
    return Map.of(
        Signal.TRACES, Stability.BETA, Signal.METRICS, Stability.BETA, Signal.LOGS, Stability.BETA);
  }

  private static <T extends OtlpData> Exporter<T> create(Settings s, OtlpGrpcExporterConfig c) {
    c.validate();
    GrpcTransport<T> transport = new GrpcTransport<>(s, c);
    return new OtlpExporter<>(
        transport,
        new ExporterHelper<>(s, c.timeout(), c.retryOnFailure(), c.sendingQueue(), transport));
  }

  @Override
  public Exporter<Traces> createTraces(Settings s, OtlpGrpcExporterConfig c) {
    return create(s, c);
  }

  @Override
  public Exporter<Metrics> createMetrics(Settings s, OtlpGrpcExporterConfig c) {
    return create(s, c);
  }

  @Override
  public Exporter<Logs> createLogs(Settings s, OtlpGrpcExporterConfig c) {
    return create(s, c);
  }
}
