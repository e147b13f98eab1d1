package io.tiercel.distributions.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.cli.CommandProvider;
import io.tiercel.core.cli.ConfigSources;
import io.tiercel.core.cli.Main;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.DistributionManifest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code demo} where it cannot run (a tier archive) says why and exits 1, without a stack trace.
 */
class DemoCommandProviderTest {
  private final ComponentRegistry all = ComponentRegistry.load();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void inATierTheDemoRefusesWithAClearMessage() throws Exception {
    ComponentRegistry ingestion =
        DistributionManifest.read(Path.of("components", "ingestion.yaml")).restrict(all);
    BuildInfo build = new BuildInfo("tiercel-ingestion", "Tiercel ingestion tier", "1.0");
    int code =
        new Main(
                ingestion,
                ConfigSources.loader(ingestion, k -> null),
                build,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .execute("demo", "--duration", "5s", "--brokers", "localhost:9092");
    assertThat(code).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "Error: the demo is not part of this distribution: tiercel-ingestion carries only its"
                + " own tier's components, and the demo runs both tiers. Run it from a Tiercel"
                + " source checkout with bin/tiercel demo (it builds what it needs), whose"
                + " classpath has every component and the embedded broker.\n");
  }

  @Test
  void theDemoNeedsTheEmbeddedBrokerOnTheClasspath() {
    CommandProvider.Environment env =
        new CommandProvider.Environment(
            all,
            BuildInfo.DEFAULT,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(DemoCommandProvider.missing(env, getClass().getClassLoader()))
        .as("this module's classpath has the broker")
        .isNull();
    assertThat(new DemoCommandProvider().command(env)).isInstanceOf(DemoCommand.class);
    ClassLoader platformOnly = new ClassLoader(null) {};
    assertThat(DemoCommandProvider.missing(env, platformOnly))
        .isEqualTo(
            "tiercel has no embedded Kafka broker on its classpath (kafka.server.KafkaRaftServer)");
  }
}
