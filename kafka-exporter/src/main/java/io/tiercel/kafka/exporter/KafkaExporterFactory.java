package io.tiercel.kafka.exporter;

import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.ExporterFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import java.util.Map;

/**
 * Creates {@code kafka} exporters: traces, metrics, logs and profiles (development, {@code
 * otlp_proto} only) to Kafka topics.
 */
public final class KafkaExporterFactory implements ExporterFactory<KafkaExporterConfig> {
  @Override
  public String type() {
    return "kafka";
  }

  @Override
  public Class<KafkaExporterConfig> configClass() {
    return KafkaExporterConfig.class;
  }

  @Override
  public KafkaExporterConfig createDefaultConfig() {
    return KafkaExporterConfig.defaults();
  }

  @Override
  public Map<Signal, Stability> signals() {
    return Stability.ALPHA.withProfiles(Stability.DEVELOPMENT);
  }

  @Override
  public <T extends OtlpData> Exporter<T> create(
      Signal signal, Settings settings, KafkaExporterConfig config) {
    if (signal == Signal.PROFILES && !config.encodingFor(signal).isProto()) {
      throw new IllegalArgumentException(
          "exporters."
              + settings.id()
              + ".profiles.encoding: \""
              + config.encodingFor(signal)
              + "\" is not supported for profiles; use otlp_proto");
    }
    // the deprecated top-level encoding applies to every signal, so only a pipeline can tell
    if (!config.encodingFor(signal).mayWrite(signal)) {
      throw new IllegalArgumentException(
          "encoding: \"" + config.encodingFor(signal) + "\" cannot write " + signal.id());
    }
    return new KafkaExporter<>(settings, config);
  }
}
