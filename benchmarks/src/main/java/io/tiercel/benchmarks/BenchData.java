package io.tiercel.benchmarks;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.builtin.generator.GeneratorReceiverConfig;
import io.tiercel.core.builtin.generator.GeneratorReceiverFactory;
import io.tiercel.core.builtin.generator.TelemetryGenerator;

/** Realistic OTLP requests from the generator (HTTP-service spans, fixed seed). */
final class BenchData {
  private BenchData() {}

  static TracesData traces(int spans) {
    GeneratorReceiverConfig cfg = new GeneratorReceiverFactory().createDefaultConfig();
    return new TelemetryGenerator(cfg, 7).traces(spans, 1_700_000_000_000_000_000L);
  }
}
