package io.tiercel.kafka.common.encoding;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.Host;
import io.tiercel.core.config.ScalarValue;
import io.tiercel.core.pdata.Signal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a Kafka component's {@code encoding:} names: a built-in encoding ({@code otlp_proto}, {@code
 * zipkin_json}, ...) or the id of an encoding extension ({@code zipkin_encoding/v2}), as the
 * collector reads it. A built-in is known when the config is read; an extension is looked up when
 * the component starts ({@link #codec}), as the collector does, so a config naming one validates
 * without it. Immutable.
 */
@ScalarValue
public final class EncodingRef {
  private final @Nullable SignalCodec builtIn;
  private final @Nullable ComponentId extension;

  private EncodingRef(@Nullable SignalCodec builtIn, @Nullable ComponentId extension) {
    this.builtIn = builtIn;
    this.extension = extension;
  }

  /** The built-in {@code codec}. */
  public static EncodingRef of(SignalCodec codec) {
    return new EncodingRef(Objects.requireNonNull(codec, "codec"), null);
  }

  /** The encoding extension {@code id}. */
  public static EncodingRef extension(ComponentId id) {
    return new EncodingRef(null, Objects.requireNonNull(id, "id"));
  }

  /**
   * Reads a config value: a built-in name (see {@link BuiltInEncodings}), else an extension id.
   *
   * @throws IllegalArgumentException when {@code text} is neither
   */
  public static EncodingRef parse(String text) {
    SignalCodec codec = BuiltInEncodings.find(text);
    if (codec != null) {
      return of(codec);
    }
    try {
      return extension(ComponentId.parse(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "\""
              + text
              + "\" is not one of "
              + BuiltInEncodings.names()
              + ", nor an encoding extension id ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  /** The built-in codec, or null for an extension. */
  public @Nullable SignalCodec builtIn() {
    return builtIn;
  }

  /** The extension id, or null for a built-in. */
  public @Nullable ComponentId extensionId() {
    return extension;
  }

  /** True for the built-in {@code otlp_proto} (values are the OTLP request bytes as they are). */
  public boolean isProto() {
    return builtIn != null && builtIn.isProto();
  }

  /**
   * False only for a built-in that cannot read {@code signal}; an extension is checked at start.
   */
  public boolean mayRead(Signal signal) {
    return builtIn == null || builtIn.reads(signal);
  }

  /**
   * False only for a built-in that cannot write {@code signal}; an extension is checked at start.
   */
  public boolean mayWrite(Signal signal) {
    return builtIn == null || builtIn.writes(signal);
  }

  /**
   * The codec for {@code signal}: the built-in, or the started encoding extension from {@code
   * host}.
   *
   * @param place the config path of this value, for the message ({@code
   *     exporters.kafka.logs.encoding})
   * @param write true when the caller writes {@code signal}, false when it reads it
   * @throws IllegalStateException naming {@code place} when the id is not a started extension, not
   *     an encoding extension, or one that cannot read (write) {@code signal}
   */
  public SignalCodec codec(Host host, String place, Signal signal, boolean write) {
    SignalCodec codec = builtIn;
    if (codec == null) {
      ComponentId id = Objects.requireNonNull(extension);
      Extension e = host.extensions().get(id);
      if (e == null) {
        throw new IllegalStateException(
            place
                + ": \""
                + id
                + "\" is not a configured encoding extension (add it under extensions and"
                + " service.extensions)");
      }
      if (!(e instanceof EncodingExtension enc)) {
        throw new IllegalStateException(
            place + ": extension \"" + id + "\" is not an encoding extension");
      }
      codec = enc.codec();
    }
    if (write ? !codec.writes(signal) : !codec.reads(signal)) {
      throw new IllegalStateException(
          place
              + ": encoding \""
              + this
              + "\" cannot "
              + (write ? "write " : "read ")
              + signal.id());
    }
    return codec;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncodingRef r
        && Objects.equals(builtIn, r.builtIn)
        && Objects.equals(extension, r.extension);
  }

  @Override
  public int hashCode() {
    return Objects.hash(builtIn, extension);
  }

  /** The config spelling: the built-in's name or the extension id. */
  @Override
  public String toString() {
    return builtIn != null ? builtIn.id() : String.valueOf(extension);
  }
}
