package io.tiercel.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.component.ComponentId;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigBinderTest {
  enum Mode {
    FAST,
    @Key("very-slow")
    VERY_SLOW
  }

  record Retry(boolean enabled, Duration initialInterval, Double multiplier) {}

  record Rule(String name, int weight) {
    Rule {
      name = name == null ? "default" : name;
    }
  }

  record Sample(
      String tlsCAFile,
      @Key("max.poll") int maxPoll,
      Mode mode,
      Retry retry,
      Retry other,
      List<Rule> rules,
      Map<String, Duration> timeouts,
      ComponentId storage,
      Map<String, Object> raw,
      Object any,
      Secret token) {
    Sample {
      if (maxPoll < 0) {
        throw new InvalidValueException("max.poll", "must not be negative, got " + maxPoll);
      }
      if (token != null && token.value().equals("leak")) {
        throw new IllegalStateException("token leak is invalid");
      }
    }
  }

  record Sections(@OptionalSection Retry on, Retry off) {}

  @Test
  void anOptionalSectionNamedWithNoValueIsSwitchedOn() throws Exception {
    Sections s =
        ConfigBinder.bind(
            Sections.class, new Sections(null, null), map("on", null, "off", null), "x");
    assertThat(s).isEqualTo(new Sections(new Retry(false, null, null), null));
    assertThat(ConfigBinder.bind(Sections.class, new Sections(null, null), map(), "x"))
        .isEqualTo(new Sections(null, null));
    // printed back, a section that is off is absent, so that reading the print keeps it off
    assertThat(ConfigBinder.toTree(new Sections(null, null))).isEqualTo(map("off", null));
    assertThat(ConfigBinder.toTree(s))
        .isEqualTo(
            map(
                "on",
                map("enabled", false, "initial_interval", null, "multiplier", null),
                "off",
                null));
  }

  static final Sample DEFAULTS =
      new Sample(
          "ca.pem",
          10,
          Mode.FAST,
          new Retry(true, Duration.ofSeconds(5), 1.5),
          null,
          List.of(),
          Map.of(),
          null,
          Map.of(),
          null,
          null);

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void laysYamlOverDefaultsIncludingNestedRecords() throws Exception {
    Sample s =
        ConfigBinder.bind(
            Sample.class,
            DEFAULTS,
            map(
                "tls_ca_file",
                "other.pem",
                "mode",
                "VERY-SLOW",
                "retry",
                map("multiplier", 2),
                "other",
                map("enabled", true),
                "rules",
                List.of(map("weight", 3), map("name", "b", "weight", 4)),
                "timeouts",
                map("read", "1.5s", "write", 10),
                "storage",
                "file_storage/x",
                "raw",
                map("a", List.of(1, map("b", new ExpandedValue(2, "0x2")))),
                "any",
                new ExpandedValue(true, "true"),
                "token",
                new ExpandedValue(123, "0123")),
            "receivers.x");

    assertThat(s)
        .isEqualTo(
            new Sample(
                "other.pem",
                10,
                Mode.VERY_SLOW,
                new Retry(true, Duration.ofSeconds(5), 2.0),
                new Retry(true, null, null), // no default for "other": zero values
                List.of(new Rule("default", 3), new Rule("b", 4)),
                Map.of("read", Duration.ofMillis(1500), "write", Duration.ofNanos(10)),
                ComponentId.parse("file_storage/x"),
                Map.of("a", List.of(1, Map.of("b", 2))),
                true,
                Secret.of("0123")));
  }

  @Test
  void nullYamlMeansDefaults() throws Exception {
    assertThat(ConfigBinder.bind(Sample.class, DEFAULTS, null, "x")).isSameAs(DEFAULTS);
    assertThat(ConfigBinder.bind(Sample.class, DEFAULTS, map("mode", null, "retry", null), "x"))
        .isEqualTo(DEFAULTS);
  }

  @Test
  void reportsEveryErrorWithItsPath() {
    assertThatThrownBy(
            () ->
                ConfigBinder.bind(
                    Sample.class,
                    DEFAULTS,
                    map(
                        "mode",
                        "slow",
                        "retry",
                        map("enabled", "yes", "initial_interval", "5"),
                        "rules",
                        List.of(map("weight", "x"), "y"),
                        "timeouts",
                        map("a", List.of()),
                        "storage",
                        "1x",
                        "raw",
                        "flat",
                        "token",
                        List.of("t"),
                        "extra",
                        1),
                    "exporters.e"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            """
            exporters.e: unknown key "extra"; valid keys are: tls_ca_file, max.poll, mode, retry, other, rules, \
            timeouts, storage, raw, any, token
            exporters.e.mode: "slow" is not one of fast, very-slow
            exporters.e.retry.enabled: expected a boolean, got "yes"
            exporters.e.retry.initial_interval: "5" is not a duration (use Go syntax such as 200ms, 5s, 1m30s)
            exporters.e.rules[0].weight: expected an int, got "x"
            exporters.e.rules[1]: expected a map, got "y"
            exporters.e.timeouts.a: expected a duration, got a list
            exporters.e.storage: invalid character(s) in type "1x": it must start with a letter and hold only \
            letters, digits and '_' (at most 63)
            exporters.e.raw: expected a map, got "flat"
            exporters.e.token: expected a string, got a list\
            """);
  }

  enum Level {
    @Key(value = "0", aliases = "off")
    OFF,
    @Key(value = "1", aliases = "on")
    ON,
    WITH_DETAIL
  }

  record Switch(Level level) {}

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "0, OFF",
    "off, OFF",
    "OFF, OFF",
    "1, ON",
    "On, ON",
    "with_detail, WITH_DETAIL",
    "with-detail, WITH_DETAIL",
    "With-Detail, WITH_DETAIL"
  })
  void enumsMatchKeyNameOrAliasIgnoringCaseAndDashes(String yaml, Level expected)
      throws ConfigException {
    assertThat(ConfigBinder.bind(Switch.class, null, map("level", yaml), "s").level())
        .isEqualTo(expected);
    assertThat(ConfigBinder.toTree(new Switch(Level.ON))).isEqualTo(map("level", "1"));
  }

  @Test
  void enumErrorListsKeysThenAliases() {
    assertThatThrownBy(() -> ConfigBinder.bind(Switch.class, null, map("level", 2), "s"))
        .hasMessage("s.level: 2 is not one of 0, 1, with_detail, off, on");
  }

  @Test
  void constructorExceptionsAreReportedAtKeyOrRecordAndSecretsRedacted() {
    assertThatThrownBy(() -> ConfigBinder.bind(Sample.class, DEFAULTS, map("max.poll", -1), "r.k"))
        .hasMessage("r.k.max.poll: must not be negative, got -1");
    assertThatThrownBy(() -> ConfigBinder.bind(Sample.class, DEFAULTS, map("token", "leak"), "r.k"))
        .hasMessage("r.k: token [REDACTED] is invalid");
  }

  @Test
  void toTreeRendersYamlNamesAndRedactsSecrets() {
    Sample s =
        new Sample(
            "ca.pem",
            1,
            Mode.VERY_SLOW,
            new Retry(false, Duration.ofMillis(1500), null),
            null,
            List.of(new Rule("r", 2)),
            Map.of("t", Duration.ofHours(1)),
            ComponentId.parse("a/b"),
            Map.of(),
            null,
            Secret.of("hunter2"));
    Map<String, Object> tree = ConfigBinder.toTree(s);
    assertThat(tree)
        .isEqualTo(
            map(
                "tls_ca_file",
                "ca.pem",
                "max.poll",
                1,
                "mode",
                "very-slow",
                "retry",
                map("enabled", false, "initial_interval", "1.5s", "multiplier", null),
                "other",
                null,
                "rules",
                List.of(map("name", "r", "weight", 2)),
                "timeouts",
                Map.of("t", "1h0m0s"),
                "storage",
                "a/b",
                "raw",
                Map.of(),
                "any",
                null,
                "token",
                "[REDACTED]"));
    assertThat(tree.keySet())
        .containsExactly(
            "tls_ca_file",
            "max.poll",
            "mode",
            "retry",
            "other",
            "rules",
            "timeouts",
            "storage",
            "raw",
            "any",
            "token");
    assertThat(EffectiveConfig.toYaml(tree))
        .doesNotContain("hunter2")
        .contains("token: '[REDACTED]'");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "0, 0s",
    "300ms, 300ms",
    "1h2m3.5s, 1h2m3.5s",
    "10us, 10us",
    "10µs, 10us",
    "1.5h, 1h30m0s",
    "90s, 1m30s",
    "-2m, -2m0s",
    "1500ns, 1.5us",
    "2.25ms, 2.25ms",
    "1h, 1h0m0s",
    "0.5s, 500ms",
    "1m0.001s, 1m0.001s"
  })
  void goDurations(String in, String formatted) {
    assertThat(GoDuration.format(GoDuration.parse(in))).isEqualTo(formatted);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"5", "5 seconds", "1d", "s", "''", "1..5s", "-", "1h-2m"})
  void badGoDurations(String in) {
    assertThatThrownBy(() -> GoDuration.parse(in)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "sendBatchSize, send_batch_size",
    "tlsCAFile, tls_ca_file",
    "http2Enabled, http2_enabled",
    "a, a",
    "maxMiB, max_mi_b",
    "URL, url"
  })
  void snakeCase(String in, String out) {
    assertThat(ConfigBinder.snakeCase(in)).isEqualTo(out);
  }
}
