package io.tiercel.core.builtin.debug;

import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.ExporterFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import java.util.Map;

/** The {@code debug} exporter: prints what reaches it through the component's logger at INFO. */
public final class DebugExporterFactory implements ExporterFactory<DebugExporterConfig> {
  /** The component type. */
  public static final String TYPE = "debug";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Class<DebugExporterConfig> configClass() {
    return DebugExporterConfig.class;
  }

  @Override
  public DebugExporterConfig createDefaultConfig() {
    return DebugExporterConfig.DEFAULT;
  }

  @Override
  public Map<Signal, Stability> signals() {
    return Stability.DEVELOPMENT.withProfiles(Stability.DEVELOPMENT);
  }

  @Override
  public <T extends OtlpData> Exporter<T> create(
      Signal signal, Settings settings, DebugExporterConfig config) {
    return new DebugExporter<>(settings, config);
  }
}
