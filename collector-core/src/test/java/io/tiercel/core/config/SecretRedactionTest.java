package io.tiercel.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretRedactionTest {
  private static final String PW = "Pa55-word-9";
  private static final String TOKEN = "tok-XYZ-123";

  private final ConfigLoader loader =
      new ConfigLoader(TestFactories.registry(), Map.of("PW", PW, "TOKEN", TOKEN)::get);

  private static final String CONFIG =
      """
      receivers:
        generator:
      exporters:
        kafka:
          auth: {username: u, password: "${env:PW}"}
        otlp_grpc:
          headers:
            authorization: Bearer ${env:TOKEN}
            x-plain: visible
      service:
        pipelines:
          traces: {receivers: [generator], exporters: [kafka, otlp_grpc]}
      """;

  @Test
  void effectiveTreeAndYamlShowRedacted() throws Exception {
    ServiceConfig c = loader.load(List.of("yaml:" + CONFIG), List.of());
    Map<String, Object> tree = EffectiveConfig.tree(c);
    String yaml = EffectiveConfig.toYaml(tree);

    assertThat(yaml)
        .doesNotContain(PW)
        .doesNotContain(TOKEN)
        .contains(
            """
              kafka:
                brokers:
                - localhost:9092
                topic: otlp_spans
                encoding: otlp_proto
                auth:
                  username: u
                  password: '[REDACTED]'
            """)
        .contains(
            """
                headers:
                  authorization: '[REDACTED]'
                  x-plain: '[REDACTED]'
            """);
    assertThat(tree.toString()).doesNotContain(PW).doesNotContain(TOKEN);
  }

  @Test
  void errorsNeverShowASecret() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                loader.load(
                    List.of("yaml:" + CONFIG),
                    List.of(
                        "exporters.kafka.auth.password="
                            + PW.substring(0, 3), // too short, but the record fails on "user" first
                        "exporters.otlp_grpc.headers.authorization=[" + TOKEN + "]",
                        "exporters.kafka.auth.user=" + PW))); // unknown key: its value is not shown
    assertThat(e.getMessage())
        .isEqualTo(
            """
            exporters.kafka.auth: unknown key "user"; valid keys are: username, password
            exporters.otlp_grpc.headers.authorization: expected a string, got a list\
            """);
    assertThat(e.getMessage())
        .doesNotContain(PW)
        .doesNotContain(TOKEN)
        .doesNotContain(PW.substring(0, 3));

    ConfigException shortPw =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                loader.load(
                    List.of("yaml:" + CONFIG), List.of("exporters.kafka.auth.password=Pa5")));
    assertThat(shortPw.getMessage())
        .isEqualTo("exporters.kafka.auth: password \"[REDACTED]\" is too short");
  }
}
