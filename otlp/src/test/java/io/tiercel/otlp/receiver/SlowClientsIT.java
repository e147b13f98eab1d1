package io.tiercel.otlp.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.SharedComponents;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.telemetry.MetricsRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Clients that hold connections without finishing a request: slow-loris HTTP heads are closed after
 * {@code read_header_timeout} and counted, thousands of idle gRPC streams and connections stay
 * open, and a normal client is served throughout; the receiver keeps running.
 */
@Tag("integration")
class SlowClientsIT {
  private final RecordingSink<Traces> traces = new RecordingSink<>();
  private final MetricsRegistry metrics = new MetricsRegistry();
  private OtlpReceiver receiver;
  private final List<Socket> sockets = new ArrayList<>();

  private OtlpReceiver start(OtlpReceiverConfig config) throws Exception {
    Settings settings =
        new Settings(
            ComponentId.of("otlp"),
            Kind.RECEIVER,
            null,
            LoggerFactory.getLogger("it.otlp"),
            metrics,
            Clock.systemUTC(),
            BuildInfo.DEFAULT,
            SharedComponents.create());
    receiver =
        new OtlpReceiver(
            settings,
            config,
            new Consumers(traces, new RecordingSink<Metrics>(), new RecordingSink<Logs>()),
            OtlpReceiver.DEFAULT_MAX_IN_FLIGHT,
            OtlpReceiver.DEFAULT_MAX_BYTES_IN_FLIGHT);
    receiver.start(ReceiverFixture.host());
    return receiver;
  }

  @AfterEach
  void stop() throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
    if (receiver != null) {
      receiver.shutdown(Deadline.in(Duration.ofSeconds(5)));
    }
  }

  private long refused(String key) {
    for (MetricSnapshot s : metrics.prometheus().scrape()) {
      if (s.getMetadata().getName().equals("otelcol_receiver_refused_requests")
          && s instanceof CounterSnapshot c) {
        return (long)
            c.getDataPoints().stream()
                .filter(
                    p ->
                        key.equals(
                            p.getLabels().get("transport") + "/" + p.getLabels().get("reason")))
                .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
                .sum();
      }
    }
    return 0;
  }

  private long spansIn() {
    return traces.calls().stream().mapToLong(c -> c.data().itemCount()).sum();
  }

  private void exportHttp(int port) {
    try (OtlpHttpSpanExporter e =
        OtlpHttpSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + port + "/v1/traces")
            .build()) {
      assertThat(e.export(SdkData.spans()).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
  }

  @Test
  void slowLorisHeadsAreClosedAfterTheHeaderTimeoutWhileANormalClientIsServed() throws Exception {
    Duration headerTimeout = Duration.ofSeconds(1);
    OtlpReceiverConfig.Http http =
        new OtlpReceiverConfig.Http(
            "127.0.0.1:0",
            null,
            null,
            null,
            false,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            headerTimeout,
            null);
    start(new OtlpReceiverConfig(new OtlpReceiverConfig.Protocols(null, http)));
    int port = receiver.httpAddress().getPort();
    int slowClients = 300;
    long opened = System.nanoTime();
    for (int i = 0; i < slowClients; i++) {
      Socket s = new Socket();
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(15_000);
      s.getOutputStream()
          .write(
              "POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\nX-Slow: "
                  .getBytes(StandardCharsets.US_ASCII));
      sockets.add(s);
    }
    // one more header byte per client every 100 ms: the head never completes
    Thread drip =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                for (Socket s : sockets) {
                  try {
                    OutputStream o = s.getOutputStream();
                    o.write('x');
                    o.flush();
                  } catch (IOException closedByTheServer) {
                    // expected once the header timeout passed
                  }
                }
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    drip.setDaemon(true);
    drip.start();
    try {
      exportHttp(port); // served while every slow client holds its connection
      int closed = 0;
      for (Socket s : sockets) {
        if (closedByServer(s)) {
          closed++;
        }
      }
      long heldMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened);
      assertThat(closed).isEqualTo(slowClients);
      assertThat(heldMillis).isGreaterThanOrEqualTo(headerTimeout.toMillis());
      assertThat(refused("http/read_timeout")).isEqualTo(slowClients);
      exportHttp(port); // and after they are gone
      assertThat(spansIn()).isEqualTo(2L * SdkData.spans().size());
    } finally {
      drip.interrupt();
    }
  }

  /** True when the server closed the socket (end of stream or a reset) before the read timeout. */
  private static boolean closedByServer(Socket s) {
    try {
      InputStream in = s.getInputStream();
      while (true) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (java.net.SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  @Test
  void tenThousandIdleGrpcStreamsAndIdleConnectionsDoNotStopANormalClient() throws Exception {
    OtlpReceiverConfig.Grpc grpc =
        new OtlpReceiverConfig.Grpc("127.0.0.1:0", null, null, null, 200, null, null, null, false);
    start(new OtlpReceiverConfig(new OtlpReceiverConfig.Protocols(grpc, null)));
    int port = receiver.grpcAddress().getPort();
    List<ManagedChannel> channels = new ArrayList<>();
    List<ClientCall<ExportTraceServiceRequest, ExportTraceServiceResponse>> calls =
        new ArrayList<>();
    try {
      // 10,000 calls started and never sent: 100 connections of 100 open streams each
      for (int c = 0; c < 100; c++) {
        ManagedChannel ch =
            NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        channels.add(ch);
        for (int i = 0; i < 100; i++) {
          ClientCall<ExportTraceServiceRequest, ExportTraceServiceResponse> call =
              ch.newCall(TraceServiceGrpc.getExportMethod(), CallOptions.DEFAULT);
          call.start(new ClientCall.Listener<>() {}, new Metadata());
          call.request(1);
          calls.add(call);
        }
      }
      // and 2,000 connections that never send a byte
      for (int i = 0; i < 2000; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        sockets.add(s);
      }
      try (OtlpGrpcSpanExporter e =
          OtlpGrpcSpanExporter.builder()
              .setEndpoint("http://127.0.0.1:" + port)
              .setTimeout(Duration.ofSeconds(30))
              .build()) {
        assertThat(e.export(SdkData.spans()).join(40, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
      assertThat(spansIn()).isEqualTo(SdkData.spans().size());
      assertThat(receiver.inFlightForTest()).isZero();
    } finally {
      calls.forEach(c -> c.cancel("done", null));
      for (ManagedChannel ch : channels) {
        ch.shutdownNow();
      }
      for (ManagedChannel ch : channels) {
        ch.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
