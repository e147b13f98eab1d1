package io.tiercel.otlp.receiver;

import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.ReceiverFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.pdata.Signal;
import java.util.Map;
import java.util.Objects;

/**
 * Factory of the {@code otlp} receiver: OTLP over gRPC ({@code :4317}) and HTTP ({@code :4318}) for
 * traces, metrics, logs and profiles (development, protobuf only). Found through {@link
 * java.util.ServiceLoader}.
 */
public final class OtlpReceiverFactory implements ReceiverFactory<OtlpReceiverConfig> {
  /** The component type. */
  public static final String TYPE = "otlp";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Class<OtlpReceiverConfig> configClass() {
    return OtlpReceiverConfig.class;
  }

  /**
   * No protocol: as in the collector, a protocol is on when its key is in the YAML. A config that
   * names neither fails {@link OtlpReceiverConfig#validate()}.
   */
  @Override
  public OtlpReceiverConfig createDefaultConfig() {
    return new OtlpReceiverConfig(new OtlpReceiverConfig.Protocols(null, null));
  }

  @Override
  public Map<Signal, Stability> signals() {
    return Stability.BETA.withProfiles(Stability.DEVELOPMENT);
  }

  /**
   * The default {@code transport} label of the receiver metrics. Each request is counted under the
   * transport it came by ({@code grpc} or {@code http}, as the collector's OTLP receiver does), so
   * this label only names the series made when the pipeline is built.
   */
  @Override
  public String transport() {
    return "grpc";
  }

  /**
   * Creates the receiver (no I/O: sockets open in {@code start}).
   *
   * @throws InvalidValueException when the config names no protocol
   */
  @Override
  public Receiver create(Settings settings, OtlpReceiverConfig config, Consumers next) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(next, "next");
    next.requireOnly(TYPE, signals().keySet());
    config.validate();
    return new OtlpReceiver(
        settings,
        config,
        next,
        OtlpReceiver.DEFAULT_MAX_IN_FLIGHT,
        OtlpReceiver.DEFAULT_MAX_BYTES_IN_FLIGHT);
  }
}
