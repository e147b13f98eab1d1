package io.tiercel.kafka.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Stability;
import io.tiercel.core.pdata.Signal;
import io.tiercel.testing.component.ComponentContractTest;
import io.tiercel.testing.component.ContractConfig;
import org.junit.jupiter.api.Test;

/** The shared component contract (start needs a broker: {@code KafkaReceiverIT} covers it). */
class KafkaReceiverFactoryTest extends ComponentContractTest {
  @Override
  protected ContractConfig contractConfig() {
    return ContractConfig.builder()
        .skipStart(Kind.RECEIVER, "kafka", "needs a broker: KafkaReceiverIT")
        .build();
  }

  @Override
  protected java.util.Collection<? extends io.tiercel.core.component.Factory<?>> factories() {
    return java.util.List.of(new KafkaReceiverFactory());
  }

  @Test
  void typeTransportAndDefaults() {
    KafkaReceiverFactory f = new KafkaReceiverFactory();
    assertThat(f.type()).isEqualTo("kafka");
    assertThat(f.transport()).isEqualTo("kafka");
    assertThat(f.createDefaultConfig()).isSameAs(KafkaReceiverConfig.DEFAULT);
    assertThat(f.signals()).hasSize(4).containsEntry(Signal.PROFILES, Stability.DEVELOPMENT);
  }

  @Test
  void anEncodingExtensionIsLookedUpAtStartAndItsAbsenceNamesTheKey() throws Exception {
    KafkaReceiverFactory f = new KafkaReceiverFactory();
    KafkaReceiverConfig c =
        io.tiercel.core.config.ConfigBinder.bind(
            KafkaReceiverConfig.class,
            KafkaReceiverConfig.DEFAULT,
            java.util.Map.of("logs", java.util.Map.of("encoding", "per_signal_encoding")),
            "receivers.kafka");
    io.tiercel.testing.consumer.RecordingSink<io.tiercel.core.pdata.Logs> logs =
        io.tiercel.testing.consumer.RecordingSink.create();
    var r =
        f.create(
            io.tiercel.core.component.Settings.forTest(
                Kind.RECEIVER, io.tiercel.core.component.ComponentId.of("kafka"), null),
            c,
            new io.tiercel.core.component.Consumers(null, null, logs));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> r.start(io.tiercel.testing.component.TestHost.create()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "receivers.kafka.logs.encoding: \"per_signal_encoding\" is not a configured encoding"
                + " extension (add it under extensions and service.extensions)");
    r.shutdown(io.tiercel.core.component.Deadline.in(java.time.Duration.ofSeconds(1)));
    assertThat(logs.data()).isEmpty();
  }
}
