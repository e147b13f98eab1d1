package io.tiercel.distributions.reload;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.service.Service;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.distributions.SdkSpans;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reloads a running pipeline (otlp -> filter -> tail_sampling -> file) five times while OTLP gRPC
 * clients (the OpenTelemetry Java SDK's exporter, retries off so that a refused or failed call
 * shows) send spans steadily, changing a filter statement, a tail_sampling policy and the
 * exporter's file; and once with an invalid config, which changes nothing. Every span is one trace
 * with a {@code tag} (the rules' input) and a {@code seq}; each is checked against the rules of the
 * phases it may have met: between the last reload done when it was sent and the last one begun when
 * it was acknowledged (the acknowledgement comes after the tail_sampling decision and the write). A
 * span sent and acknowledged within one phase must end exactly as that phase's rules say.
 */
@Tag("integration")
class ReloadUnderTrafficIT {
  private static final List<String> TAGS = List.of("a", "b", "c", "d");
  private static final int CLIENTS = 4;
  private static final int WINDOW = 4; // the SDK's HTTP client runs 5 calls per host at once
  private static final Duration PHASE = Duration.ofSeconds(4);

  /** The rules of one phase: the tag the filter drops, the tags tail_sampling keeps, the sink. */
  record Phase(String drop, List<String> keep, String sink) {
    boolean passes(String tag) {
      return !tag.equals(drop) && keep.contains(tag);
    }
  }

  private static final List<Phase> PHASES =
      List.of(
          new Phase("a", List.of("a", "b", "c"), "first"),
          new Phase("b", List.of("a", "b", "c"), "first"), // filter statement
          new Phase("b", List.of("a", "d"), "first"), // tail_sampling policy
          new Phase("b", List.of("a", "d"), "second"), // exporter file
          new Phase("c", List.of("b", "c", "d"), "second"), // filter and policy
          new Phase("c", List.of("b", "c", "d"), "first")); // exporter file back

  private static String yaml(Phase p, int port, Path dir) {
    return """
    receivers:
      otlp: {protocols: {grpc: {endpoint: 127.0.0.1:%d}}}
    processors:
      filter:
        error_mode: ignore
        traces:
          span:
            - 'attributes["tag"] == "%s"'
      tail_sampling:
        decision_wait: 200ms
        policies:
          - {name: by-tag, type: string_attribute, string_attribute: {key: tag, values: [%s]}}
    exporters:
      file/sink: {path: %s, format: proto, append: true}  # the last phase writes the first file again
    service:
      telemetry: {metrics: {level: none}}
      pipelines:
        traces: {receivers: [otlp], processors: [filter, tail_sampling], exporters: [file/sink]}
    """
        .formatted(port, p.drop(), String.join(", ", p.keep()), dir.resolve(p.sink() + ".otlp"));
  }

  /** What the clients know of one span. */
  static final class Sent {
    final String tag;
    final int lo; // reloads done when it was sent
    volatile int hi = -1; // reloads begun when it was acknowledged

    Sent(String tag, int lo) {
      this.tag = tag;
      this.lo = lo;
    }
  }

  private volatile int begun;
  private volatile int done;
  private volatile boolean sending = true;
  private final Map<Long, Sent> sent = new ConcurrentHashMap<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final AtomicInteger seq = new AtomicInteger();

  @Test
  void fiveReloadsUnderTrafficLoseNothingRefuseNothingAndApplyTheNewRules(@TempDir Path dir)
      throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, yaml(PHASES.get(0), port, dir));
    ConfigLoader loader = new ConfigLoader(ComponentRegistry.load(), System::getenv);
    Service service =
        new Service(
            loader.load(List.of(config.toString()), List.of()),
            BuildInfo.DEFAULT,
            new MetricsRegistry(),
            Clock.systemUTC());
    service.start();
    List<Thread> clients = new ArrayList<>();
    List<OtlpGrpcSpanExporter> exporters = new ArrayList<>();
    Semaphore windows = new Semaphore(CLIENTS * WINDOW);
    try {
      for (int c = 0; c < CLIENTS; c++) {
        OtlpGrpcSpanExporter e =
            OtlpGrpcSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + port)
                .setTimeout(Duration.ofSeconds(30))
                .setRetryPolicy(null)
                .build();
        exporters.add(e);
        Thread t = new Thread(() -> send(e, windows), "reload-it-client-" + c);
        t.setDaemon(true);
        t.start();
        clients.add(t);
      }
      for (int k = 1; k < PHASES.size(); k++) {
        Thread.sleep(PHASE.toMillis());
        if (k == 3) { // an invalid config: logged, counted, the running graph stays
          Files.writeString(
              config,
              yaml(PHASES.get(2), port, dir).replace("type: string_attribute", "type: sometimes"));
          List<String> errors = service.reload(() -> load(loader, config), Duration.ofSeconds(30));
          assertThat(errors)
              .singleElement()
              .asString()
              .startsWith("processors.tail_sampling.policies[0].type: \"sometimes\" is not one of");
          Thread.sleep(PHASE.toMillis() / 2);
        }
        Files.writeString(config, yaml(PHASES.get(k), port, dir));
        begun = k;
        List<String> errors = service.reload(() -> load(loader, config), Duration.ofSeconds(30));
        done = k;
        assertThat(errors).as("reload %d", k).isEmpty();
      }
      Thread.sleep(PHASE.toMillis());
    } finally {
      sending = false;
      for (Thread t : clients) {
        t.join(TimeUnit.SECONDS.toMillis(30));
      }
      assertThat(windows.tryAcquire(CLIENTS * WINDOW, 30, TimeUnit.SECONDS))
          .as("every call answered")
          .isTrue();
      exporters.forEach(OtlpGrpcSpanExporter::close);
      assertThat(service.shutdown(Duration.ofSeconds(30))).isEmpty();
    }

    assertThat(failures).as("failed or refused calls").isEmpty();
    Map<Long, String> seen = new HashMap<>();
    List<Long> duplicates = new ArrayList<>();
    for (String sink : List.of("first", "second")) {
      for (long s : read(dir.resolve(sink + ".otlp"))) {
        if (seen.put(s, sink) != null) {
          duplicates.add(s);
        }
      }
    }
    assertThat(duplicates).as("spans written twice").isEmpty();
    assertThat(sent.keySet()).as("every written span was sent").containsAll(seen.keySet());
    int[] exact = new int[PHASES.size()];
    List<String> wrong = new ArrayList<>();
    sent.forEach(
        (s, x) -> {
          String where = seen.get(s);
          if (x.lo == x.hi) {
            exact[x.lo]++;
            Phase p = PHASES.get(x.lo);
            String expected = p.passes(x.tag) ? p.sink() : null;
            if (!java.util.Objects.equals(expected, where)) {
              wrong.add("span " + s + " tag " + x.tag + " in phase " + x.lo + " went to " + where);
            }
          } else if (!possible(x, where)) {
            wrong.add(
                "span "
                    + s
                    + " tag "
                    + x.tag
                    + " in phases "
                    + x.lo
                    + ".."
                    + x.hi
                    + " -> "
                    + where);
          }
        });
    System.out.printf(
        "reload under traffic: %,d spans sent and acknowledged, %,d written (%,d to the first"
            + " file), %s sent and acknowledged within one phase, per phase%n",
        sent.size(),
        seen.size(),
        seen.values().stream().filter("first"::equals).count(),
        java.util.Arrays.toString(exact));
    assertThat(wrong)
        .as("spans that did not follow the rules in effect (lost or misrouted)")
        .isEmpty();
    for (int k = 0; k < PHASES.size(); k++) {
      assertThat(exact[k]).as("spans sent and acknowledged within phase %d", k).isGreaterThan(20);
    }
  }

  private static io.tiercel.core.config.ServiceConfig load(ConfigLoader loader, Path config)
      throws io.tiercel.core.config.ConfigException {
    return loader.load(List.of(config.toString()), List.of());
  }

  /**
   * Whether a span that met phases lo..hi may end at {@code where} (null: dropped): the filter of
   * some phase i and the policy and file of phases j >= i in the range.
   */
  private static boolean possible(Sent x, String where) {
    for (int i = x.lo; i <= x.hi; i++) {
      for (int j = i; j <= x.hi; j++) {
        Phase f = PHASES.get(i);
        Phase t = PHASES.get(j);
        boolean passes = !x.tag.equals(f.drop()) && t.keep().contains(x.tag);
        if (where == null ? !passes : passes && sinkFrom(j, x.hi, where)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean sinkFrom(int j, int hi, String where) {
    for (int k = j; k <= hi; k++) {
      if (PHASES.get(k).sink().equals(where)) {
        return true;
      }
    }
    return false;
  }

  /** One client: requests of one span per tag (each its own trace), at most WINDOW at once. */
  private void send(OtlpGrpcSpanExporter exporter, Semaphore windows) {
    List<SpanData> ended = new CopyOnWriteArrayList<>();
    Semaphore mine = new Semaphore(WINDOW);
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder().addSpanProcessor(SdkSpans.collectInto(ended)).build()) {
      Tracer tracer = provider.get("reload-it");
      while (sending) {
        if (!mine.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
        windows.acquire();
        int lo = done;
        List<Long> ids = new ArrayList<>();
        for (String tag : TAGS) {
          long s = seq.incrementAndGet();
          tracer
              .spanBuilder("s" + s)
              .setNoParent()
              .setAttribute("tag", tag)
              .setAttribute(AttributeKey.longKey("seq"), s)
              .startSpan()
              .end();
          sent.put(s, new Sent(tag, lo));
          ids.add(s);
        }
        List<SpanData> batch = List.copyOf(ended);
        ended.clear();
        CompletableResultCode rc = exporter.export(batch);
        rc.whenComplete(
            () -> {
              int hi = begun;
              if (rc.isSuccess()) {
                ids.forEach(s -> sent.get(s).hi = hi);
              } else {
                failures.add("call with spans " + ids + " failed: " + rc.getFailureThrowable());
                ids.forEach(sent::remove);
              }
              mine.release();
              windows.release();
            });
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The {@code seq} of every span in a {@code file} exporter output ({@code proto} format). */
  private static List<Long> read(Path file) throws IOException {
    List<Long> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    try (DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
      while (true) {
        int len;
        try {
          len = in.readInt();
        } catch (EOFException end) {
          return out;
        }
        TracesData.parseFrom(in.readNBytes(len))
            .getResourceSpansList()
            .forEach(
                rs ->
                    rs.getScopeSpansList()
                        .forEach(
                            ss ->
                                ss.getSpansList()
                                    .forEach(
                                        sp -> {
                                          for (KeyValue kv : sp.getAttributesList()) {
                                            if (kv.getKey().equals("seq")) {
                                              out.add(kv.getValue().getIntValue());
                                            }
                                          }
                                        })));
      }
    }
  }
}
