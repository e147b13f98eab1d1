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
  void wrongPasswordFailsNamingBrokerAndMechanismWithoutThePassword() throws Exception {
    broker.createTopic("it_badpw", 1);
    Map<String, Object> m = KafkaExporterIT.base(broker, "it_badpw");
    String brokers = broker.bootstrapServers(KafkaBroker.Listener.SASL_PLAINTEXT);
    m.put("brokers", List.of(brokers));
    m.put("auth", new AuthConfig(new SaslConfig("tiercel", Secret.of("Wr0ng-pa55word"), SaslMechanism.SCRAM_SHA_512,
        0), null));
    m.put("timeout", Duration.ofSeconds(2));
    m.put("retry_on_failure", io.tiercel.core.exporterhelper.RetryConfig.disabled());
    java.io.StringWriter logs = new java.io.StringWriter();
    var ctx = (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
    var appender = org.apache.logging.log4j.core.appender.WriterAppender.createAppender(
        org.apache.logging.log4j.core.layout.PatternLayout.newBuilder().withPattern("%m %ex%n").build(), null, logs,
        "capture", false, true);
    appender.start();
    ctx.getConfiguration().getRootLogger().addAppender(appender, org.apache.logging.log4j.Level.ALL, null);
    ctx.updateLoggers();
    KafkaExporter<Traces> e = KafkaExporterIT.start(KafkaExporterIT.settings("badpw"), KafkaExporterConfigTest.with(m));
    try {
      var f = e.consume(Context.EMPTY, TestData.traces(1, 1, 1));
      assertThat(f).failsWithin(Duration.ofSeconds(30)).withThrowableThat().havingRootCause()
          .isInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class);
      Throwable err = PipelineExceptionHolder.cause(f);
      assertThat(err.getMessage()).startsWith("authentication to brokers " + brokers
          + " failed (SASL SCRAM-SHA-512 as user \"tiercel\"): ").contains("SCRAM-SHA-512")
          .doesNotContain("Wr0ng-pa55word");
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(5)));
      ctx.getConfiguration().getRootLogger().removeAppender("capture");
      ctx.updateLoggers();
      appender.stop();
    }
    assertThat(logs.toString()).contains("authentication").doesNotContain("Wr0ng-pa55word");
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
