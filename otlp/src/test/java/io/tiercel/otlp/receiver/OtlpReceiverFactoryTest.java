package io.tiercel.otlp.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.Settings;
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Signal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OtlpReceiverFactoryTest {
  private final OtlpReceiverFactory factory = new OtlpReceiverFactory();
  private final Settings settings = Settings.forTest(Kind.RECEIVER, ComponentId.of("otlp"), null);

  @Test
  void typeSignalsAndServiceLoader() {
    assertThat(factory.type()).isEqualTo("otlp");
    assertThat(factory.kind()).isEqualTo(Kind.RECEIVER);
    assertThat(factory.signals().keySet())
        .containsExactlyInAnyOrder(Signal.TRACES, Signal.METRICS, Signal.LOGS, Signal.PROFILES);
    assertThat(factory.transport()).isEqualTo("grpc");
    assertThat(ComponentRegistry.load().find(Kind.RECEIVER, "otlp"))
        .isInstanceOf(OtlpReceiverFactory.class);
  }

  @Test
  void createNeedsAProtocol() {
    Consumers next = new Consumers((c, d) -> TelemetryConsumer.done(), null, null);
    assertThatThrownBy(() -> factory.create(settings, factory.createDefaultConfig(), next))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("must specify at least one protocol when using the OTLP receiver");
  }

  @Test
  void shutdownWithoutStartAndTwiceIsSafe() throws Exception {
    OtlpReceiverConfig config =
        new OtlpReceiverConfig(
            new OtlpReceiverConfig.Protocols(
                OtlpReceiverConfig.Grpc.defaults(), OtlpReceiverConfig.Http.defaults()));
    Receiver r = factory.create(settings, config, new Consumers(null, null, null));
    r.shutdown(Deadline.in(Duration.ofSeconds(1)));
    r.shutdown(Deadline.in(Duration.ofSeconds(1)));
  }
}
