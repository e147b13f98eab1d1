package io.tiercel.testing.kafka;

import static io.tiercel.testing.kafka.KafkaBrokerIT.bytes;
import static io.tiercel.testing.kafka.KafkaBrokerIT.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.testing.kafka.KafkaBroker.Listener;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SASL_PLAINTEXT (PLAIN, SCRAM-SHA-256/512) and SSL listeners of the in-process broker. */
@KafkaBrokerTest(saslUsers = "alice:alice-secret", ssl = true)
class SecureListenersIT {
  static KafkaBroker broker;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"})
  void saslUserProducesAndTheRecordArrives(String mechanism) throws Exception {
    String topic = "sasl-" + mechanism.toLowerCase(java.util.Locale.ROOT);
    broker.createTopic(topic, 1);
    try (KafkaProducer<byte[], byte[]> p =
        producer(broker.saslClientConfig(mechanism, "alice", "alice-secret"))) {
      p.send(new ProducerRecord<>(topic, bytes("k"), bytes(mechanism))).get(30, TimeUnit.SECONDS);
    }
    List<ConsumerRecord<byte[], byte[]>> got = broker.consumeAll(topic, 1, Duration.ofSeconds(20));
    assertThat(string(got.get(0).value())).isEqualTo(mechanism);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"PLAIN", "SCRAM-SHA-512"})
  void aWrongPasswordIsRejected(String mechanism) {
    try (KafkaProducer<byte[], byte[]> p =
        producer(broker.saslClientConfig(mechanism, "alice", "wrong"))) {
      assertThatThrownBy(
              () ->
                  p.send(new ProducerRecord<>("sasl-denied", bytes("v"))).get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(SaslAuthenticationException.class)
          .hasMessageContaining("Authentication failed");
    }
  }

  @Test
  void sslListenerServesClientsThatTrustTheGeneratedCertificate() throws Exception {
    broker.createTopic("tls", 1);
    assertThat(broker.truststore()).exists();
    assertThat(Files.readString(broker.caCertificatePem()))
        .startsWith("-----BEGIN CERTIFICATE-----\n");
    try (KafkaProducer<byte[], byte[]> p = producer(broker.clientConfig(Listener.SSL))) {
      p.send(new ProducerRecord<>("tls", bytes("over tls"))).get(30, TimeUnit.SECONDS);
    }
    assertThat(string(broker.consumeAll("tls", 1, Duration.ofSeconds(20)).get(0).value()))
        .isEqualTo("over tls");
    assertThat(broker.bootstrapServers(Listener.SSL)).isNotEqualTo(broker.bootstrapServers());
  }

  @Test
  void aListenerThatWasNotBuiltIsNamedInTheError() {
    try (KafkaBroker plain = KafkaBroker.builder().build()) {
      assertThatThrownBy(() -> plain.bootstrapServers(Listener.SSL))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("the broker was never started");
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(Map<String, Object> base) {
    Map<String, Object> cfg = new HashMap<>(base);
    cfg.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    cfg.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    cfg.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
    return new KafkaProducer<>(cfg);
  }
}
