package io.tiercel.kafka.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.component.Deadline;
import io.tiercel.core.config.Secret;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.pdata.Traces;
import io.tiercel.kafka.common.config.AuthConfig;
import io.tiercel.kafka.common.config.SaslConfig;
import io.tiercel.kafka.common.config.SaslMechanism;
import io.tiercel.kafka.common.config.TlsConfig;
import io.tiercel.testing.TestData;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** SASL (PLAIN, SCRAM) and TLS listeners of the real broker, configured through auth.sasl and tls. */
@KafkaBrokerTest(saslUsers = "tiercel:s3cret-pw", ssl = true)
class KafkaExporterSecureIT {
  static KafkaBroker broker;

  private void sendAndRead(String topic, Map<String, Object> m) throws Exception {
    broker.createTopic(topic, 1);
    m.put("traces", new SignalConfig(topic, null, null, null));
    KafkaExporter<Traces> e = KafkaExporterIT.start(KafkaExporterIT.settings(topic), KafkaExporterConfigTest.with(m));
    Traces t = TestData.traces(3, 2, 11);
    try {
      e.consume(Context.EMPTY, t).get(30, TimeUnit.SECONDS);
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(10)));
    }
    assertThat(broker.consumeAll(topic, 1, Duration.ofSeconds(30)).get(0).value()).isEqualTo(t.bytes());
  }

  @ParameterizedTest
  @EnumSource(SaslMechanism.class)
  void sasl(SaslMechanism mechanism) throws Exception {
    Map<String, Object> m = KafkaExporterIT.base(broker, "x");
    m.put("brokers", List.of(broker.bootstrapServers(KafkaBroker.Listener.SASL_PLAINTEXT)));
    m.put("auth", new AuthConfig(new SaslConfig("tiercel", Secret.of("s3cret-pw"), mechanism, 0), null));
    sendAndRead("it_sasl_" + mechanism.name().toLowerCase(java.util.Locale.ROOT), m);
  }

  @Test
  void tlsWithCaFile() throws Exception {
    Map<String, Object> m = KafkaExporterIT.base(broker, "x");
    m.put("brokers", List.of(broker.bootstrapServers(KafkaBroker.Listener.SSL)));
    m.put("tls", new TlsConfig(false, false, broker.caCertificatePem().toString(), null, null, null, null, null,
        null, null, null));
    sendAndRead("it_tls", m);
  }

  @Test
  void wrongPasswordIsRetriedNotAccepted() throws Exception {
    broker.createTopic("it_badpw", 1);
    Map<String, Object> m = KafkaExporterIT.base(broker, "it_badpw");
    m.put("brokers", List.of(broker.bootstrapServers(KafkaBroker.Listener.SASL_PLAINTEXT)));
    m.put("auth", new AuthConfig(new SaslConfig("tiercel", Secret.of("wrong"), SaslMechanism.SCRAM_SHA_512, 0),
        null));
    m.put("timeout", Duration.ofSeconds(2));
    KafkaExporter<Traces> e = KafkaExporterIT.start(KafkaExporterIT.settings("badpw"), KafkaExporterConfigTest.with(m));
    try {
      var f = e.consume(Context.EMPTY, TestData.traces(1, 1, 1));
      Thread.sleep(3000);
      assertThat(f).isNotDone();
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(5)));
    }
  }
}
