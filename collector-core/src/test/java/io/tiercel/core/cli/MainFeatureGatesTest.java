package io.tiercel.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.cli.NopFactories.Empty;
import io.tiercel.core.cli.NopFactories.NopExporterFactory;
import io.tiercel.core.cli.NopFactories.NopReceiverFactory;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.Settings;
import io.tiercel.core.config.ComponentConfig;
import io.tiercel.core.config.PipelineConfig;
import io.tiercel.core.config.PipelineId;
import io.tiercel.core.config.ServiceConfig;
import io.tiercel.core.config.TelemetryConfig;
import io.tiercel.core.featuregate.Gate;
import io.tiercel.core.featuregate.Stage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --feature-gates} on the commands, and the gates reaching the components they build. */
class MainFeatureGatesTest {
  private static final Gate NEW = new Gate("nop.new", Stage.ALPHA, "does \"new\" things", "u1");
  private static final Gate OLD = new Gate("nop.old", Stage.STABLE, "done", "u2");
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final List<Boolean> seen = new ArrayList<>();
  private final NopReceiverFactory recv =
      new NopReceiverFactory() {
        @Override
        public List<Gate> featureGates() {
          return List.of(NEW, OLD);
        }

        @Override
        public Receiver create(Settings settings, Empty config, Consumers next) {
          seen.add(settings.featureGates().isEnabled(NEW));
          return super.create(settings, config, next);
        }
      };
  private final NopExporterFactory exp = new NopExporterFactory();
  private final ComponentRegistry registry = ComponentRegistry.of(List.of(recv, exp));

  private final ServiceConfig config = config();

  private ServiceConfig config() {
    ComponentId r = ComponentId.of("nop");
    PipelineId p = PipelineId.parse("traces");
    return new ServiceConfig(
        Map.of(r, new ComponentConfig(r, recv, new Empty())),
        Map.of(),
        Map.of(r, new ComponentConfig(r, exp, new Empty())),
        Map.of(),
        List.of(),
        Map.of(p, new PipelineConfig(p, List.of(r), List.of(), List.of(r))),
        new TelemetryConfig("none", "localhost", 0, "info", "console"));
  }

  private int run(String... args) {
    ConfigSource src =
        new ConfigSource() {
          @Override
          public ServiceConfig load(List<String> configs, List<String> sets) {
            return config;
          }

          @Override
          public String effectiveYaml(ServiceConfig c) {
            return "x: 1\n";
          }
        };
    return new Main(
            registry,
            src,
            new BuildInfo("tiercel", "test", "1"),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .execute(args);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theFlagReachesTheComponentsAsTheyBuild() {
    assertThat(run("validate", "--config", "x.yaml")).isZero();
    assertThat(run("validate", "--config", "x.yaml", "--feature-gates=nop.new")).isZero();
    assertThat(run("validate", "--config", "x.yaml", "--feature-gates", "+nop.new,-nop.new"))
        .isZero();
    assertThat(
            run(
                "validate",
                "--config",
                "x.yaml",
                "--feature-gates=-nop.new",
                "--feature-gates=nop.new"))
        .isZero();
    assertThat(seen).containsExactly(false, true, false, true);
    assertThat(err()).isEmpty();
  }

  @Test
  void anUnknownGateIsAUsageErrorNamingIt() {
    assertThat(run("validate", "--config", "x.yaml", "--feature-gates=nop.new,nop.typo"))
        .isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            "Error: invalid argument \"nop.new,nop.typo\" for \"--feature-gates\" flag: no such"
                + " feature gate \"nop.typo\". valid gates: [nop.new nop.old]\n");
    assertThat(seen).isEmpty();
  }

  @Test
  void aStableGateCannotBeDisabledOnAnyCommandThatLoadsAConfig() {
    for (String command : List.of("run", "validate", "print-config")) {
      err.reset();
      assertThat(run(command, "--config", "x.yaml", "--feature-gates=-nop.old")).isEqualTo(2);
      assertThat(err())
          .isEqualTo(
              "Error: invalid argument \"-nop.old\" for \"--feature-gates\" flag: feature gate"
                  + " \"nop.old\" is stable, can not be disabled\n");
    }
    err.reset();
    assertThat(run("--config", "x.yaml", "--feature-gates=nope")).isEqualTo(2);
    assertThat(err()).contains("no such feature gate \"nope\"");
    assertThat(seen).isEmpty();
  }

  @Test
  void componentsListsTheGatesWithTheirState() {
    assertThat(run("components", "--feature-gates=nop.new")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .endsWith(
            """
            feature_gates:
              - id: nop.new
                stage: Alpha
                enabled: true
                description: "does \\"new\\" things"
                reference_url: "u1"
              - id: nop.old
                stage: Stable
                enabled: true
                description: "done"
                reference_url: "u2"
            """);
  }
}
