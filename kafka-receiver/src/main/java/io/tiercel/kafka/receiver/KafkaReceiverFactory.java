package io.tiercel.kafka.receiver;

import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.ReceiverFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.pdata.Signal;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code kafka} receiver: OTLP traces, metrics, logs and profiles (development, {@code
 * otlp_proto} only) from Kafka topics, committed only when finished.
 */
public final class KafkaReceiverFactory implements ReceiverFactory<KafkaReceiverConfig> {
  /** The component type. */
  public static final String TYPE = "kafka";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Class<KafkaReceiverConfig> configClass() {
    return KafkaReceiverConfig.class;
  }

  @Override
  public KafkaReceiverConfig createDefaultConfig() {
    return KafkaReceiverConfig.DEFAULT;
  }

  @Override
  public Map<Signal, Stability> signals() {
    return Stability.BETA.withProfiles(Stability.DEVELOPMENT);
  }

  /**
   * One consumer-group member for all signals in {@code next}; nothing connects before {@code
   * start}.
   */
  @Override
  public Receiver create(Settings settings, KafkaReceiverConfig config, Consumers next) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(next, "next");
    next.requireOnly(TYPE, signals().keySet());
    if (next.profiles() != null && !config.profiles().encoding().isProto()) {
      throw new IllegalArgumentException(
          "receivers."
              + settings.id()
              + ".profiles.encoding: \""
              + config.profiles().encoding()
              + "\" is not supported for profiles; use otlp_proto");
    }
    return new KafkaReceiver(settings, config, next);
  }

  @Override
  public String transport() {
    return "kafka";
  }
}
