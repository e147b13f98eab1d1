package io.tiercel.kafka.exporter;

import io.tiercel.core.pdata.Signal;
import io.tiercel.testing.component.ComponentContract;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared component contract (STYLE.md rule 32) with a real broker behind the exporter. */
@KafkaBrokerTest
class KafkaExporterContractIT {
  static KafkaBroker broker;

  @Test
  void passesTheComponentContract() {
    KafkaExporterFactory f = new KafkaExporterFactory();
    ComponentContract.checkType(f);
    ComponentContract.checkDefaultConfig(f);
    KafkaExporterConfig c =
        KafkaExporterConfigTest.with(Map.of("brokers", List.of(broker.bootstrapServers())));
    ComponentContract.checkSignals(f, c);
    ComponentContract.checkShutdownWithoutStart(f, c, Duration.ofSeconds(10));
    for (Signal s : Signal.values()) {
      ComponentContract.checkLifecycle(f, c, s, Duration.ofSeconds(30));
    }
  }
}
