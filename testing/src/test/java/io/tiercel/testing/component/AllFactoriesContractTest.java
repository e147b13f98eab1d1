package io.tiercel.testing.component;

import io.tiercel.core.component.Kind;

/** Runs the component contract over every factory on this module's test class path. */
class AllFactoriesContractTest extends ComponentContractTest {
  @Override
  protected ContractConfig contractConfig() {
    return ContractConfig.builder()
        .config(Kind.EXPORTER, "sample_sink",
            (defaults, dir) -> new SampleComponents.SinkConfig(dir.toString(), 10))
        .build();
  }
}
