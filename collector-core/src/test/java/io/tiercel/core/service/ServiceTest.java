package io.tiercel.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.StatusRegistry.Status;
import io.tiercel.core.config.ServiceConfig;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.service.TestComponents.ConfigBuilder;
import io.tiercel.core.service.TestComponents.Events;
import io.tiercel.core.service.TestComponents.ExporterF;
import io.tiercel.core.service.TestComponents.ExtensionF;
import io.tiercel.core.service.TestComponents.NoConfig;
import io.tiercel.core.service.TestComponents.ProcessorF;
import io.tiercel.core.service.TestComponents.ReceiverF;
import io.tiercel.core.service.TestComponents.TestExporter;
import io.tiercel.core.telemetry.MetricsRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceTest {
  private final Events events = new Events();
  private Service service;

  @AfterEach
  void tearDown() {
    if (service != null) {
      service.shutdown(Duration.ofSeconds(5));
    }
  }

  private Service service(ServiceConfig c) {
    service = new Service(c, BuildInfo.DEFAULT, new MetricsRegistry(), Clock.systemUTC());
    return service;
  }

  private static String scrape(MetricsRegistry m) {
    return PrometheusTextFormatWriter.create().toDebugString(m.prometheus().scrape());
  }

  @Test
  void startsDownstreamFirstAndShutsDownUpstreamFirst() throws Exception {
    ReceiverF r = new ReceiverF(events);
    ExporterF e = new ExporterF(events, false);
    ProcessorF p = new ProcessorF(events, false);
    Service s =
        service(
            new ConfigBuilder()
                .extension("text", new ExtensionF(events), new NoConfig())
                .receiver("trecv", r)
                .processor("tproc/1", p)
                .processor("tproc/2", p)
                .exporter("texp", e)
                .pipeline("traces", "trecv", "tproc/1 tproc/2", "texp")
                .build());
    s.start();
    assertThat(events.snapshot())
        .containsExactly(
            "start extension/text",
            "start exporter/texp[traces]",
            "start processor/tproc/2[traces]",
            "start processor/tproc/1[traces]",
            "start receiver/trecv");
    assertThat(s.status().allUp()).isTrue();
    assertThat(s.status().snapshot().keySet())
        .containsExactly(
            "exporter/texp[traces]",
            "extension/text",
            "processor/tproc/1[traces]",
            "processor/tproc/2[traces]",
            "receiver/trecv");

    assertThat(s.shutdown(Duration.ofSeconds(5))).isEmpty();
    assertThat(events.snapshot().subList(5, 10))
        .containsExactly(
            "shutdown receiver/trecv",
            "shutdown processor/tproc/1[traces]",
            "shutdown processor/tproc/2[traces]",
            "shutdown exporter/texp[traces]",
            "shutdown extension/text");
    assertThat(s.status().snapshot().values())
        .extracting(x -> x.status())
        .containsOnly(Status.STOPPED);
    assertThat(s.awaitShutdown(Duration.ZERO)).isTrue();
    assertThat(s.shutdown(Duration.ofSeconds(5))).isEmpty(); // idempotent
    assertThat(events.snapshot()).hasSize(10);
  }

  @Test
  void dataFlowsThroughTheProcessorChainInOrder() throws Exception {
    ReceiverF r = new ReceiverF(events);
    ExporterF e = new ExporterF(events, false);
    ProcessorF p1 = new ProcessorF(events, false);
    ProcessorF p2 = new ProcessorF(events, false);
    Service s =
        service(
            new ConfigBuilder()
                .receiver("trecv", r)
                .processor("tproc/1", p1)
                .processor("tproc/2", p2)
                .exporter("texp", e)
                .pipeline("traces", "trecv", "tproc/1 tproc/2", "texp")
                .build());
    s.start();
    Traces t = TestData.spans(2);
    assertThat(r.created.push(t)).isCompleted();
    assertThat(p1.created.get(0).received).containsExactly(t);
    assertThat(p2.created.get(0).received).containsExactly(t);
    assertThat(e.<Traces>get(Signal.TRACES).received).singleElement().isSameAs(t);
  }

  @Test
  void fanInSeveralReceiversFeedOnePipeline() throws Exception {
    ReceiverF r1 = new ReceiverF(events);
    ReceiverF r2 = new ReceiverF(events);
    ExporterF e = new ExporterF(events, false);
    ProcessorF p = new ProcessorF(events, false);
    Service s =
        service(
            new ConfigBuilder()
                .receiver("trecv/1", r1)
                .receiver("trecv/2", r2)
                .processor("tproc", p)
                .exporter("texp", e)
                .pipeline("traces", "trecv/1 trecv/2", "tproc", "texp")
                .build());
    s.start();
    Traces a = TestData.spans(1);
    Traces b = TestData.spans(2);
    r1.created.push(a);
    r2.created.push(b);
    assertThat(p.created)
        .hasSize(1); // one processor instance per pipeline, shared by both receivers
    assertThat(e.<Traces>get(Signal.TRACES).received).containsExactly(a, b);
  }

  @Test
  void receiverFansOutToEveryPipelineAndCopiesOnlyForMutatingOnes() throws Exception {
    ReceiverF r = new ReceiverF(events);
    ExporterF plain = new ExporterF(events, false);
    ExporterF other = new ExporterF(events, false);
    ProcessorF mutator = new ProcessorF(events, true);
    Service s =
        service(
            new ConfigBuilder()
                .receiver("trecv", r)
                .processor("tproc", mutator)
                .exporter("texp/a", plain)
                .exporter("texp/b", other)
                .pipeline("traces/a", "trecv", "", "texp/a")
                .pipeline("traces/b", "trecv", "tproc", "texp/b")
                .build());
    s.start();
    TestExporter<Traces> eb = other.get(Signal.TRACES);
    CompletableFuture<Void> pending = new CompletableFuture<>();
    eb.behaviour = d -> pending;
    Traces t = TestData.spans(3);
    CompletableFuture<Void> f = r.created.push(t);
    assertThat(plain.<Traces>get(Signal.TRACES).received).singleElement().isSameAs(t);
    Traces copy = eb.received.get(0);
    assertThat(copy).isNotSameAs(t).isEqualTo(t);
    assertThat(copy.bytes()).isNotSameAs(t.bytes());
    assertThat(f).isNotDone(); // waits for the slow pipeline
    pending.completeExceptionally(new PermanentException("rejected"));
    assertThat(f).isCompletedExceptionally();
    assertThat(PipelineException.classify(f.handle((v, x) -> x).join()))
        .isInstanceOf(PermanentException.class)
        .hasMessage("rejected");
  }

  @Test
  void anExporterIsSharedByThePipelinesOfItsSignal() throws Exception {
    ReceiverF r1 = new ReceiverF(events);
    ReceiverF r2 = new ReceiverF(events);
    ExporterF e = new ExporterF(events, false);
    Service s =
        service(
            new ConfigBuilder()
                .receiver("trecv/1", r1)
                .receiver("trecv/2", r2)
                .exporter("texp", e)
                .pipeline("traces/a", "trecv/1", "", "texp")
                .pipeline("traces/b", "trecv/2", "", "texp")
                .pipeline("logs", "trecv/1", "", "texp")
                .build());
    s.start();
    assertThat(e.created.keySet()).containsExactly(Signal.TRACES, Signal.LOGS);
    assertThat(s.componentKeys())
        .containsExactly(
            "exporter/texp[traces]", "exporter/texp[logs]", "receiver/trecv/1", "receiver/trecv/2");
    r1.created.push(TestData.spans(1));
    r2.created.push(TestData.spans(2));
    assertThat(e.<Traces>get(Signal.TRACES).received).hasSize(2);
    assertThat(r1.created.next.signals()).containsExactly(Signal.TRACES, Signal.LOGS);
    assertThat(r2.created.next.signals()).containsExactly(Signal.TRACES);
  }

  @Test
  void shutdownCollectsTheErrorsOfEveryComponentAndStillStopsAll() throws Exception {
    ReceiverF r = new ReceiverF(events);
    r.failShutdown = new IllegalStateException("receiver socket stuck");
    ExporterF e = new ExporterF(events, false);
    e.failShutdown = new RuntimeException("flush failed: 3 batches lost");
    Service s =
        service(
            new ConfigBuilder()
                .receiver("trecv", r)
                .exporter("texp", e)
                .pipeline("traces", "trecv", "", "texp")
                .build());
    s.start();
    List<LifecycleError> errors = s.shutdown(Duration.ofSeconds(5));
    assertThat(errors)
        .extracting(LifecycleError::toString)
        .containsExactly(
            "receiver/trecv: receiver socket stuck",
            "exporter/texp[traces]: flush failed: 3 batches lost");
    assertThat(events.snapshot())
        .endsWith("shutdown receiver/trecv", "shutdown exporter/texp[traces]");
    assertThat(s.status().snapshot().get("receiver/trecv").status())
        .isEqualTo(Status.PERMANENT_ERROR);
    assertThat(s.status().snapshot().get("receiver/trecv").error())
        .isEqualTo("receiver socket stuck");
  }

  @Test
  void aComponentThatHangsInShutdownIsAbandonedAtTheDeadline() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    ReceiverF r = new ReceiverF(events);
    ExporterF e =
        new ExporterF(events, false) {
          @Override
          public io.tiercel.core.component.Exporter<Traces> createTraces(
              io.tiercel.core.component.Settings settings, NoConfig config) {
            return new TestExporter<>(events, "exporter/hang", false) {
              @Override
              public void shutdown(Deadline d) throws Exception {
                never.await();
              }
            };
          }
        };
    Service s =
        service(
            new ConfigBuilder()
                .receiver("trecv", r)
                .exporter("texp", e)
                .pipeline("traces", "trecv", "", "texp")
                .build());
    s.start();
    long t0 = System.nanoTime();
    List<LifecycleError> errors = s.shutdown(Duration.ofMillis(300));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    assertThat(errors)
        .extracting(LifecycleError::toString)
        .containsExactly("exporter/texp[traces]: did not shut down within the deadline");
  }

  @Test
  void aStartFailureRollsBackWhatStartedAndNamesTheComponent() throws Exception {
    ReceiverF r = new ReceiverF(events);
    ExporterF e = new ExporterF(events, false);
    ProcessorF p = new ProcessorF(events, false);
    p.failStart = new IllegalArgumentException("cannot reach the schema registry");
    Service s =
        service(
            new ConfigBuilder()
                .extension("text", new ExtensionF(events), new NoConfig())
                .receiver("trecv", r)
                .processor("tproc", p)
                .exporter("texp", e)
                .pipeline("traces", "trecv", "tproc", "texp")
                .build());
    assertThatThrownBy(s::start)
        .isInstanceOf(ServiceException.class)
        .hasMessage(
            "failed to start processor/tproc[traces]: cannot reach the schema registry\n"
                + "  processor/tproc[traces]: cannot reach the schema registry");
    assertThat(events.snapshot())
        .containsExactly(
            "start extension/text",
            "start exporter/texp[traces]",
            "start processor/tproc[traces]",
            "shutdown processor/tproc[traces]",
            "shutdown exporter/texp[traces]",
            "shutdown extension/text");
    assertThat(s.status().snapshot().get("processor/tproc[traces]").status())
        .isEqualTo(Status.PERMANENT_ERROR);
    assertThat(s.status().snapshot().get("receiver/trecv").status()).isEqualTo(Status.STOPPED);
    assertThat(s.status().snapshot().get("exporter/texp[traces]").status())
        .isEqualTo(Status.STOPPED);
    assertThat(s.awaitShutdown(Duration.ZERO)).isTrue();
    assertThat(s.shutdown(Duration.ofSeconds(1))).isEmpty();
    assertThatThrownBy(s::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("service already stopped");
  }

  @Test
  void buildReportsEveryBrokenComponentAtOnce() {
    ReceiverF r = new ReceiverF(events);
    ProcessorF tracesAndLogsOnly = new ProcessorF(events, false);
    ExporterF failing =
        new ExporterF(events, false) {
          @Override
          public io.tiercel.core.component.Exporter<Traces> createTraces(
              io.tiercel.core.component.Settings settings, NoConfig config) {
            throw new IllegalArgumentException("no endpoint to send to");
          }
        };
    Service s =
        service(
            new ConfigBuilder()
                .receiver("trecv", r)
                .processor("tproc", tracesAndLogsOnly)
                .exporter("texp", new ExporterF(events, false))
                .exporter("nope", failing)
                .pipeline("metrics", "trecv", "tproc", "texp")
                .pipeline("traces", "trecv", "", "texp nope")
                .build());
    assertThatThrownBy(s::build)
        .isInstanceOf(ServiceException.class)
        .hasMessage(
            "cannot build the pipelines:\n"
                + "  processor/tproc[metrics]: component type \"tproc\" does not support the"
                + " metrics signal\n"
                + "  exporter/nope[traces]: no endpoint to send to");
    assertThat(events.snapshot()).isEmpty();
  }

  @Test
  void countsItemsPerComponentWithTheCollectorsNames() throws Exception {
    ReceiverF r = new ReceiverF(events);
    ExporterF e = new ExporterF(events, false);
    ProcessorF p = new ProcessorF(events, false);
    Service s =
        service(
            new ConfigBuilder()
                .receiver("trecv", r)
                .processor("tproc", p)
                .exporter("texp", e)
                .pipeline("traces", "trecv", "tproc", "texp")
                .build());
    s.start();
    TestExporter<Traces> exp = e.get(Signal.TRACES);
    assertThat(r.created.push(TestData.spans(3))).isCompleted();
    exp.behaviour = d -> TelemetryConsumer.failed(new RetryableException("down"));
    assertThat(r.created.push(TestData.spans(2))).isCompletedExceptionally();
    CompletableFuture<Void> later = new CompletableFuture<>();
    exp.behaviour = d -> later;
    CompletableFuture<Void> f = r.created.push(TestData.spans(4));
    String before = scrape(s.metrics());
    assertThat(before)
        .contains(
            "otelcol_receiver_accepted_spans_total{receiver=\"trecv\",transport=\"test\"} 3.0\n");
    later.complete(null);
    assertThat(f).isCompleted();

    String text = scrape(s.metrics());
    assertThat(text)
        .contains(
            "otelcol_receiver_accepted_spans_total{receiver=\"trecv\",transport=\"test\"} 7.0\n")
        .contains(
            "otelcol_receiver_refused_spans_total{receiver=\"trecv\",transport=\"test\"} 2.0\n")
        .contains("otelcol_exporter_sent_spans_total{exporter=\"texp\"} 7.0\n")
        .contains("otelcol_exporter_send_failed_spans_total{exporter=\"texp\"} 2.0\n")
        .contains(
            "otelcol_processor_incoming_items_total{otel_signal=\"traces\",processor=\"tproc\"}"
                + " 9.0\n")
        .contains(
            "otelcol_processor_outgoing_items_total{otel_signal=\"traces\",processor=\"tproc\"}"
                + " 9.0\n");
  }

  @Test
  void malformedBytesAreRefusedAsPermanentWithoutReachingThePipeline() throws Exception {
    ReceiverF r = new ReceiverF(events);
    ExporterF e = new ExporterF(events, false);
    Service s =
        service(
            new ConfigBuilder()
                .receiver("trecv", r)
                .exporter("texp", e)
                .pipeline("traces", "trecv", "", "texp")
                .build());
    s.start();
    CompletableFuture<Void> f = r.created.push(Traces.ofBytes(new byte[] {0x0a, 0x05, 0x01}));
    assertThat(PipelineException.classify(f.handle((v, x) -> x).join()))
        .isInstanceOf(PermanentException.class);
    assertThat(e.<Traces>get(Signal.TRACES).received).isEmpty();
  }

  @Test
  void componentsSeeTheStartedExtensionsAndTheStatusRegistry() throws Exception {
    ReceiverF r = new ReceiverF(events);
    ExtensionF x = new ExtensionF(events);
    Service s =
        service(
            new ConfigBuilder()
                .extension("text", x, new NoConfig())
                .receiver("trecv", r)
                .exporter("texp", new ExporterF(events, false))
                .pipeline("traces", "trecv", "", "texp")
                .build());
    s.start();
    assertThat(r.created.host.extensions())
        .isEqualTo(Map.of(io.tiercel.core.component.ComponentId.of("text"), x.created));
    assertThat(r.created.host.status()).isSameAs(s.status());
  }

  @Test
  void aPipelineWhoseOnlyExporterMutatesGetsItsOwnCopy() throws Exception {
    ReceiverF r = new ReceiverF(events);
    ExporterF reader = new ExporterF(events, false);
    ExporterF mutator = new ExporterF(events, true);
    Service s =
        service(
            new ConfigBuilder()
                .receiver("trecv", r)
                .exporter("texp/r", reader)
                .exporter("texp/m", mutator)
                .pipeline("traces/r", "trecv", "", "texp/r")
                .pipeline("traces/m", "trecv", "", "texp/m")
                .build());
    s.start();
    Traces t = TestData.spans(1);
    r.created.push(t);
    assertThat(reader.<Traces>get(Signal.TRACES).received).singleElement().isSameAs(t);
    assertThat(mutator.<Traces>get(Signal.TRACES).received)
        .singleElement()
        .isNotSameAs(t)
        .isEqualTo(t);
  }

  @Test
  void everyComponentIsReportedStartingBeforeTheFirstOneStarts() throws Exception {
    ReceiverF r = new ReceiverF(events);
    java.util.concurrent.atomic.AtomicReference<String> seen =
        new java.util.concurrent.atomic.AtomicReference<>();
    ExtensionF x =
        new ExtensionF(events) {
          @Override
          public io.tiercel.core.component.Extension create(
              io.tiercel.core.component.Settings st, NoConfig c) {
            return new TestComponents.TestExtension(events, "extension/" + st.id()) {
              @Override
              public void start(io.tiercel.core.component.Host h) throws Exception {
                seen.set(
                    h.status().allUp()
                        + " "
                        + h.status().snapshot().get("receiver/trecv").status());
              }
            };
          }
        };
    Service s =
        service(
            new ConfigBuilder()
                .extension("text", x, new NoConfig())
                .receiver("trecv", r)
                .exporter("texp", new ExporterF(events, false))
                .pipeline("traces", "trecv", "", "texp")
                .build());
    s.start();
    assertThat(seen.get()).isEqualTo("false STARTING"); // a health check started first answers 503
    assertThat(s.status().allUp()).isTrue();
  }

  @Test
  void aPipelineListingAComponentTwiceIsNoServiceConfig() {
    ReceiverF r = new ReceiverF(events);
    ConfigBuilder b =
        new ConfigBuilder()
            .receiver("trecv", r)
            .exporter("texp", new ExporterF(events, false))
            .pipeline("traces", "trecv trecv", "", "texp texp");
    // References are the config layer's check (ServiceConfig, with ConfigLoader's messages): no
    // service is built from such a config.
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "service.pipelines.traces: references receiver \"trecv\" more than once\n"
                + "service.pipelines.traces: references exporter \"texp\" more than once");
    assertThat(events.snapshot()).isEmpty();
  }

  @Test
  void anExporterThatReportsItsOwnMetricsIsNotCountedTwice() throws Exception {
    ReceiverF r = new ReceiverF(events);
    ExporterF own =
        new ExporterF(events, false) {
          @Override
          public io.tiercel.core.component.Exporter<Traces> createTraces(
              io.tiercel.core.component.Settings settings, NoConfig config) {
            TestExporter<Traces> e =
                new TestExporter<>(events, "exporter/own", false) {
                  @Override
                  public boolean reportsOwnMetrics() {
                    return true;
                  }
                };
            created.put(Signal.TRACES, e);
            return e;
          }
        };
    Service s =
        service(
            new ConfigBuilder()
                .receiver("trecv", r)
                .exporter("texp/own", own)
                .exporter("texp", new ExporterF(events, false))
                .pipeline("traces", "trecv", "", "texp/own texp")
                .build());
    s.start();
    r.created.push(TestData.spans(2)).join();
    assertThat(own.get(Signal.TRACES).received).hasSize(1);
    assertThat(scrape(s.metrics()))
        .contains("otelcol_exporter_sent_spans_total{exporter=\"texp\"} 2.0\n")
        .doesNotContain("exporter=\"texp/own\"");
  }
}
