package io.tiercel.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.service.TestComponents.ConfigBuilder;
import io.tiercel.core.service.TestComponents.Events;
import io.tiercel.core.service.TestComponents.ExporterF;
import io.tiercel.core.service.TestComponents.ProcessorF;
import io.tiercel.core.service.TestComponents.ReceiverF;
import io.tiercel.core.telemetry.MetricsRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class ServiceTelemetryIT {
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> get(int port, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesTheComponentCountersAsPrometheusTextOverARealSocket() throws Exception {
    Events events = new Events();
    ReceiverF r = new ReceiverF(events);
    ExporterF e = new ExporterF(events, false);
    Service s =
        new Service(
            new ConfigBuilder()
                .receiver("trecv", r)
                .processor("tproc", new ProcessorF(events, false))
                .exporter("texp", e)
                .pipeline("traces", "trecv", "tproc", "texp")
                .metricsOn("127.0.0.1", 0)
                .build(),
            BuildInfo.DEFAULT,
            new MetricsRegistry(),
            Clock.systemUTC());
    try {
      s.start();
      int port = s.metricsPort();
      assertThat(port).isPositive();
      r.created.push(TestData.spans(5)).join();
      r.created.push(TestData.spans(6)).join();

      HttpResponse<String> res = get(port, "/metrics");
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.headers().firstValue("Content-Type"))
          .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
      assertThat(res.body())
          .contains("# TYPE otelcol_receiver_accepted_spans_total counter\n")
          .contains(
              "otelcol_receiver_accepted_spans_total{receiver=\"trecv\",transport=\"test\"} 11.0\n")
          .contains("otelcol_exporter_sent_spans_total{exporter=\"texp\"} 11.0\n")
          .contains(
              "otelcol_processor_outgoing_items_total{otel_signal=\"traces\",processor=\"tproc\"}"
                  + " 11.0\n")
          .containsPattern("otelcol_process_uptime_total [0-9.E-]+\n")
          .containsPattern("otelcol_process_runtime_heap_alloc_bytes [0-9.E]+\n");
      assertThat(e.get(Signal.TRACES).received).hasSize(2);
      assertThat(get(port, "/nope").statusCode()).isEqualTo(404);
    } finally {
      assertThat(s.shutdown(Duration.ofSeconds(5))).isEmpty();
    }
    assertThat(s.metricsPort()).isEqualTo(-1);
  }

  @Test
  void aPortInUseFailsTheStartNamingTheEndpoint() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      Events events = new Events();
      Service s =
          new Service(
              new ConfigBuilder()
                  .receiver("trecv", new ReceiverF(events))
                  .exporter("texp", new ExporterF(events, false))
                  .pipeline("traces", "trecv", "", "texp")
                  .metricsOn("127.0.0.1", taken.getLocalPort())
                  .build(),
              BuildInfo.DEFAULT,
              new MetricsRegistry(),
              Clock.systemUTC());
      org.assertj.core.api.Assertions.assertThatThrownBy(s::start)
          .isInstanceOf(ServiceException.class)
          .hasMessageStartingWith(
              "failed to start service/telemetry: cannot listen on 127.0.0.1:"
                  + taken.getLocalPort()
                  + ": ");
      assertThat(events.snapshot()).isEmpty();
    }
  }
}
