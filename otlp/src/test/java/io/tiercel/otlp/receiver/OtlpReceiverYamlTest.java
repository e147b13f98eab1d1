package io.tiercel.otlp.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ConfigBinder;
import io.tiercel.core.config.ConfigError;
import io.tiercel.core.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The receiver's YAML through the real config loader and binder: testdata/otlp/config.yaml and
 * invalid_configs.yaml.
 */
class OtlpReceiverYamlTest {
  private static final OtlpReceiverFactory FACTORY = new OtlpReceiverFactory();

  @TempDir Path dir;

  @SuppressWarnings("unchecked")
  private static Map<String, Object> receivers(Path file) throws Exception {
    ConfigLoader loader = new ConfigLoader(ComponentRegistry.of(List.of(FACTORY)), k -> null);
    return (Map<String, Object>)
        loader.loadRaw(List.of(file.toString()), List.of()).get("receivers");
  }

  private static OtlpReceiverConfig bind(Object yaml, String id, List<ConfigError> errors) {
    return ConfigBinder.bind(
        OtlpReceiverConfig.class, FACTORY.createDefaultConfig(), yaml, "receivers." + id, errors);
  }

  @Test
  @SuppressWarnings("unchecked")
  void configYamlBinds() throws Exception {
    Map<String, Object> r =
        receivers(Path.of(getClass().getResource("/testdata/otlp/config.yaml").toURI()));
    List<ConfigError> errors = new ArrayList<>();

    OtlpReceiverConfig plain = bind(r.get("otlp"), "otlp", errors);
    assertThat(plain)
        .isEqualTo(
            new OtlpReceiverConfig(
                new OtlpReceiverConfig.Protocols(
                    OtlpReceiverConfig.Grpc.defaults(), OtlpReceiverConfig.Http.defaults())));

    OtlpReceiverConfig onlyHttp = bind(r.get("otlp/only_http"), "otlp/only_http", errors);
    assertThat(onlyHttp.protocols().grpc()).isNull();
    assertThat(onlyHttp.protocols().http()).isEqualTo(OtlpReceiverConfig.Http.defaults());
    // print-config leaves the disabled protocol out, so the printed config reads back the same
    Map<String, Object> printed = ConfigBinder.toTree(onlyHttp);
    assertThat(((Map<String, Object>) printed.get("protocols")).keySet()).containsExactly("http");
    assertThat(bind(printed, "otlp/only_http", errors)).isEqualTo(onlyHttp);

    OtlpReceiverConfig c = bind(r.get("otlp/custom"), "otlp/custom", errors);
    assertThat(errors).isEmpty();
    assertThat(c.protocols().grpc())
        .isEqualTo(
            new OtlpReceiverConfig.Grpc(
                "0.0.0.0:5317",
                "tcp",
                new OtlpReceiverConfig.Tls("test.crt", "test.key", "ca.crt", null),
                16,
                100,
                524288,
                null,
                new OtlpReceiverConfig.Keepalive(
                    new OtlpReceiverConfig.ServerParameters(
                        Duration.ofSeconds(11),
                        Duration.ofSeconds(12),
                        Duration.ofSeconds(13),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(5)),
                    new OtlpReceiverConfig.EnforcementPolicy(Duration.ofSeconds(10), true)),
                true));
    assertThat(c.protocols().http())
        .isEqualTo(
            new OtlpReceiverConfig.Http(
                "[::1]:5318",
                null,
                new OtlpReceiverConfig.Cors(
                    List.of("https://*.test.com", "https://test.com"),
                    List.of("ExampleHeader"),
                    7200),
                1048576L,
                true,
                "/traces",
                "/metrics",
                "/v1/logs",
                List.of("gzip", "zstd", ""),
                Duration.ofSeconds(30),
                Map.of("X-Served-By", "tiercel")));

    OtlpReceiverConfig unix = bind(r.get("otlp/unix"), "otlp/unix", errors);
    assertThat(errors).isEmpty();
    assertThat(unix.protocols().grpc().transport()).isEqualTo("unix");
    assertThat(unix.protocols().grpc().endpoint()).isEqualTo("/tmp/grpc_otlp.sock");
    assertThat(unix.protocols().http().transport()).isEqualTo("unix");
    assertThat(unix.protocols().http().endpoint()).isEqualTo("/tmp/http_otlp.sock");
    assertThat(unix.protocols().http().tls())
        .isEqualTo(
            new OtlpReceiverConfig.Tls(
                "test.crt",
                "test.key",
                "ca.crt",
                null,
                null,
                null,
                null,
                "1.3",
                null,
                List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
                false,
                false,
                Duration.ofHours(1),
                true));
    assertThat(unix.protocols().http().tls().options().protocols()).containsExactly("TLSv1.3");
  }

  @SuppressWarnings("unchecked")
  static Stream<Arguments> invalid() throws IOException {
    try (InputStream in =
        OtlpReceiverYamlTest.class.getResourceAsStream("/testdata/otlp/invalid_configs.yaml")) {
      Map<String, Map<String, Object>> all =
          (Map<String, Map<String, Object>>)
              new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      return all.entrySet().stream()
          .map(e -> Arguments.of(Named.of(e.getKey(), e.getKey()), e.getValue()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidConfigFailsWithExactMessage(String name, Map<String, Object> c) throws Exception {
    String body =
        ((String) c.get("config")).lines().map(l -> "    " + l).collect(Collectors.joining("\n"));
    Path file =
        Files.writeString(dir.resolve(name + ".yaml"), "receivers:\n  otlp:\n" + body + "\n");
    List<ConfigError> errors = new ArrayList<>();
    OtlpReceiverConfig bound = bind(receivers(file).get("otlp"), "otlp", errors);
    assertThat(bound).as("case %s must fail", name).isNull();
    assertThat(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")))
        .isEqualTo(c.get("error"));
  }
}
