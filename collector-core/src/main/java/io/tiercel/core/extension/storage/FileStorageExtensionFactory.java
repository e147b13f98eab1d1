package io.tiercel.core.extension.storage;

import io.tiercel.core.component.Extension;
import io.tiercel.core.component.ExtensionFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;

/** The {@code file_storage} extension: durable directories for persistent sending queues. */
public final class FileStorageExtensionFactory implements ExtensionFactory<FileStorageConfig> {
  @Override
  public String type() {
    return "file_storage";
  }

  @Override
  public Class<FileStorageConfig> configClass() {
    return FileStorageConfig.class;
  }

  @Override
  public FileStorageConfig createDefaultConfig() {
    return FileStorageConfig.DEFAULT;
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public Extension create(Settings settings, FileStorageConfig config) {
    return new FileStorageExtension(settings, config);
  }
}
