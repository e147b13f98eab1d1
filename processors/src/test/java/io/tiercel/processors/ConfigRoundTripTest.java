package io.tiercel.processors;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.config.ConfigBinder;
import io.tiercel.processors.filter.FilterConfig;
import io.tiercel.processors.filter.FilterFactory;
import io.tiercel.processors.transform.TransformConfig;
import io.tiercel.processors.transform.TransformFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The printed config (print-config) of filter and transform binds back to the same config. */
class ConfigRoundTripTest {
  @Test
  void filterDefaultAndConfiguredRoundTrip() {
    FilterConfig def = new FilterFactory().createDefaultConfig();
    assertThat(YamlBinder.bind(def, ConfigBinder.toTree(def))).isEqualTo(def);
    FilterConfig c =
        YamlBinder.bind(
            def,
            YamlBinder.yaml(
                """
                error_mode: ignore
                trace_conditions:
                  - conditions: ['span.name == "a"']
                  - context: span
                    error_mode: silent
                    conditions: ['IsRootSpan()']
                metrics:
                  datapoint: ['value_int > 1']
                """));
    Map<String, Object> printed = ConfigBinder.toTree(c);
    assertThat(YamlBinder.bind(def, printed)).isEqualTo(c);
    assertThat(printed.get("error_mode")).isEqualTo("ignore");
  }

  @Test
  void transformDefaultAndConfiguredRoundTrip() {
    TransformConfig def = new TransformFactory().createDefaultConfig();
    assertThat(YamlBinder.bind(def, ConfigBinder.toTree(def))).isEqualTo(def);
    TransformConfig c =
        YamlBinder.bind(
            def,
            YamlBinder.yaml(
                """
                log_statements:
                  - context: log
                    conditions: ['IsMap(body)']
                    statements: ['delete_key(body, "password")']
                  - set(log.body, "x")
                """));
    assertThat(YamlBinder.bind(def, ConfigBinder.toTree(c))).isEqualTo(c);
  }

  @Test
  void tailSamplingDefaultAndConfiguredRoundTrip() {
    // the default has no policies, which validate() rejects (the collector requires policies)
    var def = new io.tiercel.processors.tailsampling.TailSamplingFactory().createDefaultConfig();
    var c =
        YamlBinder.bind(
            def,
            YamlBinder.yaml(
                """
                decision_wait: 10s
                num_traces: 1000
                decision_cache: {sampled_cache_size: 500}
                policies:
                  - {name: slow, type: latency, latency: {threshold_ms: 500}}
                  - name: both
                    type: and
                    and:
                      and_sub_policy:
                        - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
                        - {name: some, type: probabilistic, probabilistic: {sampling_percentage: 12.5, hash_salt: s}}
                """));
    Map<String, Object> printed = ConfigBinder.toTree(c);
    assertThat(YamlBinder.bind(def, printed)).isEqualTo(c);
    assertThat(printed.get("decision_wait")).isEqualTo("10s");
  }
}
