package io.tiercel.kafka.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.config.Secret;
import io.tiercel.core.extension.bearertokenauth.BearerTokenAuthConfig;
import io.tiercel.core.extension.bearertokenauth.BearerTokenAuthExtensionFactory;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Traces;
import io.tiercel.kafka.common.config.AuthConfig;
import io.tiercel.kafka.common.config.SaslConfig;
import io.tiercel.testing.TestData;
import io.tiercel.testing.component.TestHost;
import io.tiercel.testing.consumer.RecordingSink;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The receiver on the broker's SASL_PLAINTEXT listener with {@code OAUTHBEARER}, presenting the
 * token of a {@code bearertokenauth} extension (an unsigned test token, which the broker's default
 * unsecured validator accepts).
 */
@KafkaBrokerTest(saslUsers = "tiercel:s3cret-pw")
class KafkaReceiverOAuthBearerIT {
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

  @Test
  void consumesEveryRecordWithTheTokenOfTheNamedExtension() throws Exception {
    broker.createTopic("oauth-in", 2);
    List<Traces> sent = IntStream.range(0, 10).mapToObj(i -> TestData.traces(2, 3, i)).toList();
    it.produce("oauth-in", null, sent.stream().map(OtlpData::bytes).toList(), Map.of());
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
    ConfigBuilder b = it.config("g-oauth", "oauth-in", "unused-metrics", "unused-logs");
    b.brokers = List.of(broker.bootstrapServers(KafkaBroker.Listener.SASL_PLAINTEXT));
    b.auth = new AuthConfig(SaslConfig.oauthBearer(sourceId), null);
    RecordingSink<Traces> sink = RecordingSink.create();
    it.start(
        Settings.forTest(Kind.RECEIVER, new ComponentId("kafka", "oauth"), null),
        b.build(),
        new Consumers(sink, null, null),
        TestHost.withExtensions(Map.of(sourceId, source)));
    sink.awaitItems(10 * 6, Duration.ofSeconds(30));
    assertThat(sink.data()).containsExactlyInAnyOrderElementsOf(sent); // in = out
    assertThat(sink.itemCount()).isEqualTo(60);
  }
}
