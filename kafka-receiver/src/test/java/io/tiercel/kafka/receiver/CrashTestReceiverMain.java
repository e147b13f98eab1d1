package io.tiercel.kafka.receiver;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Traces;
import io.tiercel.testing.TestData;
import io.tiercel.testing.component.TestHost;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The process {@link ReceiverCrashIT} kills: a kafka receiver feeding a slow "exporter" that
 * appends one line per span ({@code traceId:spanId}) to a file, flushes, waits, and only then
 * completes the future. Args: bootstrap servers, topic, group, output file, milliseconds per
 * record.
 */
public final class CrashTestReceiverMain {
  private CrashTestReceiverMain() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    String group = args[2];
    Path out = Path.of(args[3]);
    long delayMs = Long.parseLong(args[4]);
    BufferedWriter w =
        Files.newBufferedWriter(
            out, StandardCharsets.US_ASCII, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    ExecutorService exporter = Executors.newSingleThreadExecutor();
    TelemetryConsumer<Traces> slow =
        (ctx, data) ->
            CompletableFuture.runAsync(
                () -> {
                  try {
                    for (ResourceSpans rs : data.message().getResourceSpansList()) {
                      for (ScopeSpans ss : rs.getScopeSpansList()) {
                        for (Span s : ss.getSpansList()) {
                          w.write(
                              TestData.hex(s.getTraceId())
                                  + ":"
                                  + TestData.hex(s.getSpanId())
                                  + "\n");
                        }
                      }
                    }
                    w.flush();
                    Thread.sleep(delayMs);
                  } catch (Exception e) {
                    throw new RuntimeException(e);
                  }
                },
                exporter);
    ConfigBuilder b = new ConfigBuilder();
    b.brokers = List.of(bootstrap);
    b.groupId = group;
    b.initialOffset = InitialOffset.EARLIEST;
    b.traces = SignalTopics.of(topic);
    b.metrics = SignalTopics.of(topic + "-m");
    b.logs = SignalTopics.of(topic + "-l");
    b.autocommit = new AutoCommit(true, Duration.ofMillis(200));
    b.sessionTimeout = Duration.ofSeconds(6);
    b.heartbeatInterval = Duration.ofSeconds(1);
    b.maxInFlight = new MaxInFlight(100, 16L << 20);
    b.consumerConfig = Map.of("max.poll.records", 50);
    Receiver r =
        new KafkaReceiverFactory()
            .create(
                Settings.forTest(Kind.RECEIVER, new ComponentId("kafka", "crash"), null),
                b.build(),
                new Consumers(slow, null, null));
    r.start(TestHost.create());
    System.out.println("READY");
    Thread.sleep(Long.MAX_VALUE);
  }
}
