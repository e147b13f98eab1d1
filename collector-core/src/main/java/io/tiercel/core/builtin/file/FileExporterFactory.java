package io.tiercel.core.builtin.file;

import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.ExporterFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code file} exporter: writes every request it is given to a file, as OTLP/JSON lines or
 * length-prefixed protobuf. The exporters of all signals writing one path share one writer (per
 * service, in its {@link io.tiercel.core.component.SharedComponents}, with the config of the first
 * exporter created for that path), so that a traces and a metrics pipeline can feed one file
 * without clobbering each other. The writer opens the file when the first of them starts and closes
 * it when the last one shuts down.
 */
public final class FileExporterFactory implements ExporterFactory<FileExporterConfig> {
  /** The component type. */
  public static final String TYPE = "file";

  /** The key of a service's one writer for {@code path}. */
  private record SinkKey(Path path) {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Class<FileExporterConfig> configClass() {
    return FileExporterConfig.class;
  }

  @Override
  public FileExporterConfig createDefaultConfig() {
    return FileExporterConfig.DEFAULT;
  }

  @Override
  public Map<Signal, Stability> signals() {
    return Stability.DEVELOPMENT.withProfiles(Stability.DEVELOPMENT);
  }

  @Override
  public <T extends OtlpData> Exporter<T> create(
      Signal signal, Settings settings, FileExporterConfig config) {
    config.validate();
    if (signal == Signal.PROFILES && config.format() == FileExporterConfig.Format.JSON) {
      // OTLP/JSON of profiles is not implemented: profiles are carried as protobuf bytes
      throw new IllegalArgumentException(
          "format: json does not support the profiles signal; use format: proto");
    }
    Path path = Path.of(config.path()).toAbsolutePath().normalize();
    FileSink sink =
        settings
            .shared()
            .computeIfAbsent(
                new SinkKey(path),
                FileSink.class,
                () ->
                    new FileSink(
                        settings.id().toString(),
                        path,
                        config,
                        settings.logger(),
                        settings.clock()));
    return new FileExporter<>(sink);
  }
}
