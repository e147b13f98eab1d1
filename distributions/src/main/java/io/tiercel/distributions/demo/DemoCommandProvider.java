package io.tiercel.distributions.demo;

import io.tiercel.core.cli.CommandProvider;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * Contributes {@code tiercel demo}. The demo needs every component of both tiers and the embedded
 * broker's jars: where either is missing (a tier archive, whose registry is restricted to its tier
 * and whose lib/ has no broker), {@code demo} says so and exits 1 instead of failing with a stack
 * trace.
 */
public final class DemoCommandProvider implements CommandProvider {
  /** A class of the demo's embedded broker ({@code kafka_2.13}). */
  static final String BROKER_CLASS = "kafka.server.KafkaRaftServer";

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public Callable<Integer> command(Environment env) {
    String missing = missing(env, DemoCommandProvider.class.getClassLoader());
    return missing == null ? new DemoCommand(env) : new Unavailable(env, missing);
  }

  /** Why the demo cannot run here, or null when it can. */
  static String missing(Environment env, ClassLoader loader) {
    String build = env.build().command();
    if (env.registry().distribution().isPresent()) {
      return build + " carries only its own tier's components, and the demo runs both tiers";
    }
    try {
      Class.forName(BROKER_CLASS, false, loader);
      return null;
    } catch (ClassNotFoundException | LinkageError e) {
      return build + " has no embedded Kafka broker on its classpath (" + BROKER_CLASS + ")";
    }
  }

  @Command(
      name = "demo",
      mixinStandardHelpOptions = true,
      description =
          "Not available in this distribution (see the message); run it from a Tiercel checkout.")
  static final class Unavailable implements Callable<Integer> {
    private final Environment env;
    private final String reason;

    @Unmatched
    List<String>
        ignored; // the demo's own options (--duration, --brokers, ...): the answer is the same

    Unavailable(Environment env, String reason) {
      this.env = env;
      this.reason = reason;
    }

    @Override
    public Integer call() {
      env.err()
          .println(
              "Error: the demo is not part of this distribution: "
                  + reason
                  + ". Run it from a Tiercel source checkout with bin/tiercel demo (it builds what"
                  + " it needs), whose classpath has every component and the embedded broker.");
      return 1;
    }
  }
}
