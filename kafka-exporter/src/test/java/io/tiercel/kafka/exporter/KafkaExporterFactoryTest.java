package io.tiercel.kafka.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaExporterFactoryTest {
  private final KafkaExporterFactory f = new KafkaExporterFactory();

  @Test
  void typeSignalsAndDiscovery() {
    assertThat(f.type()).isEqualTo("kafka");
    assertThat(f.kind()).isEqualTo(Kind.EXPORTER);
    assertThat(f.configClass()).isEqualTo(KafkaExporterConfig.class);
    assertThat(f.signals())
        .isEqualTo(
            Map.of(
                Signal.TRACES,
                Stability.ALPHA,
                Signal.METRICS,
                Stability.ALPHA,
                Signal.LOGS,
                Stability.ALPHA,
                Signal.PROFILES,
                Stability.DEVELOPMENT));
    assertThat(ComponentRegistry.load().find(Kind.EXPORTER, "kafka"))
        .isInstanceOf(KafkaExporterFactory.class);
  }

  @Test
  void createDoesNoIoAndShutdownWithoutStartIsSafe() throws Exception {
    for (Signal s : Signal.values()) {
      Settings settings = Settings.forTest(Kind.EXPORTER, ComponentId.of("kafka"), s);
      var e =
          switch (s) {
            case TRACES -> f.createTraces(settings, f.createDefaultConfig());
            case METRICS -> f.createMetrics(settings, f.createDefaultConfig());
            case LOGS -> f.createLogs(settings, f.createDefaultConfig());
            case PROFILES -> f.createProfiles(settings, f.createDefaultConfig());
          };
      assertThat(e.reportsOwnMetrics()).isTrue();
      e.shutdown(Deadline.in(Duration.ofSeconds(1)));
      e.shutdown(Deadline.in(Duration.ofSeconds(1)));
    }
  }

  @Test
  void aTopLevelTracesEncodingFailsOnlyThePipelinesItCannotWrite() throws Exception {
    KafkaExporterConfig c =
        io.tiercel.core.config.ConfigBinder.bind(
            KafkaExporterConfig.class,
            KafkaExporterConfig.defaults(),
            Map.of("encoding", "zipkin_json"),
            "exporters.kafka");
    assertThat(
            f.createTraces(
                Settings.forTest(Kind.EXPORTER, ComponentId.of("kafka"), Signal.TRACES), c))
        .isNotNull();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                f.createMetrics(
                    Settings.forTest(Kind.EXPORTER, ComponentId.of("kafka"), Signal.METRICS), c))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("encoding: \"zipkin_json\" cannot write metrics");
  }

  @Test
  void anEncodingExtensionIsLookedUpAtStartAndItsAbsenceNamesTheKey() throws Exception {
    KafkaExporterConfig c =
        io.tiercel.core.config.ConfigBinder.bind(
            KafkaExporterConfig.class,
            KafkaExporterConfig.defaults(),
            Map.of(
                "encoding", "zipkin_encoding", "logs", Map.of("encoding", "per_signal_encoding")),
            "exporters.kafka");
    Settings logs = Settings.forTest(Kind.EXPORTER, ComponentId.of("kafka"), Signal.LOGS);
    var e = f.createLogs(logs, c); // validates: the extension is only known at start
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> e.start(io.tiercel.testing.component.TestHost.create()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "exporters.kafka.logs.encoding: \"per_signal_encoding\" is not a configured encoding"
                + " extension (add it under extensions and service.extensions)");
    e.shutdown(Deadline.in(Duration.ofSeconds(1)));
    var zipkin = new io.tiercel.kafka.common.encoding.ext.ZipkinEncodingFactory();
    var host =
        io.tiercel.testing.component.TestHost.withExtensions(
            Map.of(
                ComponentId.of("zipkin_encoding"),
                zipkin.create(
                    Settings.forTest(Kind.EXTENSION, ComponentId.of("zipkin_encoding"), null),
                    zipkin.createDefaultConfig())));
    var m =
        f.createMetrics(
            Settings.forTest(Kind.EXPORTER, ComponentId.of("kafka"), Signal.METRICS), c);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.start(host))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("exporters.kafka.encoding: encoding \"zipkin_encoding\" cannot write metrics");
    m.shutdown(Deadline.in(Duration.ofSeconds(1)));
  }

  @Test
  void consumeBeforeStartIsRefusedAsRetryable() {
    var e =
        f.createTraces(
            Settings.forTest(Kind.EXPORTER, ComponentId.of("kafka"), Signal.TRACES),
            f.createDefaultConfig());
    assertThat(e.consume(Context.EMPTY, Traces.EMPTY))
        .failsWithin(Duration.ofSeconds(1))
        .withThrowableThat()
        .withCauseInstanceOf(RetryableException.class);
  }
}
