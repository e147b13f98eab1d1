package io.tiercel.otlp.receiver;

import io.tiercel.core.component.Factory;
import io.tiercel.core.component.Kind;
import io.tiercel.testing.component.ComponentContractTest;
import io.tiercel.testing.component.ContractConfig;
import java.util.Collection;
import java.util.Map;

/**
 * The shared component contract over the otlp receiver (both protocols on free loopback ports) and
 * the OTLP exporters (pointed at a closed port: their sends fail retryably and the shutdown must
 * still finish every future).
 */
class OtlpContractTest extends ComponentContractTest {
  @Override
  protected Collection<? extends Factory<?>> factories() {
    return factoriesUnder("io.tiercel.otlp");
  }

  @Override
  protected ContractConfig contractConfig() {
    // the default names no protocol (the user picks, as in the collector)
    return ContractConfig.builder()
        .yaml(
            Kind.RECEIVER,
            "otlp",
            dir ->
                Map.of(
                    "protocols",
                    Map.of(
                        "grpc",
                        Map.of("endpoint", "127.0.0.1:0"),
                        "http",
                        Map.of("endpoint", "127.0.0.1:0"))))
        // the exporters have no default endpoint (as in the collector)
        .yaml(
            Kind.EXPORTER,
            "otlp_grpc",
            dir ->
                Map.of(
                    "endpoint",
                    "http://127.0.0.1:1",
                    "timeout",
                    "1s",
                    "retry_on_failure",
                    Map.of("enabled", false)))
        .yaml(
            Kind.EXPORTER,
            "otlp_http",
            dir ->
                Map.of(
                    "endpoint",
                    "http://127.0.0.1:1",
                    "timeout",
                    "1s",
                    "retry_on_failure",
                    Map.of("enabled", false)))
        .build();
  }
}
