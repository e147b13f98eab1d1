package io.tiercel.kafka.common.encoding;

import io.tiercel.core.component.Extension;

/**
 * An encoding extension: a configured {@link SignalCodec} that Kafka components name with {@code
 * encoding: <extension id>}. It holds no resources; start and shutdown do nothing.
 */
public interface EncodingExtension extends Extension {
  /** The codec; the same instance for the extension's life. Thread-safe. */
  SignalCodec codec();
}
