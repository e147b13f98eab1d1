package io.tiercel.otlp.receiver;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.StatusRegistry;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.Traces;
import java.time.Duration;
import java.util.Map;

/** A started {@code otlp} receiver on free loopback ports, feeding recording sinks. */
final class ReceiverFixture implements AutoCloseable {
  final RecordingSink<Traces> traces = new RecordingSink<>();
  final RecordingSink<Metrics> metrics = new RecordingSink<>();
  final RecordingSink<Logs> logs = new RecordingSink<>();
  final OtlpReceiver receiver;

  private ReceiverFixture(
      OtlpReceiverConfig config, boolean withMetrics, boolean withLogs, int maxInFlight)
      throws Exception {
    this(config, withMetrics, withLogs, maxInFlight, OtlpReceiver.DEFAULT_MAX_BYTES_IN_FLIGHT);
  }

  private ReceiverFixture(
      OtlpReceiverConfig config,
      boolean withMetrics,
      boolean withLogs,
      int maxInFlight,
      long maxBytes)
      throws Exception {
    Consumers consumers =
        new Consumers(traces, withMetrics ? metrics : null, withLogs ? logs : null);
    receiver =
        new OtlpReceiver(
            Settings.forTest(Kind.RECEIVER, ComponentId.of("otlp"), null),
            config,
            consumers,
            maxInFlight,
            maxBytes);
    receiver.start(host());
  }

  /** Both protocols, every signal, include_metadata on both. */
  static ReceiverFixture all() throws Exception {
    return new ReceiverFixture(config(true), true, true, OtlpReceiver.DEFAULT_MAX_IN_FLIGHT);
  }

  /** Both protocols; only traces have a pipeline. */
  static ReceiverFixture tracesOnly() throws Exception {
    return new ReceiverFixture(config(false), false, false, OtlpReceiver.DEFAULT_MAX_IN_FLIGHT);
  }

  /** Both protocols, every signal, at most {@code maxInFlight} requests in flight. */
  static ReceiverFixture withMaxInFlight(int maxInFlight) throws Exception {
    return new ReceiverFixture(config(false), true, true, maxInFlight);
  }

  /** Both protocols, every signal, at most {@code maxBytes} of HTTP bodies held at once. */
  static ReceiverFixture withMaxBytes(long maxBytes) throws Exception {
    return new ReceiverFixture(
        config(false), true, true, OtlpReceiver.DEFAULT_MAX_IN_FLIGHT, maxBytes);
  }

  /** A custom config, every signal. */
  static ReceiverFixture of(OtlpReceiverConfig config) throws Exception {
    return new ReceiverFixture(config, true, true, OtlpReceiver.DEFAULT_MAX_IN_FLIGHT);
  }

  static OtlpReceiverConfig config(boolean includeMetadata) {
    return new OtlpReceiverConfig(
        new OtlpReceiverConfig.Protocols(
            new OtlpReceiverConfig.Grpc(
                "127.0.0.1:0", null, null, null, null, null, null, null, includeMetadata),
            new OtlpReceiverConfig.Http(
                "127.0.0.1:0",
                null,
                null,
                null,
                includeMetadata,
                null,
                null,
                null,
                null,
                null,
                null)));
  }

  static Host host() {
    StatusRegistry status = new StatusRegistry();
    return new Host() {
      @Override
      public Map<ComponentId, Extension> extensions() {
        return Map.of();
      }

      @Override
      public StatusRegistry status() {
        return status;
      }
    };
  }

  /**
   * Waits (up to 10 s) until no request holds a permit or body bytes: both are given back just
   * after the answer is written, which the client may see first.
   */
  void awaitIdle() throws InterruptedException {
    long end = System.nanoTime() + 10_000_000_000L;
    while ((receiver.inFlightForTest() != 0 || receiver.bytesInFlightForTest() != 0)
        && System.nanoTime() < end) {
      Thread.sleep(5);
    }
  }

  int grpcPort() {
    return receiver.grpcAddress().getPort();
  }

  int httpPort() {
    return receiver.httpAddress().getPort();
  }

  String grpcEndpoint() {
    return "http://127.0.0.1:" + grpcPort();
  }

  String httpUrl(String path) {
    return "http://127.0.0.1:" + httpPort() + path;
  }

  @Override
  public void close() throws Exception {
    receiver.shutdown(Deadline.in(Duration.ofSeconds(5)));
  }
}
