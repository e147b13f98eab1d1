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
}
