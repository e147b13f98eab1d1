package io.tiercel.kafka.common.encoding;

import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.ExtensionFactory;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;

/**
 * The factory of one encoding extension type: a config record and the codec it selects. A new
 * format is a {@link SignalCodec} and one subclass of this.
 *
 * @param <C> the extension's config record
 */
public abstract class EncodingExtensionFactory<C extends Record> implements ExtensionFactory<C> {
  /** The codec {@code config} selects (stateless and thread-safe). */
  public abstract SignalCodec codec(C config);

  @Override
  public Stability stability() {
    return Stability.ALPHA;
  }

  @Override
  public final Extension create(Settings settings, C config) {
    SignalCodec codec = codec(config);
    return new EncodingExtension() {
      @Override
      public SignalCodec codec() {
        return codec;
      }

      @Override
      public void start(Host host) {}

      @Override
      public void shutdown(Deadline deadline) {}
    };
  }
}
