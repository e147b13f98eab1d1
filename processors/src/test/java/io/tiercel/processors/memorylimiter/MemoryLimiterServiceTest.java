package io.tiercel.processors.memorylimiter;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.builtin.debug.DebugExporterFactory;
import io.tiercel.core.builtin.generator.GeneratorReceiverFactory;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.config.ServiceConfig;
import io.tiercel.core.service.Service;
import io.tiercel.core.telemetry.MetricsRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared limiter belongs to the running service: the pipelines of one service that name one
 * memory_limiter share its limiter; two services built from one registry (the demo runs both tiers
 * on one) share none.
 */
class MemoryLimiterServiceTest {
  private static final long MIB = 1 << 20;

  private final AtomicInteger limitersCreated = new AtomicInteger();
  private final ComponentRegistry registry =
      ComponentRegistry.of(
          List.of(
              new GeneratorReceiverFactory(),
              new DebugExporterFactory(),
              new MemoryLimiterProcessorFactory(
                  4096 * MIB,
                  () -> {
                    limitersCreated.incrementAndGet(); // one heap source per limiter
                    return new MemoryLimiterProcessorTest.CountingHeap();
                  })));

  private Service build(Path dir, String name) throws Exception {
    Path f =
        Files.writeString(
            dir.resolve(name + ".yaml"),
            """
            receivers:
              generator:
            processors:
              memory_limiter:
                check_interval: 1s
                limit_mib: 1000
            exporters:
              debug:
            service:
              telemetry:
                metrics:
                  level: none
              pipelines:
                traces:
                  receivers: [generator]
                  processors: [memory_limiter]
                  exporters: [debug]
                logs:
                  receivers: [generator]
                  processors: [memory_limiter]
                  exporters: [debug]
            """);
    ServiceConfig config =
        new ConfigLoader(registry, Map.<String, String>of()::get)
            .load(List.of(f.toString()), List.of());
    Service service =
        new Service(config, BuildInfo.DEFAULT, new MetricsRegistry(), Clock.systemUTC());
    service.build();
    return service;
  }

  @Test
  void pipelinesOfOneServiceShareALimiterTwoServicesOfOneRegistryDoNot(@TempDir Path dir)
      throws Exception {
    Service first = build(dir, "first");
    assertThat(limitersCreated)
        .as("the traces and logs pipelines of one service share one limiter")
        .hasValue(1);
    Service second = build(dir, "second");
    assertThat(limitersCreated)
        .as("a second service built from the same registry gets a limiter of its own")
        .hasValue(2);
    assertThat(first.shutdown(Duration.ofSeconds(5))).isEmpty();
    assertThat(second.shutdown(Duration.ofSeconds(5))).isEmpty();
  }
}
