package io.tiercel.core.extension.basicauth;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BasicAuthTest {
  @TempDir Path dir;

  @Test
  void loadsTestdataConfig() throws Exception {
    ServiceConfig c = ConfigCases.load("basicauth");
    assertThat(ConfigCases.config(c.extensions(), "basicauth/client"))
        .isEqualTo(
            new BasicAuthConfig(
                null,
                new BasicAuthConfig.ClientAuth("username", null, Secret.of("password"), null)));
    assertThat(ConfigCases.config(c.extensions(), "basicauth/server"))
        .isEqualTo(
            new BasicAuthConfig(
                new BasicAuthConfig.Htpasswd(
                    null, Secret.of("username1:password1\nusername2:password2\n")),
                null));
    assertThat(ConfigCases.config(c.extensions(), "basicauth/file"))
        .isEqualTo(
            new BasicAuthConfig(new BasicAuthConfig.Htpasswd("/etc/tiercel/htpasswd", null), null));
  }

  static Stream<Arguments> invalid() throws Exception {
    return ConfigCases.invalid("basicauth");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidConfigFailsWithExactMessage(String name, String yaml, String error) throws Exception {
    ConfigCases.assertFails(dir, name, yaml, error);
  }

  @Test
  void md5CryptMatchesOpenssl() {
    // openssl passwd -apr1 -salt abcdefgh 'p@ss:word'; openssl passwd -1 -salt xyz secret
    assertThat(
            Htpasswd.md5Crypt(
                "p@ss:word".getBytes(StandardCharsets.UTF_8), "$apr1$abcdefgh$", "$apr1$"))
        .isEqualTo("$apr1$abcdefgh$3vV72pWBK7yA0GpedWUOl/");
    assertThat(Htpasswd.md5Crypt("secret".getBytes(StandardCharsets.UTF_8), "$1$xyz$", "$1$"))
        .isEqualTo("$1$xyz$Qia9Wq6FxQkYcwNWMk/RM0");
  }

  @Test
  void everySupportedHashFormatChecksItsPassword() {
    Htpasswd h =
        Htpasswd.parse(
            "htpasswd.inline",
            "# comment\n"
                + "apr:$apr1$abcdefgh$3vV72pWBK7yA0GpedWUOl/\n"
                + "md5:$1$xyz$Qia9Wq6FxQkYcwNWMk/RM0\n"
                // htpasswd -nbs sha secret
                + "sha:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=\n"
                + "plain:secret\n",
            "ssha:" + ssha("secret", new byte[] {1, 2, 3, 4}));
    assertThat(h.matches("apr", "p@ss:word")).isTrue();
    assertThat(h.matches("apr", "p@ss:wore")).isFalse();
    assertThat(h.matches("md5", "secret")).isTrue();
    assertThat(h.matches("sha", "secret")).isTrue();
    assertThat(h.matches("sha", "Secret")).isFalse();
    assertThat(h.matches("ssha", "secret")).isTrue();
    assertThat(h.matches("ssha", "secreT")).isFalse();
    assertThat(h.matches("plain", "secret")).isTrue();
    assertThat(h.matches("nobody", "secret")).isFalse();
  }

  private static String ssha(String pw, byte[] salt) {
    try {
      var md = java.security.MessageDigest.getInstance("SHA-1");
      md.update(pw.getBytes(StandardCharsets.UTF_8));
      md.update(salt);
      byte[] d = md.digest();
      byte[] all = java.util.Arrays.copyOf(d, d.length + salt.length);
      System.arraycopy(salt, 0, all, d.length, salt.length);
      return "{SSHA}" + Base64.getEncoder().encodeToString(all);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void bcryptLinesAreRefusedNamingTheLineNotTheHash() {
    assertThatThrownBy(
            () ->
                Htpasswd.parse(
                    "extensions.basicauth.htpasswd",
                    "a:x\nbob:$2y$05$L/jPI05ltEKrwIjQThJ4keBFKH/aRDpxY9CaaVWYIZcPu0FXdRO6i\n"))
        .hasMessage(
            "extensions.basicauth.htpasswd line 2 (user \"bob\"): bcrypt and SHA-crypt hashes are"
                + " not supported; use MD5 (htpasswd -m), SHA-1 (htpasswd -s) or plain text");
  }

  private static String basic(String user, String pw) {
    return "Basic "
        + Base64.getEncoder().encodeToString((user + ":" + pw).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theServerLetsInListedUsersAndSaysWhyOthersAreNot() throws Exception {
    Path file = dir.resolve("htpasswd");
    Files.writeString(file, "alice:$apr1$abcdefgh$3vV72pWBK7yA0GpedWUOl/\nbob:old\n");
    Extension e =
        new BasicAuthExtensionFactory()
            .create(
                Settings.forTest(Kind.EXTENSION, ComponentId.parse("basicauth"), null),
                new BasicAuthConfig(
                    new BasicAuthConfig.Htpasswd(file.toString(), Secret.of("bob:new\n")), null));
    e.start(AuthTesting.host(Map.of()));
    ServerAuthenticator s = (ServerAuthenticator) e;
    s.authenticate(AuthTesting.headers("authorization", basic("alice", "p@ss:word")));
    s.authenticate(AuthTesting.headers("Authorization", basic("bob", "new")));
    assertRefused(s, basic("bob", "old"), "invalid credentials");
    assertRefused(s, basic("carol", "x"), "invalid credentials");
    assertRefused(s, "Bearer abc", "invalid authorization scheme prefix");
    assertRefused(s, "Basic !!!", "invalid authorization format");
    assertRefused(
        s,
        "Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes(StandardCharsets.UTF_8)),
        "invalid authorization format");
    assertThatThrownBy(() -> s.authenticate(Map.of()))
        .isInstanceOf(AuthenticationException.class)
        .hasMessage("no basic auth provided");
    assertThat(e).isNotInstanceOf(ClientAuthenticator.class);
    e.shutdown(Deadline.in(Duration.ofSeconds(1)));
  }

  private static void assertRefused(ServerAuthenticator s, String header, String message) {
    assertThatThrownBy(() -> s.authenticate(AuthTesting.headers("Authorization", header)))
        .isInstanceOf(AuthenticationException.class)
        .hasMessage(message);
  }

  @Test
  void anUnreadableHtpasswdFileFailsTheStartNamingTheKey() {
    Extension e =
        new BasicAuthExtensionFactory()
            .create(
                Settings.forTest(Kind.EXTENSION, ComponentId.parse("basicauth/s"), null),
                new BasicAuthConfig(
                    new BasicAuthConfig.Htpasswd(dir.resolve("missing").toString(), null), null));
    assertThatThrownBy(() -> e.start(AuthTesting.host(Map.of())))
        .hasMessageStartingWith("extensions.basicauth/s.htpasswd.file: cannot read ");
  }

  @Test
  void theClientSendsBasicCredentialsAndFollowsItsPasswordFile() throws Exception {
    Path pw = dir.resolve("password");
    Files.writeString(pw, "first\n");
    Extension e =
        new BasicAuthExtensionFactory()
            .create(
                Settings.forTest(Kind.EXTENSION, ComponentId.parse("basicauth/c"), null),
                new BasicAuthConfig(
                    null,
                    new BasicAuthConfig.ClientAuth(
                        "user", null, Secret.of("ignored"), pw.toString())));
    e.start(AuthTesting.host(Map.of()));
    ClientAuthenticator c = (ClientAuthenticator) e;
    assertThat(c.requestHeaders()).isEqualTo(Map.of("Authorization", basic("user", "first")));
    Files.writeString(pw, "second\n");
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!c.requestHeaders().get("Authorization").equals(basic("user", "second"))
        && System.nanoTime() < end) {
      Thread.sleep(50);
    }
    assertThat(c.requestHeaders()).isEqualTo(Map.of("Authorization", basic("user", "second")));
    assertThat(e).isNotInstanceOf(ServerAuthenticator.class);
    e.shutdown(Deadline.in(Duration.ofSeconds(1)));
  }
}
