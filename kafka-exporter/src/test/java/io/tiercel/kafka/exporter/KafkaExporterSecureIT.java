package io.tiercel.kafka.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.config.Secret;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.extension.bearertokenauth.BearerTokenAuthConfig;
import io.tiercel.core.extension.bearertokenauth.BearerTokenAuthExtensionFactory;
import io.tiercel.core.pdata.Traces;
import io.tiercel.kafka.common.config.AuthConfig;
import io.tiercel.kafka.common.config.SaslConfig;
import io.tiercel.kafka.common.config.SaslMechanism;
import io.tiercel.kafka.common.config.TlsConfig;
import io.tiercel.testing.LogCapture;
import io.tiercel.testing.TestData;
import io.tiercel.testing.component.TestHost;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SASL (PLAIN, SCRAM, OAUTHBEARER) and TLS listeners of the real broker, configured through
 * auth.sasl and tls.
 */
@KafkaBrokerTest(saslUsers = "tiercel:s3cret-pw", ssl = true)
class KafkaExporterSecureIT {
  static KafkaBroker broker;

  private void sendAndRead(String topic, Map<String, Object> m) throws Exception {
    broker.createTopic(topic, 1);
    m.put("traces", new SignalDestination(topic, null, null, null));
    KafkaExporter<Traces> e =
        KafkaExporterIT.start(KafkaExporterIT.settings(topic), KafkaExporterConfigTest.with(m));
    Traces t = TestData.traces(3, 2, 11);
    try {
      e.consume(Context.EMPTY, t).get(30, TimeUnit.SECONDS);
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(10)));
    }
    assertThat(broker.consumeAll(topic, 1, Duration.ofSeconds(30)).get(0).value())
        .isEqualTo(t.bytes());
  }

  @ParameterizedTest
  @EnumSource(value = SaslMechanism.class, names = "OAUTHBEARER", mode = EnumSource.Mode.EXCLUDE)
  void sasl(SaslMechanism mechanism) throws Exception {
    Map<String, Object> m = KafkaExporterIT.base(broker, "x");
    m.put("brokers", List.of(broker.bootstrapServers(KafkaBroker.Listener.SASL_PLAINTEXT)));
    m.put(
        "auth",
        new AuthConfig(new SaslConfig("tiercel", Secret.of("s3cret-pw"), mechanism, 0), null));
    sendAndRead("it_sasl_" + mechanism.name().toLowerCase(java.util.Locale.ROOT), m);
  }

  @Test
  void oauthBearerPresentsTheTokenOfTheNamedExtension() throws Exception {
    String topic = "it_oauthbearer";
    broker.createTopic(topic, 1);
    ComponentId sourceId = ComponentId.parse("bearertokenauth/kafka");
    Extension source =
        new BearerTokenAuthExtensionFactory()
            .create(
                Settings.forTest(Kind.EXTENSION, sourceId, null),
                new BearerTokenAuthConfig(
                    null,
                    null,
                    Secret.of(
                        KafkaBroker.unsecuredToken("tiercel", Instant.now().plusSeconds(3600))),
                    List.of(),
                    null));
    Map<String, Object> m = KafkaExporterIT.base(broker, "x");
    m.put("brokers", List.of(broker.bootstrapServers(KafkaBroker.Listener.SASL_PLAINTEXT)));
    m.put("auth", new AuthConfig(SaslConfig.oauthBearer(sourceId), null));
    m.put("traces", new SignalDestination(topic, null, null, null));
    KafkaExporter<Traces> e =
        new KafkaExporter<>(KafkaExporterIT.settings(topic), KafkaExporterConfigTest.with(m));
    e.start(TestHost.withExtensions(Map.of(sourceId, source)));
    try {
      for (int i = 0; i < 5; i++) {
        e.consume(Context.EMPTY, TestData.traces(2, 2, i)).get(30, TimeUnit.SECONDS);
      }
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(10)));
    }
    assertThat(broker.consumeAll(topic, 5, Duration.ofSeconds(30))).hasSize(5);
  }

  @Test
  void oauthBearerWithoutTheNamedExtensionFailsAtStartNamingTheKey() throws Exception {
    Map<String, Object> m = KafkaExporterIT.base(broker, "x");
    m.put("brokers", List.of(broker.bootstrapServers(KafkaBroker.Listener.SASL_PLAINTEXT)));
    m.put("auth", new AuthConfig(SaslConfig.oauthBearer(ComponentId.parse("oauth2client")), null));
    m.put("traces", new SignalDestination("it_oauthbearer_missing", null, null, null));
    KafkaExporter<Traces> e =
        new KafkaExporter<>(
            KafkaExporterIT.settings("it_oauthbearer_missing"), KafkaExporterConfigTest.with(m));
    try {
      assertThatThrownBy(() -> e.start(TestHost.create()))
          .hasMessageContaining("auth.sasl.oauthbearer_token_source")
          .hasMessageContaining("\"oauth2client\"");
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(10)));
    }
  }

  @Test
  void tlsWithCaFile() throws Exception {
    Map<String, Object> m = KafkaExporterIT.base(broker, "x");
    m.put("brokers", List.of(broker.bootstrapServers(KafkaBroker.Listener.SSL)));
    m.put(
        "tls",
        new TlsConfig(
            false,
            false,
            broker.caCertificatePem().toString(),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null));
    sendAndRead("it_tls", m);
  }

  /** A config for a topic on {@code brokers} that fails fast: 2 s per attempt, no retries. */
  private static Map<String, Object> failFast(String topic, String brokers) {
    broker.createTopic(topic, 1);
    Map<String, Object> m = KafkaExporterIT.base(broker, topic);
    m.put("brokers", List.of(brokers));
    m.put("timeout", Duration.ofSeconds(2));
    m.put("retry_on_failure", io.tiercel.core.exporterhelper.RetryConfig.disabled());
    return m;
  }

  @Test
  void wrongPasswordFailsNamingBrokerAndMechanismWithoutThePassword() throws Exception {
    String brokers = broker.bootstrapServers(KafkaBroker.Listener.SASL_PLAINTEXT);
    Map<String, Object> m = failFast("it_badpw", brokers);
    m.put(
        "auth",
        new AuthConfig(
            new SaslConfig("tiercel", Secret.of("Wr0ng-pa55word"), SaslMechanism.SCRAM_SHA_512, 0),
            null));
    LogCapture logs = LogCapture.start();
    KafkaExporter<Traces> e =
        KafkaExporterIT.start(KafkaExporterIT.settings("badpw"), KafkaExporterConfigTest.with(m));
    try {
      var f = e.consume(Context.EMPTY, TestData.traces(1, 1, 1));
      assertThat(f)
          .failsWithin(Duration.ofSeconds(30))
          .withThrowableThat()
          .havingRootCause()
          .isInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class);
      Throwable err = PipelineExceptionHolder.cause(f);
      assertThat(err.getMessage())
          .startsWith(
              "authentication to brokers "
                  + brokers
                  + " failed (SASL SCRAM-SHA-512 as user \"tiercel\"): ")
          .contains("SCRAM-SHA-512")
          .doesNotContain("Wr0ng-pa55word");
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(5)));
      logs.close();
    }
    assertThat(logs.text()).contains("authentication").doesNotContain("Wr0ng-pa55word");
  }

  /**
   * TLS with the JVM's trust store only: the harness broker's self-signed certificate is not
   * trusted.
   */
  @Test
  void untrustedCertificateFailsNamingTheBroker() throws Exception {
    String brokers = broker.bootstrapServers(KafkaBroker.Listener.SSL);
    Map<String, Object> m = failFast("it_untrusted", brokers);
    m.put("tls", TlsConfig.enabled());
    KafkaExporter<Traces> e =
        KafkaExporterIT.start(
            KafkaExporterIT.settings("untrusted"), KafkaExporterConfigTest.with(m));
    try {
      var f = e.consume(Context.EMPTY, TestData.traces(1, 1, 1));
      assertThat(f)
          .failsWithin(Duration.ofSeconds(30))
          .withThrowableThat()
          .havingRootCause()
          .isInstanceOf(java.security.cert.CertPathBuilderException.class);
      Throwable err = PipelineExceptionHolder.cause(f);
      assertThat(err.getMessage())
          .isEqualTo(
              "authentication to brokers "
                  + brokers
                  + " failed (SSL): SSL handshake failed: the broker's certificate is not trusted"
                  + " (unable to find valid certification path to requested target); set"
                  + " tls.ca_file to the CA that signed it (or tls.insecure_skip_verify: true, for"
                  + " testing only)");
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(5)));
    }
    assertThat(broker.consumeAll("it_untrusted", 0, Duration.ofSeconds(1))).isEmpty();
  }

  /**
   * The same untrusted certificate, with insecure_skip_verify: delivered, and a WARN at start says
   * so.
   */
  @Test
  void insecureSkipVerifyAcceptsTheUntrustedCertificateAndWarns() throws Exception {
    Map<String, Object> m = KafkaExporterIT.base(broker, "x");
    String brokers = broker.bootstrapServers(KafkaBroker.Listener.SSL);
    m.put("brokers", List.of(brokers));
    m.put("tls", new TlsConfig(false, true, null, null, null, null, null, null, null, null, null));
    try (LogCapture logs = LogCapture.start()) {
      sendAndRead("it_tls_skip_verify", m);
      assertThat(logs.text())
          .contains(
              "WARN io.tiercel.exporter.kafka/it_tls_skip_verify Exporter kafka/it_tls_skip_verify:"
                  + " TLS certificate verification is off (tls.insecure_skip_verify: true): the"
                  + " certificate chain and host name of brokers "
                  + brokers
                  + " are not checked; use it for testing only");
    }
  }

  /** The pipeline failure a consume future carries. */
  static final class PipelineExceptionHolder {
    static Throwable cause(java.util.concurrent.CompletableFuture<Void> f) {
      try {
        f.join();
        throw new AssertionError("future succeeded");
      } catch (java.util.concurrent.CompletionException ex) {
        return io.tiercel.core.consumer.PipelineException.unwrap(ex);
      }
    }
  }
}
