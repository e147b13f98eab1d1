package io.tiercel.processors;

import io.tiercel.core.component.Factory;
import io.tiercel.core.component.Kind;
import io.tiercel.testing.component.ComponentContractTest;
import io.tiercel.testing.component.ContractConfig;
import java.util.Collection;
import java.util.Map;

/** The component contract over every processor of this module. */
class ProcessorsContractTest extends ComponentContractTest {
  @Override
  protected Collection<? extends Factory<?>> factories() {
    return factoriesUnder("io.tiercel.processors");
  }

  @Override
  protected ContractConfig contractConfig() {
    // memory_limiter has no usable default (the collector requires check_interval and a limit).
    return ContractConfig.builder()
        .yaml(
            Kind.PROCESSOR,
            "memory_limiter",
            dir ->
                Map.of(
                    "check_interval", "1s", "limit_percentage", 90, "spike_limit_percentage", 20))
        // tail_sampling requires at least one policy
        .yaml(
            Kind.PROCESSOR,
            "tail_sampling",
            dir ->
                Map.of(
                    "decision_wait",
                    "100ms",
                    "policies",
                    java.util.List.of(Map.of("name", "all", "type", "always_sample"))))
        .build();
  }
}
