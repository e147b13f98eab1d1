package io.tiercel.core.pdata.json;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import io.tiercel.core.pdata.json.JsonReader.Token;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;

/**
 * The building blocks of {@link JsonDecoder}: objects and arrays (keys converted to lowerCamelCase,
 * {@code null} members skipped) and the scalars of the OTLP/JSON mapping (64-bit integers as
 * numbers or strings, enums by number or name, ids in hex, bytes in base64), each checked with an
 * error that names the key.
 */
final class JsonValues {
  private JsonValues() {}

  static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  /** Longest integer/double text accepted (a uint64 in exponent notation needs far less). */
  static final int MAX_NUMBER_TEXT = 100;

  static final java.util.regex.Pattern JSON_NUMBER =
      java.util.regex.Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  /** Handles one member value of an object, given its lowerCamelCase key. */
  @FunctionalInterface
  interface Member {
    void read(String key);
  }

  // ------------------------------------------------------------ structure helpers

  /**
   * Reads an object, calling {@code member} for each non-null member (keys converted to
   * lowerCamelCase).
   */
  static void object(JsonReader r, Member member) {
    if (r.peek() != Token.BEGIN_OBJECT) {
      throw r.error("expected an object but found " + r.peekDescription());
    }
    r.beginObject();
    while (r.hasNext()) {
      String key = camel(r.nextName());
      if (r.peek() == Token.NULL) {
        r.nextNull();
        continue;
      }
      member.read(key);
    }
    r.endObject();
  }

  /** Reads an array, calling {@code element} for each element (nulls inside arrays are errors). */
  static void array(JsonReader r, String what, Runnable element) {
    if (r.peek() != Token.BEGIN_ARRAY) {
      throw r.error("expected an array for \"" + what + "\" but found " + r.peekDescription());
    }
    r.beginArray();
    while (r.hasNext()) {
      if (r.peek() == Token.NULL) {
        throw r.error("null is not allowed inside \"" + what + "\"");
      }
      element.run();
    }
    r.endArray();
  }

  /** snake_case -> lowerCamelCase; names without '_' are returned as they are. */
  static String camel(String name) {
    if (name.indexOf('_') < 0) {
      return name;
    }
    StringBuilder sb = new StringBuilder(name.length());
    boolean upper = false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '_') {
        upper = true;
      } else {
        sb.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return sb.toString();
  }

  // ------------------------------------------------------------ scalars

  static String string(JsonReader r, String key) {
    if (r.peek() != Token.STRING) {
      throw r.error("expected a string for \"" + key + "\" but found " + r.peekDescription());
    }
    return r.nextString();
  }

  static boolean bool(JsonReader r, String key) {
    Token t = r.peek();
    if (t != Token.TRUE && t != Token.FALSE) {
      throw r.error("expected true or false for \"" + key + "\" but found " + r.peekDescription());
    }
    return r.nextBoolean();
  }

  /** The text of an integer given as a JSON number or a string, and where it starts. */
  static BigInteger integer(JsonReader r, String key) {
    int at = r.position();
    Token t = r.peek();
    String text;
    if (t == Token.NUMBER) {
      text = r.nextNumber();
    } else if (t == Token.STRING) {
      text = r.nextString().strip();
    } else {
      throw r.error("expected an integer for \"" + key + "\" but found " + r.peekDescription());
    }
    // Guard against numbers built to be expensive: 1e999999999 would otherwise become a
    // billion-digit integer.
    if (text.length() > MAX_NUMBER_TEXT) {
      throw r.errorAt("\"" + shorten(text) + "\" is not an integer (\"" + key + "\")", at);
    }
    BigDecimal d;
    try {
      d = new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw r.errorAt("\"" + text + "\" is not an integer (\"" + key + "\")", at);
    }
    if (d.signum() == 0) {
      return BigInteger.ZERO;
    }
    d = d.stripTrailingZeros();
    if (d.scale() > 0) {
      throw r.errorAt("\"" + text + "\" is not an integer (\"" + key + "\")", at);
    }
    if (d.precision() - d.scale() > 20) {
      throw r.errorAt(text + " is out of range for a 64-bit integer (\"" + key + "\")", at);
    }
    return d.toBigIntegerExact();
  }

