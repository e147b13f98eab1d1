package io.tiercel.core.extension.bearertokenauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.builtin.ConfigCases;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.config.Secret;
import io.tiercel.core.config.ServiceConfig;
import io.tiercel.core.extension.auth.AuthTesting;
import io.tiercel.core.extension.auth.AuthenticationException;
import io.tiercel.core.extension.auth.ClientAuthenticator;
import io.tiercel.core.extension.auth.ServerAuthenticator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BearerTokenAuthTest {
  @TempDir Path dir;

  @Test
  void defaultsAreTheCollectors() {
    assertThat(new BearerTokenAuthExtensionFactory().createDefaultConfig())
        .isEqualTo(new BearerTokenAuthConfig("Authorization", "Bearer", null, List.of(), null));
  }

  @Test
  void loadsTestdataConfig() throws Exception {
    ServiceConfig c = ConfigCases.load("bearertokenauth");
    assertThat(ConfigCases.config(c.extensions(), "bearertokenauth/sometoken"))
        .isEqualTo(
            new BearerTokenAuthConfig(
                "Authorization", "Bearer", Secret.of("sometoken"), List.of(), null));
    assertThat(ConfigCases.config(c.extensions(), "bearertokenauth/multiple"))
        .isEqualTo(
            new BearerTokenAuthConfig(
                "X-Api-Key",
                "",
                null,
                List.of(Secret.of("randomtoken"), Secret.of("thistokenalsoworks")),
                null));
    assertThat(ConfigCases.config(c.extensions(), "bearertokenauth/file"))
        .isEqualTo(
            new BearerTokenAuthConfig(
                "Authorization", "Bearer", null, List.of(), "/run/secrets/token"));
  }

  static Stream<Arguments> invalid() throws Exception {
    return ConfigCases.invalid("bearertokenauth");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidConfigFailsWithExactMessage(String name, String yaml, String error) throws Exception {
    ConfigCases.assertFails(dir, name, yaml, error);
  }

  private static Extension create(BearerTokenAuthConfig cfg) {
    return new BearerTokenAuthExtensionFactory()
        .create(Settings.forTest(Kind.EXTENSION, ComponentId.parse("bearertokenauth"), null), cfg);
  }

  @Test
  void anyOfSeveralTokensIsAcceptedAndTheClientSendsTheFirst() throws Exception {
    Extension e =
        create(
            new BearerTokenAuthConfig(
                "X-Api-Key", "", null, List.of(Secret.of("one"), Secret.of("two")), null));
    e.start(AuthTesting.host(Map.of()));
    ServerAuthenticator s = (ServerAuthenticator) e;
    s.authenticate(AuthTesting.headers("x-api-key", "two"));
    s.authenticate(AuthTesting.headers("X-API-KEY", "one"));
    assertThatThrownBy(() -> s.authenticate(AuthTesting.headers("x-api-key", "three")))
        .isInstanceOf(AuthenticationException.class)
        .hasMessage("scheme or token does not match");
    assertThatThrownBy(() -> s.authenticate(AuthTesting.headers("authorization", "one")))
        .isInstanceOf(AuthenticationException.class)
        .hasMessage("missing or empty authorization header: X-Api-Key");
    assertThat(((ClientAuthenticator) e).requestHeaders()).isEqualTo(Map.of("X-Api-Key", "one"));
    e.shutdown(Deadline.in(Duration.ofSeconds(1)));
  }

  @Test
  void theSchemeIsPartOfTheCredential() throws Exception {
    Extension e =
        create(new BearerTokenAuthConfig(null, null, Secret.of("s3cr3t"), List.of(), null));
    e.start(AuthTesting.host(Map.of()));
    ServerAuthenticator s = (ServerAuthenticator) e;
    s.authenticate(AuthTesting.headers("authorization", "Bearer s3cr3t"));
    assertThatThrownBy(() -> s.authenticate(AuthTesting.headers("authorization", "s3cr3t")))
        .hasMessage("scheme or token does not match");
    assertThat(((ClientAuthenticator) e).requestHeaders())
        .isEqualTo(Map.of("Authorization", "Bearer s3cr3t"));
  }

  @Test
  void theTokenFileIsReloadedWhenItChangesAndBlankLinesAreNoTokens() throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "first\n\n");
    Extension e =
        create(
            new BearerTokenAuthConfig(
                null, null, Secret.of("ignored"), List.of(), file.toString()));
    e.start(AuthTesting.host(Map.of()));
    ServerAuthenticator s = (ServerAuthenticator) e;
    ClientAuthenticator c = (ClientAuthenticator) e;
    s.authenticate(AuthTesting.headers("authorization", "Bearer first"));
    assertThatThrownBy(() -> s.authenticate(AuthTesting.headers("authorization", "Bearer ")))
        .hasMessage("scheme or token does not match");
    assertThatThrownBy(() -> s.authenticate(AuthTesting.headers("authorization", "Bearer ignored")))
        .hasMessage("scheme or token does not match");
    Files.writeString(file, "second\nthird\n");
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!c.requestHeaders().equals(Map.of("Authorization", "Bearer second"))
        && System.nanoTime() < end) {
      Thread.sleep(50);
    }
    assertThat(c.requestHeaders()).isEqualTo(Map.of("Authorization", "Bearer second"));
    s.authenticate(AuthTesting.headers("authorization", "Bearer third"));
    assertThatThrownBy(() -> s.authenticate(AuthTesting.headers("authorization", "Bearer first")))
        .hasMessage("scheme or token does not match");
    e.shutdown(Deadline.in(Duration.ofSeconds(1)));
  }

  @Test
  void aMissingTokenFileFailsTheStartNamingTheKey() {
    Extension e =
        create(
            new BearerTokenAuthConfig(null, null, null, List.of(), dir.resolve("nope").toString()));
    assertThatThrownBy(() -> e.start(AuthTesting.host(Map.of())))
        .hasMessageStartingWith("extensions.bearertokenauth.filename: cannot read ");
  }
}
