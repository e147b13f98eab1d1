package io.tiercel.otlp.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.MalformedDataException;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.OtlpStructure;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.pdata.json.OtlpJson;
import io.tiercel.core.service.Service;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.testing.Mutations;
import io.tiercel.testing.TestData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fuzz run of issue 15 as a test: seeded mutations of real requests (truncation, splices, bit
 * flips, random runs, inserted and removed bytes) sent over real sockets to {@code otlp -> file}.
 * Every answer is 200 or 400 (gRPC OK or INVALID_ARGUMENT), never 500; and the file holds exactly
 * the items of the accepted requests, so nothing of a refused request went downstream.
 */
@Tag("integration")
class MutatedBodiesIT {
  private static final int HTTP_BODIES = 3_000;
  private static final int GRPC_BODIES = 600;

  @TempDir Path dir;

  @Test
  void mutatedBodiesAreRefusedWith400AndNothingOfThemReachesTheFile() throws Exception {
    int grpc = SdkToFileIT.freePort();
    int http = SdkToFileIT.freePort();
    Path out = dir.resolve("out.jsonl");
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        """
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: 127.0.0.1:%d}
              http: {endpoint: 127.0.0.1:%d}
        exporters:
          file: {path: %s}
        service:
          telemetry: {metrics: {level: none}}
          pipelines:
            traces: {receivers: [otlp], exporters: [file]}
            metrics: {receivers: [otlp], exporters: [file]}
            logs: {receivers: [otlp], exporters: [file]}
        """
            .formatted(grpc, http, out));
    var cfg =
        new ConfigLoader(ComponentRegistry.load(), System::getenv)
            .load(List.of(config.toString()), List.of());
    Service service = new Service(cfg, BuildInfo.DEFAULT, new MetricsRegistry(), Clock.systemUTC());
    Map<Signal, byte[]> bases = new EnumMap<>(Signal.class);
    bases.put(Signal.TRACES, TestData.tracesData(3, 4, 1).toByteArray());
    bases.put(Signal.METRICS, TestData.metricsData(3, 3, 2).toByteArray());
    bases.put(Signal.LOGS, TestData.logsData(8, 3).toByteArray());
    Map<Signal, Long> acceptedItems = new EnumMap<>(Signal.class);
    TreeMap<Integer, Integer> httpStatuses = new TreeMap<>();
    TreeMap<String, Integer> grpcCodes = new TreeMap<>();
    service.start();
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", grpc).usePlaintext().build();
    try {
      HttpClient client = HttpClient.newHttpClient();
      SplittableRandom rnd = new SplittableRandom(2026);
      for (int i = 0; i < HTTP_BODIES + GRPC_BODIES; i++) {
        Signal signal = Signal.values()[i % 3];
        byte[] body = Mutations.mutate(bases.get(signal), rnd);
        int expectedItems = itemsIfValid(signal, body);
        boolean accepted;
        if (i < HTTP_BODIES) {
          HttpResponse<byte[]> r =
              client.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + path(signal)))
                      .header("Content-Type", "application/x-protobuf")
                      .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
          httpStatuses.merge(r.statusCode(), 1, Integer::sum);
          assertThat(r.statusCode()).as("HTTP body %d", i).isIn(200, 400);
          accepted = r.statusCode() == 200;
        } else {
          Status.Code code;
          try {
            ClientCalls.blockingUnaryCall(
                channel,
                method(signal),
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                body);
            code = Status.Code.OK;
          } catch (StatusRuntimeException e) {
            code = e.getStatus().getCode();
          }
          grpcCodes.merge(code.name(), 1, Integer::sum);
          assertThat(code).as("gRPC body %d", i).isIn(Status.Code.OK, Status.Code.INVALID_ARGUMENT);
          accepted = code == Status.Code.OK;
        }
        assertThat(accepted)
            .as("body %d accepted iff structurally valid", i)
            .isEqualTo(expectedItems >= 0);
        if (accepted) {
          acceptedItems.merge(signal, (long) expectedItems, Long::sum);
        }
      }
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      service.shutdown(Duration.ofSeconds(10));
    }
    assertThat(httpStatuses.get(400)).as("%s", httpStatuses).isGreaterThan(HTTP_BODIES / 2);
    assertThat(httpStatuses.get(200)).as("%s", httpStatuses).isPositive();
    assertThat(grpcCodes.get("INVALID_ARGUMENT")).as("%s", grpcCodes).isPositive();
    assertThat(fileItems(out)).isEqualTo(acceptedItems);
  }

  private static int itemsIfValid(Signal signal, byte[] body) {
    try {
      return OtlpStructure.check(signal, body);
    } catch (MalformedDataException e) {
      return -1;
    }
  }

  private static Map<Signal, Long> fileItems(Path out) throws IOException {
    Map<Signal, Long> items = new EnumMap<>(Signal.class);
    if (!Files.exists(out)) {
      return items;
    }
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      byte[] b = line.getBytes(StandardCharsets.UTF_8);
      OtlpData d;
      if (line.contains("\"resourceSpans\"")) {
        d = Traces.of(OtlpJson.decodeTraces(b));
      } else if (line.contains("\"resourceMetrics\"")) {
        d = Metrics.of(OtlpJson.decodeMetrics(b));
      } else {
        d = Logs.of(OtlpJson.decodeLogs(b));
      }
      if (d.itemCount() > 0) {
        items.merge(d.signal(), (long) d.itemCount(), Long::sum);
      }
    }
    return items;
  }

  private static String path(Signal signal) {
    return switch (signal) {
      case TRACES -> "/v1/traces";
      case METRICS -> "/v1/metrics";
      case LOGS -> "/v1/logs";
      case PROFILES -> "/v1development/profiles";
    };
  }

  private static MethodDescriptor<byte[], byte[]> method(Signal signal) {
    String service =
        switch (signal) {
          case TRACES -> "opentelemetry.proto.collector.trace.v1.TraceService";
          case METRICS -> "opentelemetry.proto.collector.metrics.v1.MetricsService";
          case LOGS -> "opentelemetry.proto.collector.logs.v1.LogsService";
          case PROFILES -> "opentelemetry.proto.collector.profiles.v1development.ProfilesService";
        };
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(service + "/Export")
        .setRequestMarshaller(Bytes.INSTANCE)
        .setResponseMarshaller(Bytes.INSTANCE)
        .build();
  }

  private enum Bytes implements MethodDescriptor.Marshaller<byte[]> {
    INSTANCE;

    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
