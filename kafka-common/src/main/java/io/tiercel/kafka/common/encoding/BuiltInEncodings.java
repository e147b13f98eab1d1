package io.tiercel.kafka.common.encoding;

import java.util.Locale;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * The names of the built-in encodings: every {@link RecordEncoding} by its name or an alias,
 * compared ignoring case and taking {@code -} as {@code _} as config enums are, and the kafka
 * receiver's {@code text} (UTF-8) and {@code text_<encoding>} for every character encoding {@link
 * TextCodec} knows ({@code text_shift_jis}); any other {@code text_*} is an extension id ({@code
 * text_encoding}).
 */
final class BuiltInEncodings {
  private BuiltInEncodings() {}

  /** The built-in codec named {@code text}, or null. */
  static @Nullable SignalCodec find(String text) {
    String wanted = spelling(text);
    for (RecordEncoding e : RecordEncoding.values()) {
      if (e == RecordEncoding.ZIPKIN_JSON_V1) {
        continue; // selected through the zipkin_encoding extension only, as in the collector
      }
      if (wanted.equals(spelling(e.id()))) {
        return e;
      }
      for (String alias : e.aliases()) {
        if (wanted.equals(spelling(alias))) {
          return e;
        }
      }
    }
    if (wanted.equals("text")) {
      return TextCodec.whole(null);
    }
    if (text.startsWith("text_") && TextCodec.known(text.substring(5))) {
      return TextCodec.whole(text.substring(5));
    }
    return null;
  }

  /** Every built-in name, then every alias, comma separated (for messages). */
  static String names() {
    StringJoiner out = new StringJoiner(", ");
    for (RecordEncoding e : RecordEncoding.values()) {
      if (e != RecordEncoding.ZIPKIN_JSON_V1) {
        out.add(e.id());
      }
    }
    out.add("text");
    out.add("text_<encoding>");
    for (RecordEncoding e : RecordEncoding.values()) {
      e.aliases().forEach(out::add);
    }
    return out.toString();
  }

  private static String spelling(String s) {
    return s.toLowerCase(Locale.ROOT).replace('-', '_');
  }
}
