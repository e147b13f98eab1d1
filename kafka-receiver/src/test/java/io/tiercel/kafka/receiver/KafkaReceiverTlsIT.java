package io.tiercel.kafka.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.component.Consumers;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Traces;
import io.tiercel.kafka.common.config.TlsConfig;
import io.tiercel.testing.LogCapture;
import io.tiercel.testing.TestData;
import io.tiercel.testing.consumer.RecordingSink;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The receiver on the broker's SSL listener, whose self-signed certificate no default trust store
 * holds.
 */
@KafkaBrokerTest(ssl = true)
class KafkaReceiverTlsIT {
  static KafkaBroker broker;
  private ItSupport it;

  @BeforeEach
  void setUp() {
    it = new ItSupport(broker);
  }

  @AfterEach
  void tearDown() throws Exception {
    it.stopAll();
  }

  private ConfigBuilder overSsl(String group, String topic, TlsConfig tls) {
    ConfigBuilder b = it.config(group, topic, "unused-metrics", "unused-logs");
    b.brokers = List.of(broker.bootstrapServers(KafkaBroker.Listener.SSL));
    b.tls = tls;
    return b;
  }

  @Test
  void untrustedCertificateIsRefusedNamingTheBroker() throws Exception {
    broker.createTopic("tls-untrusted", 1);
    it.produce("tls-untrusted", null, List.of(TestData.traces(1, 2, 1).bytes()), Map.of());
    RecordingSink<Traces> sink = RecordingSink.create();
    try (LogCapture logs = LogCapture.start()) {
      it.start(
          "untrusted",
          overSsl("g-untrusted", "tls-untrusted", TlsConfig.enabled()).build(),
          new Consumers(sink, null, null));
      assertThat(
              ItSupport.eventually(
                  Duration.ofSeconds(20), () -> logs.text().contains("consumer error")))
          .as("the handshake failure is logged")
          .isTrue();
      assertThat(logs.text())
          .contains(
              "kafka/untrusted: consumer error: authentication to brokers "
                  + broker.bootstrapServers(KafkaBroker.Listener.SSL)
                  + " failed (SSL): SSL handshake failed: the broker's certificate is not trusted"
                  + " (unable to find valid certification path to requested target); set"
                  + " tls.ca_file to the CA that signed it (or tls.insecure_skip_verify: true, for"
                  + " testing only)");
    }
    assertThat(sink.callCount()).isZero();
  }

  @Test
  void insecureSkipVerifyConsumesEveryRecordAndWarnsAtStart() throws Exception {
    broker.createTopic("tls-skip", 2);
    List<Traces> sent = IntStream.range(0, 10).mapToObj(i -> TestData.traces(2, 3, i)).toList();
    it.produce("tls-skip", null, sent.stream().map(OtlpData::bytes).toList(), Map.of());
    RecordingSink<Traces> sink = RecordingSink.create();
    TlsConfig skip =
        new TlsConfig(false, true, null, null, null, null, null, null, null, null, null);
    try (LogCapture logs = LogCapture.start()) {
      it.start(
          "skip", overSsl("g-skip", "tls-skip", skip).build(), new Consumers(sink, null, null));
      sink.awaitItems(10 * 6, Duration.ofSeconds(30));
      assertThat(logs.text())
          .contains(
              "WARN io.tiercel.receiver.kafka/skip Receiver kafka/skip: TLS certificate"
                  + " verification is off (tls.insecure_skip_verify: true): the certificate chain"
                  + " and host name of brokers "
                  + broker.bootstrapServers(KafkaBroker.Listener.SSL)
                  + " are not checked; use it for testing only");
    }
    assertThat(sink.data()).containsExactlyInAnyOrderElementsOf(sent); // in = out
    assertThat(sink.itemCount()).isEqualTo(60);
  }
}
