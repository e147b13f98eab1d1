package io.tiercel.kafka.common.encoding;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Text log records: a record value decoded with a character encoding into string bodies. The kafka
 * receiver's built-in {@code text} / {@code text_<encoding>} makes one log record of the whole
 * value (read only); the {@code text_encoding} extension splits the text at {@code
 * unmarshaling_separator} (one log record per piece) and writes bodies joined by {@code
 * marshaling_separator}. Encodings are named as the collector's text utilities name them: {@code
 * nop} (no decoding: the bytes as UTF-8), {@code utf8}, {@code utf-8}, {@code shift_jis}, {@code
 * euc-jp} and every other IANA name Java knows. Stateless and thread-safe.
 */
public final class TextCodec implements SignalCodec {
  private final String id;
  private final String encoding;
  private final Charset charset;
  private final @Nullable Pattern unmarshalingSeparator;
  private final @Nullable String marshalingSeparator;
  private final Clock clock;

  private TextCodec(
      String id,
      String encoding,
      @Nullable Pattern unmarshalingSeparator,
      @Nullable String marshalingSeparator,
      Clock clock) {
    this.id = id;
    this.encoding = encoding;
    this.charset = charset(encoding);
    this.unmarshalingSeparator = unmarshalingSeparator;
    this.marshalingSeparator = marshalingSeparator;
    this.clock = clock;
  }

  /**
   * The kafka receiver's {@code text} ({@code encoding} null: UTF-8) or {@code text_<encoding>}:
   * one log record per value, read only.
   *
   * @throws IllegalArgumentException when {@code encoding} is not a known character encoding
   */
  public static TextCodec whole(@Nullable String encoding) {
    return new TextCodec(
        encoding == null ? "text" : "text_" + encoding,
        encoding == null ? "utf-8" : encoding,
        null,
        null,
        Clock.systemUTC());
  }

  /**
   * The {@code text_encoding} extension's codec.
   *
   * @throws IllegalArgumentException when {@code encoding} is not a known character encoding
   */
  public static TextCodec split(
      String encoding, Pattern unmarshalingSeparator, String marshalingSeparator, Clock clock) {
    return new TextCodec(
        "text_encoding",
        encoding,
        Objects.requireNonNull(unmarshalingSeparator),
        Objects.requireNonNull(marshalingSeparator),
        clock);
  }

  /** True when {@code name} is a character encoding the text encodings know. */
  static boolean known(String name) {
    try {
      charset(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static Charset charset(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.equals("nop")) {
      return StandardCharsets.UTF_8;
    }
    try {
      return Charset.forName(n);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      throw new IllegalArgumentException("unsupported encoding '" + name + "'", e);
    }
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public boolean reads(Signal signal) {
    return signal == Signal.LOGS;
  }

  @Override
  public boolean writes(Signal signal) {
    return signal == Signal.LOGS && marshalingSeparator != null;
  }

  @Override
  public byte[] marshal(OtlpData data) {
    if (!writes(data.signal())) {
      throw new PermanentException(id + " cannot write " + data.signal());
    }
    StringBuilder sb = new StringBuilder();
    List<AnyValue> bodies = LogBodies.bodies(data);
    for (int i = 0; i < bodies.size(); i++) {
      if (i > 0) {
        sb.append(marshalingSeparator);
      }
      sb.append(LogBodies.text(bodies.get(i)));
    }
    return sb.toString().getBytes(charset);
  }

  @Override
  public OtlpData unmarshal(Signal signal, byte[] value) {
    if (!reads(signal)) {
      throw new PermanentException(id + " holds no " + signal);
    }
    String text = new String(value, charset); // malformed input becomes U+FFFD, as in the collector
    List<AnyValue> bodies = new ArrayList<>();
    if (unmarshalingSeparator == null) {
      bodies.add(string(text));
    } else if (!text.isEmpty()) {
      String[] pieces = unmarshalingSeparator.split(text, -1);
      int n = pieces.length;
      if (n > 1 && pieces[n - 1].isEmpty()) {
        n--; // a separator that ends the text ends the last record; it starts none
      }
      for (int i = 0; i < n; i++) {
        bodies.add(string(pieces[i]));
      }
    }
    return LogBodies.of(bodies, clock);
  }

  private static AnyValue string(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TextCodec t
        && t.id.equals(id)
        && t.encoding.equals(encoding)
        && Objects.equals(pattern(t.unmarshalingSeparator), pattern(unmarshalingSeparator))
        && Objects.equals(t.marshalingSeparator, marshalingSeparator);
  }

  private static @Nullable String pattern(@Nullable Pattern p) {
    return p == null ? null : p.pattern();
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, encoding, marshalingSeparator);
  }

  @Override
  public String toString() {
    return id;
  }
}
