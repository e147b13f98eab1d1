package io.tiercel.core.builtin.generator;

import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.ReceiverFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.pdata.Signal;
import java.util.Map;

/** The {@code generator} receiver: synthetic traces, metrics and logs for demos, tests and load. */
public final class GeneratorReceiverFactory implements ReceiverFactory<GeneratorReceiverConfig> {
  /** The component type. */
  public static final String TYPE = "generator";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Class<GeneratorReceiverConfig> configClass() {
    return GeneratorReceiverConfig.class;
  }

  @Override
  public GeneratorReceiverConfig createDefaultConfig() {
    return GeneratorReceiverConfig.DEFAULT;
  }

  @Override
  public Map<Signal, Stability> signals() {
    return Stability.DEVELOPMENT.forEverySignal();
  }

  /**
   * Creates the receiver; returns the concrete type so that callers can read {@link
   * GeneratorReceiver#stats()}.
   */
  @Override
  public GeneratorReceiver create(
      Settings settings, GeneratorReceiverConfig config, Consumers next) {
    next.requireOnly(TYPE, signals().keySet());
    return new GeneratorReceiver(settings, config, next);
  }
}