  static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  /** Fast path for the common case: a plain decimal integer that fits a long. */
  static long plainLong(String s) {
    int n = s.length();
    if (n == 0 || n > 18) {
      return Long.MIN_VALUE;
    }
    int i = s.charAt(0) == '-' ? 1 : 0;
    if (i == n) {
      return Long.MIN_VALUE;
    }
    long v = 0;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return Long.MIN_VALUE;
      }
      v = v * 10 + (c - '0');
    }
    return s.charAt(0) == '-' ? -v : v;
  }

  static long int64(JsonReader r, String key) {
    long fast = fastInteger(r);
    if (fast != Long.MIN_VALUE) {
      return fast;
    }
    int at = r.position();
    BigInteger v = integer(r, key);
    if (v.bitLength() > 63) {
      throw r.errorAt(v + " is out of range for a 64-bit integer (\"" + key + "\")", at);
    }
    return v.longValue();
  }

  static long uint64(JsonReader r, String key) {
    int at = r.position();
    long fast = fastInteger(r);
    if (fast != Long.MIN_VALUE && fast >= 0) {
      return fast;
    }
    BigInteger v = fast != Long.MIN_VALUE ? BigInteger.valueOf(fast) : integer(r, key);
    if (v.signum() < 0 || v.compareTo(UINT64_MAX) > 0) {
      throw r.errorAt(v + " is out of range for an unsigned 64-bit integer (\"" + key + "\")", at);
    }
    return v.longValue();
  }

  /**
   * Reads a plain integer token (number or string) when it is one, returning Long.MIN_VALUE without
   * consuming anything otherwise.
   */
  static long fastInteger(JsonReader r) {
    return r.tryPlainInteger();
  }

  static int int32(JsonReader r, String key) {
    int at = r.position();
    long fast = fastInteger(r);
    BigInteger v = fast != Long.MIN_VALUE ? BigInteger.valueOf(fast) : integer(r, key);
    if (v.bitLength() > 31) {
      throw r.errorAt(v + " is out of range for a 32-bit integer (\"" + key + "\")", at);
    }
    return v.intValue();
  }

  static int uint32(JsonReader r, String key) {
    int at = r.position();
    long fast = fastInteger(r);
    BigInteger v = fast != Long.MIN_VALUE ? BigInteger.valueOf(fast) : integer(r, key);
    if (v.signum() < 0 || v.bitLength() > 32) {
      throw r.errorAt(v + " is out of range for an unsigned 32-bit integer (\"" + key + "\")", at);
    }
    return (int) v.longValue();
  }

  static double dbl(JsonReader r, String key) {
    int at = r.position();
    Token t = r.peek();
    if (t == Token.NUMBER) {
      return Double.parseDouble(r.nextNumber());
    }
    if (t == Token.STRING) {
      String s = r.nextString();
      switch (s) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          String text = s.strip();
          if (text.length() > MAX_NUMBER_TEXT || !JSON_NUMBER.matcher(text).matches()) {
            throw r.errorAt("\"" + shorten(s) + "\" is not a number (\"" + key + "\")", at);
          }
          return Double.parseDouble(text);
      }
    }
    throw r.error("expected a number for \"" + key + "\" but found " + r.peekDescription());
  }

  static int enumValue(JsonReader r, String key, EnumDescriptor type) {
    if (r.peek() == Token.STRING) {
      int at = r.position();
      String name = r.nextString();
      EnumValueDescriptor v = type.findValueByName(name);
      if (v == null) {
        long n = plainLong(name);
        if (n != Long.MIN_VALUE && n == (int) n) {
          return (int) n;
        }
        throw r.errorAt(
            "\"" + name + "\" is not a value of " + type.getName() + " (\"" + key + "\")", at);
      }
      return v.getNumber();
    }
    return int32(r, key);
  }

  static ByteString id(JsonReader r, String key, int size) {
    int at = r.position();
    String s = string(r, key);
    if (s.isEmpty()) {
      return ByteString.EMPTY;
    }
    if (s.length() != 2 * size) {
      throw r.errorAt(
          "\"" + key + "\" must be " + 2 * size + " hex digits, got " + s.length() + " characters",
          at);
    }
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      int hi = Character.digit(s.charAt(2 * i), 16);
      int lo = Character.digit(s.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw r.errorAt("\"" + key + "\" is not hex: \"" + s + "\"", at);
      }
      b[i] = (byte) (hi << 4 | lo);
    }
    return ByteString.copyFrom(b);
  }

  static ByteString base64(JsonReader r, String key) {
    int at = r.position();
    String s = string(r, key);
    try {
      String std =
          s.indexOf('-') >= 0 || s.indexOf('_') >= 0 ? s.replace('-', '+').replace('_', '/') : s;
      return ByteString.copyFrom(Base64.getDecoder().decode(std));
    } catch (IllegalArgumentException e) {
      throw r.errorAt("\"" + key + "\" is not base64: " + e.getMessage(), at);
    }
  }
}
