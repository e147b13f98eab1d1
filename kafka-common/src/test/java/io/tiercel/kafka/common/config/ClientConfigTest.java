package io.tiercel.kafka.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.Host;
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.Secret;
import io.tiercel.core.extension.auth.TokenSource;
import io.tiercel.testing.component.TestHost;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientConfigTest {
  private static ClientConfig client(List<String> brokers, AuthConfig auth, TlsConfig tls) {
    return new ClientConfig(
        brokers, "tiercel", false, Duration.ofMinutes(9), auth, tls, MetadataConfig.DEFAULT);
  }

  private static TlsConfig tls(boolean insecure, String caFile) {
    return new TlsConfig(insecure, false, caFile, null, null, null, null, null, null, null, null);
  }

  private static SaslConfig sasl(String mechanism) {
    return new SaslConfig("alice", Secret.of("p\"w\\d"), SaslMechanism.valueOf(mechanism), 0);
  }

  @Test
  void plaintextProperties() {
    Map<String, Object> p = client(List.of("a:9092", "b:9093"), null, null).properties();
    assertThat(p)
        .containsEntry("bootstrap.servers", "a:9092,b:9093")
        .containsEntry("client.id", "tiercel")
        .containsEntry("security.protocol", "PLAINTEXT")
        .containsEntry("connections.max.idle.ms", 540000L)
        .containsEntry("metadata.max.age.ms", 600000L)
        .doesNotContainKey("sasl.mechanism")
        .doesNotContainKey("client.dns.lookup");
  }

  @Test
  void canonicalBootstrapLookupAndIdleTimeout() {
    Map<String, Object> p =
        new ClientConfig(
                List.of("a:1"),
                "x",
                true,
                Duration.ofSeconds(30),
                null,
                null,
                new MetadataConfig(true, Duration.ofMinutes(1), null))
            .properties();
    assertThat(p)
        .containsEntry("client.dns.lookup", "resolve_canonical_bootstrap_servers_only")
        .containsEntry("connections.max.idle.ms", 30_000L)
        .containsEntry("metadata.max.age.ms", 60_000L);
  }

  @Test
  void securityProtocolIsDerived() {
    assertThat(client(List.of("a:1"), null, null).securityProtocol())
        .isEqualTo(SecurityProtocol.PLAINTEXT);
    assertThat(client(List.of("a:1"), null, TlsConfig.enabled()).securityProtocol())
        .isEqualTo(SecurityProtocol.SSL);
    assertThat(client(List.of("a:1"), new AuthConfig(sasl("PLAIN"), null), null).securityProtocol())
        .isEqualTo(SecurityProtocol.SASL_PLAINTEXT);
    assertThat(
            client(List.of("a:1"), new AuthConfig(sasl("PLAIN"), null), TlsConfig.enabled())
                .securityProtocol())
        .isEqualTo(SecurityProtocol.SASL_SSL);
    // insecure without a CA means no TLS (the collector's configtls rule); auth.tls is the old
    // spelling
    assertThat(client(List.of("a:1"), null, tls(true, null)).securityProtocol())
        .isEqualTo(SecurityProtocol.PLAINTEXT);
    assertThat(
            client(List.of("a:1"), new AuthConfig(null, TlsConfig.enabled()), null)
                .securityProtocol())
        .isEqualTo(SecurityProtocol.SSL);
  }

  @Test
  void saslJaasLineEscapesAndNamesTheModule() {
    Map<String, Object> p =
        client(List.of("a:1"), new AuthConfig(sasl("SCRAM_SHA_512"), null), null).properties();
    assertThat(p)
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\" "
                + "password=\"p\\\"w\\\\d\";");
    assertThat(
            client(List.of("a:1"), new AuthConfig(sasl("PLAIN"), null), null)
                .properties()
                .get("sasl.jaas.config"))
        .asString()
        .startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required");
  }

  @Test
  void tlsPropertiesReadPemFiles(@TempDir Path dir) throws Exception {
    Path ca =
        Files.writeString(
            dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n");
    Path cert = Files.writeString(dir.resolve("c.pem"), "CERT");
    Path key = Files.writeString(dir.resolve("k.pem"), "KEY");
    TlsConfig t =
        new TlsConfig(
            false,
            false,
            ca.toString(),
            null,
            cert.toString(),
            null,
            key.toString(),
            null,
            "1.3",
            null,
            "");
    ClientConfig c = client(List.of("a:1"), null, t);
    Map<String, Object> p = c.properties();
    assertThat(p)
        .containsEntry("security.protocol", "SSL")
        .containsEntry("ssl.truststore.type", "PEM")
        .containsEntry("ssl.truststore.certificates", Files.readString(ca))
        .containsEntry("ssl.keystore.type", "PEM")
        .containsEntry("ssl.keystore.certificate.chain", "CERT")
        .containsEntry("ssl.keystore.key", "KEY")
        .containsEntry("ssl.enabled.protocols", "TLSv1.3")
        .containsEntry("ssl.protocol", "TLSv1.3")
        .doesNotContainKeys("ssl.endpoint.identification.algorithm", "ssl.engine.factory.class");
    assertThat(c.insecureWarning()).isEmpty();
    assertThat(TlsConfig.enabled().protocols()).containsExactly("TLSv1.2", "TLSv1.3");
  }

  @Test
  void insecureSkipVerifyTrustsAnyChainAndChecksNoHostName(@TempDir Path dir) throws Exception {
    Path ca =
        Files.writeString(
            dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n");
    TlsConfig t =
        new TlsConfig(false, true, ca.toString(), null, null, null, null, null, null, null, null);
    ClientConfig c = client(List.of("a:1", "b:2"), null, t);
    assertThat(c.properties())
        .containsEntry("security.protocol", "SSL")
        .containsEntry(
            "ssl.engine.factory.class",
            io.tiercel.kafka.common.internal.TrustAllSslEngineFactory.class)
        .containsEntry("ssl.endpoint.identification.algorithm", "")
        .doesNotContainKeys("ssl.truststore.type", "ssl.truststore.certificates");
    assertThat(c.insecureWarning())
        .contains(
            "TLS certificate verification is off (tls.insecure_skip_verify: true): the certificate"
                + " chain and host name of brokers a:1,b:2 are not checked; use it for testing"
                + " only");
    // insecure (no TLS at all) is not insecure_skip_verify: nothing to warn about
    assertThat(client(List.of("a:1"), null, tls(true, null)).insecureWarning()).isEmpty();
  }

  @Test
  void unreadableCaFileNamesTheKey() {
    ClientConfig c = client(List.of("a:1"), null, tls(false, "/nonexistent/ca.pem"));
    assertThatThrownBy(c::properties)
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("tls.ca_file: cannot read /nonexistent/ca.pem: ");
  }

  @Test
  void invalidValues() {
    assertInvalid(
        () -> client(List.of(), null, null),
        "brokers",
        "must list at least one broker (host:port)");
    assertInvalid(
        () -> client(List.of("a:1", "b"), null, null), "brokers[1]", "\"b\" is not host:port");
    assertInvalid(
        () -> client(List.of("a:99999"), null, null), "brokers[0]", "\"a:99999\" is not host:port");
    assertInvalid(
        () -> new ClientConfig(List.of("a:1"), "", false, Duration.ofMinutes(1), null, null, null),
        "client_id",
        "must not be empty");
    assertInvalid(
        () -> new ClientConfig(List.of("a:1"), "x", false, Duration.ZERO, null, null, null),
        "conn_idle_timeout",
        "must be positive, got PT0S");
    assertInvalid(
        () -> new SaslConfig("u", Secret.of("p"), null, 0),
        "mechanism",
        "must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER");
    assertInvalid(
        () -> new SaslConfig(null, null, SaslMechanism.OAUTHBEARER, 0, null),
        "oauthbearer_token_source",
        "must be set when auth.sasl.mechanism is OAUTHBEARER");
    assertInvalid(
        () -> new SaslConfig("", Secret.of("p"), SaslMechanism.PLAIN, 0),
        "username",
        "must be set when auth.sasl is configured");
    assertInvalid(
        () -> new SaslConfig("u", null, SaslMechanism.PLAIN, 0),
        "password",
        "must be set when auth.sasl is configured");
    assertInvalid(
        () -> new SaslConfig("u", Secret.of("p"), SaslMechanism.PLAIN, 2),
        "version",
        "must be 0 or 1, got 2");
    assertInvalid(
        () -> new TlsConfig(false, false, null, null, null, null, null, null, "1.4", null, null),
        "min_version",
        "\"1.4\" is not one of 1.0, 1.1, 1.2, 1.3");
    assertInvalid(
        () -> new TlsConfig(false, false, null, null, null, null, null, null, "1.3", "1.2", null),
        "max_version",
        "must not be below min_version (1.3)");
    assertInvalid(
        () -> new TlsConfig(false, false, null, null, "c.pem", null, null, null, null, null, null),
        "key_file",
        "a client certificate needs both a certificate and a key");
    assertInvalid(
        () -> new TlsConfig(false, false, "a", "b", null, null, null, null, null, null, null),
        "ca_pem",
        "set either ca_file or ca_pem, not both");
    assertInvalid(
        () ->
            new TlsConfig(
                false, false, null, null, null, null, null, null, null, null, "kafka.local"),
        "server_name_override",
        "is not supported by the Kafka Java client");
    assertInvalid(
        () -> new MetadataConfig(true, Duration.ZERO, null),
        "refresh_interval",
        "must be positive, got PT0S");
    assertInvalid(
        () -> new MetadataConfig.MetadataRetry(-1, Duration.ZERO),
        "max",
        "must not be negative, got -1");
  }

  @Test
  void secretNeverInToString() {
    SaslConfig s = sasl("PLAIN");
    assertThat(s.toString()).doesNotContain("p\"w").contains("[REDACTED]");
  }

  @Test
  void passthroughChecksNamesAgainstTheClient() {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("linger.ms", 20);
    raw.put("enable.idempotence", true);
    raw.put("ssl.cipher.suites", List.of("A", "B"));
    assertThat(Passthrough.producer("producer_config", raw, Map.of()))
        .containsExactly(
            Map.entry("linger.ms", "20"),
            Map.entry("enable.idempotence", "true"),
            Map.entry("ssl.cipher.suites", "A,B"));
    assertInvalid(
        () -> Passthrough.producer("producer_config", Map.of("linger.msec", 1), Map.of()),
        "producer_config.linger.msec",
        "\"linger.msec\" is not a Kafka producer config");
    assertInvalid(
        () -> Passthrough.producer("producer_config", Map.of("group.id", "g"), Map.of()),
        "producer_config.group.id",
        "\"group.id\" is not a Kafka producer config");
    assertInvalid(
        () -> Passthrough.producer("producer_config", Map.of("bootstrap.servers", "x:1"), Map.of()),
        "producer_config.bootstrap.servers",
        "is set by Tiercel; use brokers and cannot be overridden");
    assertInvalid(
        () -> Passthrough.producer("producer_config", Map.of("value.serializer", "x"), Map.of()),
        "producer_config.value.serializer",
        "is set by Tiercel and cannot be overridden");
    assertInvalid(
        () -> Passthrough.producer("producer_config", Map.of("linger.ms", "soon"), Map.of()),
        "producer_config.linger.ms",
        "Invalid value soon for configuration linger.ms: Not a number of type LONG");
    assertInvalid(
        () -> Passthrough.producer("producer_config", Map.of("acks", "2"), Map.of()),
        "producer_config.acks",
        "Invalid value 2 for configuration acks: String must be one of: all, -1, 0, 1");
    assertThat(Passthrough.consumer("consumer_config", Map.of("group.id", "g"), Map.of()))
        .containsEntry("group.id", "g");
    assertInvalid(
        () -> Passthrough.consumer("consumer_config", Map.of("linger.ms", 1), Map.of()),
        "consumer_config.linger.ms",
        "\"linger.ms\" is not a Kafka consumer config");
  }

  @Test
  void passthroughMustNotSetWhatAFirstClassKeySets() {
    Map<String, String> owned = client(List.of("a:1"), null, null).ownedProperties();
    assertInvalid(
        () -> Passthrough.producer("producer_config", Map.of("client.id", "x"), owned),
        "producer_config.client.id",
        "conflicts with client_id; set one of them");
    assertInvalid(
        () -> Passthrough.consumer("consumer_config", Map.of("metadata.max.age.ms", 1), owned),
        "consumer_config.metadata.max.age.ms",
        "conflicts with metadata.refresh_interval; set one of them");
    assertThat(Passthrough.consumer("consumer_config", Map.of("ssl.keystore.type", "JKS"), owned))
        .containsEntry("ssl.keystore.type", "JKS");
    assertInvalid(
        () ->
            Passthrough.rejectConflicts(
                "dead_letter.producer_config", Map.of("connections.max.idle.ms", "1"), owned),
        "dead_letter.producer_config.connections.max.idle.ms",
        "conflicts with conn_idle_timeout; set one of them");
  }

  @Test
  void ownedPropertiesAreWhatPropertiesSets() {
    TlsConfig mutual =
        new TlsConfig(
            false, false, null, "CA", null, "CERT", null, Secret.of("KEY"), null, null, null);
    TlsConfig skipVerify =
        new TlsConfig(false, true, null, null, null, null, null, null, "1.3", null, null);
    List<ClientConfig> configs =
        List.of(
            client(List.of("a:1"), null, null),
            new ClientConfig(List.of("a:1"), "x", true, Duration.ofSeconds(1), null, null, null),
            client(List.of("a:1"), new AuthConfig(sasl("PLAIN"), null), mutual),
            client(List.of("a:1"), null, skipVerify),
            client(List.of("a:1"), new AuthConfig(null, TlsConfig.enabled()), null));
    for (ClientConfig c : configs) {
      Map<String, Object> p = new LinkedHashMap<>(c.properties());
      p.remove("bootstrap.servers");
      assertThat(c.ownedProperties().keySet()).as("%s", c).isEqualTo(p.keySet());
    }
    assertThat(configs.get(2).ownedProperties())
        .containsEntry("sasl.jaas.config", "auth.sasl")
        .containsEntry("ssl.truststore.certificates", "tls.ca_file")
        .containsEntry("ssl.keystore.key", "tls.key_file");
  }

  @Test
  void oauthBearerHandsTheNamedTokenSourceToTheClientsLoginHandler() {
    ComponentId id = ComponentId.parse("bearertokenauth/kafka");
    TokenSource source = () -> Optional.of("t0ken");
    Extension ext = new TokenSourceExtension(source);
    ClientConfig c = client(List.of("a:1"), new AuthConfig(SaslConfig.oauthBearer(id), null), null);
    Map<String, Object> p = c.properties(TestHost.withExtensions(Map.of(id, ext)));
    assertThat(p)
        .containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "OAUTHBEARER")
        .containsEntry(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;")
        .containsEntry(
            "sasl.login.callback.handler.class",
            "io.tiercel.kafka.common.internal.OAuthBearerTokenHandler")
        .containsEntry("sasl.tiercel.oauthbearer.token.source", ext);
    assertThat(c.properties()).doesNotContainKey("sasl.tiercel.oauthbearer.token.source");
    assertThat(
            c.authenticationFailure(
                new org.apache.kafka.common.errors.SaslAuthenticationException("denied")))
        .isEqualTo(
            "authentication to brokers a:1 failed (SASL OAUTHBEARER with the token of extension"
                + " \"bearertokenauth/kafka\"): denied");
  }

  @Test
  void oauthBearerWithoutTheExtensionFailsNamingTheKeyAndTheId() {
    ClientConfig c =
        client(
            List.of("a:1"),
            new AuthConfig(SaslConfig.oauthBearer(ComponentId.parse("oauth2client")), null),
            null);
    assertThatThrownBy(() -> c.properties(TestHost.create()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "auth.sasl.oauthbearer_token_source: extension \"oauth2client\" is not configured, not"
                + " started, or holds no token (bearertokenauth does)");
  }

  /** An extension that only holds a token. */
  private record TokenSourceExtension(TokenSource source) implements Extension, TokenSource {
    @Override
    public Optional<String> currentToken() {
      return source.currentToken();
    }

    @Override
    public void start(Host host) {}

    @Override
    public void shutdown(Deadline deadline) {}
  }

  private static void assertInvalid(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable c, String key, String msg) {
    assertThatThrownBy(c)
        .isInstanceOfSatisfying(
            InvalidValueException.class,
            e -> {
              assertThat(e.key()).isEqualTo(key);
              assertThat(e.getMessage()).isEqualTo(msg);
            });
  }
}
