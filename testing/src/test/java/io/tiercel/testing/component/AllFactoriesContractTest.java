package io.tiercel.testing.component;

import io.tiercel.core.component.Kind;
import io.tiercel.core.extension.storage.FileStorageConfig;

/**
 * Runs the component contract over every factory on this module's test class path: collector-core's and the
 * samples registered under {@code src/test/resources}.
 */
class AllFactoriesContractTest extends ComponentContractTest {
  @Override
  protected ContractConfig contractConfig() {
    return ContractConfig.builder()
        .config(Kind.EXTENSION, "file_storage", (defaults, dir) -> {
          FileStorageConfig d = (FileStorageConfig) defaults;
          return new FileStorageConfig(dir.resolve("storage").toString(), d.timeout(), d.fsync(), true,
              d.directoryPermissions(), d.compaction());
        })
        .config(Kind.EXPORTER, "sample_sink",
            (defaults, dir) -> new SampleComponents.SinkConfig(dir.toString(), 10))
        .build();
  }
}
