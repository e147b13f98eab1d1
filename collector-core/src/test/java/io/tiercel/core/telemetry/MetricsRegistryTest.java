package io.tiercel.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.tracer.common.SpanContext;
import io.prometheus.metrics.tracer.initializer.SpanContextSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsRegistryTest {
  @AfterEach
  void noSpan() {
    SpanContextSupplier.setSpanContext(null);
  }

  @Test
  void metricsTakeNoExemplarsEvenInsideASampledSpan() {
    SpanContextSupplier.setSpanContext(
        new SpanContext() {
          @Override
          public String getCurrentTraceId() {
            return "0af7651916cd43dd8448eb211c80319c";
          }

          @Override
          public String getCurrentSpanId() {
            return "b7ad6b7169203331";
          }

          @Override
          public boolean isCurrentSpanSampled() {
            return true;
          }

          @Override
          public void markCurrentSpanAsExemplar() {}
        });
    MetricsRegistry m = new MetricsRegistry();
    var c = m.counter("t_requests", "Requests.", "k");
    var h = m.histogram("t_latency", "Latency.", new double[] {0.1, 1}, "k");
    for (int i = 0; i < 3; i++) {
      c.labelValues("a").inc();
      h.labelValues("a").observe(0.5);
    }
    CounterSnapshot.CounterDataPointSnapshot cp = c.collect().getDataPoints().get(0);
    HistogramSnapshot.HistogramDataPointSnapshot hp = h.collect().getDataPoints().get(0);
    assertThat(cp.getValue()).isEqualTo(3);
    assertThat(cp.getExemplar()).isNull();
    assertThat(hp.getCount()).isEqualTo(3);
    assertThat(hp.getExemplars().size()).isZero();
  }
}
