package io.tiercel.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.StatusRegistry.Status;
import io.tiercel.core.config.ConfigError;
import io.tiercel.core.config.ConfigException;
import io.tiercel.core.config.ServiceConfig;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.service.TestComponents.ConfigBuilder;
import io.tiercel.core.service.TestComponents.Events;
import io.tiercel.core.service.TestComponents.ExporterF;
import io.tiercel.core.service.TestComponents.ExtensionF;
import io.tiercel.core.service.TestComponents.NoConfig;
import io.tiercel.core.service.TestComponents.ProcessorF;
import io.tiercel.core.service.TestComponents.ReceiverF;
import io.tiercel.core.service.TestComponents.TestProcessor;
import io.tiercel.core.service.TestComponents.TestReceiver;
import io.tiercel.core.telemetry.MetricsRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Service#reload}: what a reload keeps, replaces and removes, in which order, and that a
 * config that cannot run leaves the running graph alone. The components record their lifecycle
 * events and the data they see.
 */
class ServiceReloadTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final Events events = new Events();
  private final MetricsRegistry metrics = new MetricsRegistry();
  private final ReceiverF r = new ReceiverF(events);
  private final ProcessorF a = new ProcessorF(events, false);
  private final ProcessorF b = new ProcessorF(events, false);
  private final ExporterF e1 = new ExporterF(events, false);
  private final ExporterF e2 = new ExporterF(events, false);
  private Service service;

  @AfterEach
  void tearDown() {
    if (service != null) {
      service.shutdown(TIMEOUT);
    }
  }

  /** trecv -> tproc/a (tag) -> tproc/b (tag) -> the exporters; receiver and exporters tagged "". */
  private ConfigBuilder config(String tagA, String tagB, String exporters) {
    return new ConfigBuilder()
        .receiver("trecv", r)
        .processor("tproc/a", a, tagA)
        .processor("tproc/b", b, tagB)
        .exporter("texp/1", e1)
        .exporter("texp/2", e2)
        .pipeline("traces", "trecv", "tproc/a tproc/b", exporters);
  }

  private Service start(ServiceConfig c) throws Exception {
    service = new Service(c, BuildInfo.DEFAULT, metrics, Clock.systemUTC());
    service.start();
    return service;
  }

  private String reloads(String result) {
    String text = PrometheusTextFormatWriter.create().toDebugString(metrics.prometheus().scrape());
    String series = Reloads.METRIC + "_total{result=\"" + result + "\"} ";
    return text.lines()
        .filter(l -> l.startsWith(series))
        .map(l -> l.substring(series.length()))
        .findFirst()
        .orElse("absent");
  }

  private List<String> eventsSince(int n) {
    List<String> all = events.snapshot();
    return all.subList(n, all.size());
  }

  @Test
  void keepsUnchangedComponentsAndReplacesAChangedProcessorInOrder() throws Exception {
    Service s = start(config("x", "x", "texp/1").build());
    TestReceiver receiver = r.created;
    TestProcessor<Traces> keptA = a.created.get(0);
    TestProcessor<Traces> oldB = b.created.get(0);
    int before = events.snapshot().size();

    assertThat(s.reload(() -> config("x", "y", "texp/1").build(), TIMEOUT)).isEmpty();

    // only tproc/b changed: the new one starts before the old one stops; nothing else is touched
    assertThat(eventsSince(before))
        .containsExactly("start processor/tproc/b[traces]", "shutdown processor/tproc/b[traces]");
    assertThat(r.created).isSameAs(receiver);
    assertThat(a.created).containsExactly(keptA);
    assertThat(b.created).hasSize(2);
    Traces t = TestData.spans(3);
    assertThat(receiver.push(t)).isCompleted();
    assertThat(keptA.received).containsExactly(t); // the kept instance, re-pointed
    assertThat(oldB.received).isEmpty();
    assertThat(b.created.get(1).received).containsExactly(t);
    assertThat(e1.<Traces>get(Signal.TRACES).received).containsExactly(t);
    assertThat(s.status().allUp()).isTrue();
    assertThat(reloads("success")).isEqualTo("1.0");
    assertThat(reloads("failure")).isEqualTo("0.0");
  }

  @Test
  void theServiceViewShowsTheReloadedGraphAndConfig() throws Exception {
    Service s = start(config("x", "x", "texp/1").build());
    assertThat(s.view().components()).containsKey("exporter/texp/1[traces]");

    assertThat(s.reload(() -> config("x", "x", "texp/2").build(), TIMEOUT)).isEmpty();

    assertThat(s.view().components())
        .containsKey("exporter/texp/2[traces]")
        .doesNotContainKey("exporter/texp/1[traces]");
    assertThat(s.view().components().get("processor/tproc/b[traces]"))
        .isSameAs(b.created.get(0)); // the kept instance
    assertThat(s.view().pipelines())
        .singleElement()
        .satisfies(p -> assertThat(p.exporters()).hasToString("[texp/2]"));
  }

  @Test
  void aChangedExporterEndpointMovesTheKeptProcessorsToTheNewExporter() throws Exception {
    Service s = start(config("x", "x", "texp/1").build());
    TestProcessor<Traces> keptB = b.created.get(0);
    int before = events.snapshot().size();

    assertThat(s.reload(() -> config("x", "x", "texp/2").build(), TIMEOUT)).isEmpty();

    assertThat(eventsSince(before))
        .containsExactly("start exporter/texp/2[traces]", "shutdown exporter/texp/1[traces]");
    assertThat(b.created).containsExactly(keptB);
    Traces t = TestData.spans(1);
    assertThat(r.created.push(t)).isCompleted();
    assertThat(e1.<Traces>get(Signal.TRACES).received).isEmpty();
    assertThat(e2.<Traces>get(Signal.TRACES).received).containsExactly(t);
    assertThat(s.status().snapshot().get("exporter/texp/1[traces]").status())
        .isEqualTo(Status.STOPPED);
    assertThat(s.status().snapshot().get("exporter/texp/2[traces]").status()).isEqualTo(Status.OK);
  }

  @Test
  void aReplacedReceiverStopsBeforeItsSuccessorStartsAndOldProcessorsDrainAfter() throws Exception {
    Service s = start(config("x", "x", "texp/1").build());
    TestReceiver old = r.created;
    int before = events.snapshot().size();

    ServiceConfig next =
        new ConfigBuilder()
            .receiver("trecv", r, "new")
            .processor("tproc/a", a, "y")
            .processor("tproc/b", b, "x")
            .exporter("texp/1", e1)
            .pipeline("traces", "trecv", "tproc/a tproc/b", "texp/1")
            .build();
    assertThat(s.reload(() -> next, TIMEOUT)).isEmpty();

    // downstream first; receivers stop before their successors start; old processors after
    assertThat(eventsSince(before))
        .containsExactly(
            "start processor/tproc/a[traces]",
            "shutdown receiver/trecv",
            "start receiver/trecv",
            "shutdown processor/tproc/a[traces]");
    assertThat(r.created).isNotSameAs(old);
    Traces t = TestData.spans(2);
    assertThat(r.created.push(t)).isCompleted();
    assertThat(a.created.get(1).received).containsExactly(t);
    assertThat(b.created.get(0).received).containsExactly(t); // kept, now fed by the new tproc/a
  }

  @Test
  void anInvalidConfigIsReportedAtItsPlaceAndTheRunningGraphStays() throws Exception {
    Service s = start(config("x", "x", "texp/1").build());
    int before = events.snapshot().size();

    List<String> errors =
        s.reload(
            () -> {
              throw new ConfigException(
                  List.of(
                      new ConfigError("processors.tproc/b.tag", "\"z\" is not valid"),
                      new ConfigError("exporters.texp/1", "has invalid keys: endpont")));
            },
            TIMEOUT);

    assertThat(errors)
        .containsExactly(
            "processors.tproc/b.tag: \"z\" is not valid",
            "exporters.texp/1: has invalid keys: endpont");
    assertThat(eventsSince(before)).isEmpty();
    Traces t = TestData.spans(1);
    assertThat(r.created.push(t)).isCompleted();
    assertThat(b.created).hasSize(1);
    assertThat(b.created.get(0).received).containsExactly(t);
    assertThat(reloads("failure")).isEqualTo("1.0");
    assertThat(reloads("success")).isEqualTo("0.0");
  }

  @Test
  void aComponentThatFailsToStartUndoesTheReload() throws Exception {
    Service s = start(config("x", "x", "texp/1").build());
    TestProcessor<Traces> oldB = b.created.get(0);
    e2.failStart = new IllegalStateException("port 4317 in use");
    int before = events.snapshot().size();

    List<String> errors = s.reload(() -> config("x", "y", "texp/2").build(), TIMEOUT);

    assertThat(errors).containsExactly("exporter/texp/2[traces]: port 4317 in use");
    // the new exporter started (and failed) first; it and the new processor are shut down again
    assertThat(eventsSince(before))
        .containsExactly(
            "start exporter/texp/2[traces]",
            "shutdown exporter/texp/2[traces]",
            "shutdown processor/tproc/b[traces]");
    Traces t = TestData.spans(1);
    assertThat(r.created.push(t)).isCompleted();
    assertThat(oldB.received).containsExactly(t);
    assertThat(e1.<Traces>get(Signal.TRACES).received).containsExactly(t);
    assertThat(s.status().allUp()).isTrue();
    assertThat(reloads("failure")).isEqualTo("1.0");
  }

  @Test
  void aChangedExtensionRestartsEveryComponentThatMightHaveLookedItUp() throws Exception {
    ExtensionF x = new ExtensionF(events);
    Service s = start(config("x", "x", "texp/1").extension("text", x, new NoConfig("1")).build());
    TestReceiver old = r.created;
    int before = events.snapshot().size();

    assertThat(
            s.reload(
                () -> config("x", "x", "texp/1").extension("text", x, new NoConfig("2")).build(),
                TIMEOUT))
        .isEmpty();

    assertThat(eventsSince(before))
        .containsExactly(
            "start extension/text",
            "start exporter/texp/1[traces]",
            "start processor/tproc/b[traces]",
            "start processor/tproc/a[traces]",
            "shutdown receiver/trecv",
            "start receiver/trecv",
            "shutdown processor/tproc/a[traces]",
            "shutdown processor/tproc/b[traces]",
            "shutdown exporter/texp/1[traces]",
            "shutdown extension/text");
    assertThat(r.created).isNotSameAs(old);
  }

  @Test
  void reloadingWhenNotRunningFails() {
    service =
        new Service(
            config("x", "x", "texp/1").build(), BuildInfo.DEFAULT, metrics, Clock.systemUTC());
    assertThat(service.reload(() -> config("x", "y", "texp/1").build(), TIMEOUT))
        .containsExactly("service: new");
    assertThat(events.snapshot()).isEmpty();
  }
}
