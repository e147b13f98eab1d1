package io.tiercel.otlp.exporter;

import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.ExporterFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.exporterhelper.ExporterHelper;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The OTLP exporters, one factory registered under two types: {@code otlp_grpc} (the collector's
 * {@code otlp} is accepted as an alias) and {@code otlp_http} (alias {@code otlphttp}). The two
 * differ only in type, config record and transport; validation and the queue/retry/timeout helper
 * are shared. {@link java.util.ServiceLoader} instantiates a factory by class with no arguments, so
 * each type is registered as a nested class that only names its type, config and transport ({@link
 * Grpc}, {@link Http}).
 *
 * @param <C> the config record of the transport
 */
public abstract sealed class OtlpExporterFactory<C extends Record & OtlpExporterConfig>
    implements ExporterFactory<C> permits OtlpExporterFactory.Grpc, OtlpExporterFactory.Http {
  private final String type;
  private final String alias;
  private final Class<C> configClass;
  private final C defaultConfig;

  private OtlpExporterFactory(String type, String alias, Class<C> configClass, C defaultConfig) {
    this.type = type;
    this.alias = alias;
    this.configClass = configClass;
    this.defaultConfig = defaultConfig;
  }

  /** The {@code otlp_grpc} exporter (alias {@code otlp}): gRPC unary calls. */
  public static final class Grpc extends OtlpExporterFactory<OtlpGrpcExporterConfig> {
    public Grpc() {
      super("otlp_grpc", "otlp", OtlpGrpcExporterConfig.class, OtlpGrpcExporterConfig.DEFAULT);
    }

    @Override
    <T extends OtlpData> OtlpExporter.Transport<T> transport(
        Settings settings, OtlpGrpcExporterConfig config) {
      return new GrpcTransport<>(settings, config);
    }
  }

  /** The {@code otlp_http} exporter (alias {@code otlphttp}): HTTP {@code POST}s. */
  public static final class Http extends OtlpExporterFactory<OtlpHttpExporterConfig> {
    public Http() {
      super("otlp_http", "otlphttp", OtlpHttpExporterConfig.class, OtlpHttpExporterConfig.DEFAULT);
    }

    @Override
    <T extends OtlpData> OtlpExporter.Transport<T> transport(
        Settings settings, OtlpHttpExporterConfig config) {
      return new HttpTransport<>(settings, config);
    }
  }

  /** The connection of one exporter instance; opened at start. */
  abstract <T extends OtlpData> OtlpExporter.Transport<T> transport(Settings settings, C config);

  @Override
  public final String type() {
    return type;
  }

  @Override
  public final Set<String> aliases() {
    return Set.of(alias);
  }

  @Override
  public final Class<C> configClass() {
    return configClass;
  }

  @Override
  public final C createDefaultConfig() {
    return defaultConfig;
  }

  @Override
  public final Map<Signal, Stability> signals() {
    return Stability.BETA.withProfiles(Stability.DEVELOPMENT);
  }

  @Override
  public final <T extends OtlpData> Exporter<T> create(Signal signal, Settings settings, C config) {
    Objects.requireNonNull(config, "config").validate();
    OtlpExporter.Transport<T> transport = transport(settings, config);
    return new OtlpExporter<>(
        transport,
        new ExporterHelper<>(
            settings, config.timeout(), config.retryOnFailure(), config.sendingQueue(), transport),
        "exporters." + settings.id(),
        config.auth());
  }
}
