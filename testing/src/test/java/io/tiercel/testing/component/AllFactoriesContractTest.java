package io.tiercel.testing.component;

import io.tiercel.core.component.Kind;
import java.util.Map;

/**
 * Runs the component contract over every factory on this module's test class path: collector-core's
 * and the samples registered under {@code src/test/resources}.
 */
class AllFactoriesContractTest extends ComponentContractTest {
  @Override
  protected ContractConfig contractConfig() {
    return ContractConfig.builder()
        .yaml(
            Kind.EXTENSION,
            "file_storage",
            dir -> Map.of("directory", dir.resolve("storage").toString(), "create_directory", true))
        .yaml(Kind.EXTENSION, "basicauth", dir -> Map.of("htpasswd", Map.of("inline", "u:p")))
        .yaml(Kind.EXTENSION, "bearertokenauth", dir -> Map.of("token", "t"))
        .yaml(
            Kind.EXPORTER,
            "file",
            // proto: the contract creates every declared signal, and profiles are written as
            // protobuf only
            dir -> Map.of("path", dir.resolve("out.pb").toString(), "format", "proto"))
        .yaml(
            Kind.EXPORTER,
            "sample_sink",
            dir -> Map.of("directory", dir.toString(), "max_items", 10))
        .build();
  }
}
